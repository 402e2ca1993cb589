import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DECIDED_COMMANDS } from '#shared/callbacks/before-deciders.ts';
import { QUEUE_SUBSCRIPTIONS } from '#shared/events/topology.ts';
import { CALLBACK_COMMANDS } from '#shared/openim/commands.ts';
import { beforeTimeoutSeconds, MEDIA_CONTENT_TYPES, renderWebhooksYml } from '#shared/openim/webhooks-yml.ts';

interface Section {
  enable: boolean;
  timeout: number;
  failedContinue?: boolean;
  deniedTypes?: number[];
}

describe('Function: renderWebhooksYml()', () => {
  const yml = renderWebhooksYml('http://host.docker.internal:8080/openim/s3cret-s3cret-s3cret');
  const config = parse(yml) as Record<string, Section> & { url: string };
  const sections = Object.entries(config).filter((entry): entry is [string, Section] => entry[0] !== 'url');
  const enabled = sections.filter(([, section]) => section.enable).map(([key]) => key);
  const keyOf = (command: string) => CALLBACK_COMMANDS[command as keyof typeof CALLBACK_COMMANDS].configKey;

  it('sets the base URL without a query string, so OpenIM appends /<command> to a path', () => {
    // Assess
    expect(config.url).toBe('http://host.docker.internal:8080/openim/s3cret-s3cret-s3cret');
  });

  it('lists all 53 config keys of OpenIM main once each', () => {
    // Assess
    expect(sections).toHaveLength(53);
    expect([...yml.matchAll(/^(\w+):$/gm)]).toHaveLength(53);
  });

  it('enables exactly the before-callbacks something decides and the after-callbacks a consumer reads', () => {
    // Prepare
    const consumed = new Set(QUEUE_SUBSCRIPTIONS.flatMap((queue) => queue.eventTypes).filter((type): type is string => typeof type === 'string'));
    const afterConsumed = Object.entries(CALLBACK_COMMANDS).filter(([name, command]) => command.mode === 'after' && consumed.has(name));

    // Assess
    expect(enabled.sort()).toEqual([...Object.keys(DECIDED_COMMANDS).map(keyOf), ...afterConsumed.map(([, command]) => command.configKey)].sort());
    expect(enabled).toContain('afterSendSingleMsg');
    expect(enabled).not.toContain('beforeSetGroupInfo');
    expect(enabled).not.toContain('beforeOnlinePush');
  });

  it('says why each enabled callback is enabled', () => {
    // Assess
    for (const key of enabled) expect(yml).toMatch(new RegExp(`# [^\\n]+\\n${key}:\\n`));
  });

  it('gives before-callbacks a timeout that covers the budget plus a cold start and no more', () => {
    // Assess
    expect(config.beforeSendSingleMsg!.timeout).toBe(beforeTimeoutSeconds(300));
    expect(config.beforeSendSingleMsg!.timeout * 1000).toBeGreaterThan(300);
    expect(config.beforeSendSingleMsg!.timeout).toBeLessThan(5);
    expect(config.beforeOfflinePush!.timeout * 1000).toBeGreaterThan(2_000);
  });

  it('skips media in the moderated message callbacks, as plain numbers both OpenIM versions parse', () => {
    // Assess
    expect(config.beforeSendSingleMsg!.deniedTypes).toEqual([...MEDIA_CONTENT_TYPES]);
    expect(config.beforeMsgModify!.deniedTypes).toEqual([...MEDIA_CONTENT_TYPES]);
    expect(config.afterSendSingleMsg!.deniedTypes).toBeUndefined();
  });

  it('follows configured budgets', () => {
    // Act
    const slow = parse(renderWebhooksYml('http://x/openim/s', { beforeBudgetMs: 2_500, pushBudgetMs: 4_000 })) as Record<string, Section>;

    // Assess
    expect(slow.beforeSendGroupMsg!.timeout).toBe(beforeTimeoutSeconds(2_500));
    expect(slow.beforeOfflinePush!.timeout).toBe(beforeTimeoutSeconds(4_000));
  });
});
