import { describe, expect, it } from 'vitest';
import { CALLBACK_COMMANDS } from '#shared/openim/commands.ts';
import { renderWebhooksYml } from '#shared/openim/webhooks-yml.ts';

describe('Function: renderWebhooksYml()', () => {
  const yml = renderWebhooksYml('http://host.docker.internal:8080/openim/s3cret-s3cret-s3cret');
  const keys = [...yml.matchAll(/^(\w+):$/gm)].map((match) => match[1]);

  it('sets the base URL without a query string, so OpenIM appends /<command> to a path', () => {
    // Assess
    expect(yml).toContain('\nurl: http://host.docker.internal:8080/openim/s3cret-s3cret-s3cret\n');
  });

  it('lists all 53 config keys of OpenIM main once each', () => {
    // Assess
    expect(keys).toHaveLength(53);
    expect(new Set(keys).size).toBe(53);
  });

  it('enables every callback that OpenIM sends', () => {
    // Prepare
    const enabled = [...yml.matchAll(/^(\w+):\n {2}enable: true$/gm)].map((match) => match[1]);

    // Assess
    expect(enabled.sort()).toEqual(Object.values(CALLBACK_COMMANDS).map((command) => command.configKey).sort());
  });
});
