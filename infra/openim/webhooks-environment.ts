/**
 * OpenIM's `webhooks.yml`, as the `IMENV_WEBHOOKS_*` variables OpenIM's config loader reads
 * (viper: prefix IMENV_WEBHOOKS, key path upper-cased, "." -> "_"), derived from the file
 * `renderWebhooksYml()` generates, so that ECS and the local server's snippet cannot differ.
 * The URL is left out: it holds the secret and is set at container start (see openim-stack.ts).
 */
import { renderWebhooksYml } from '#shared/openim/webhooks-yml.ts';

const ENV_PREFIX = 'IMENV_WEBHOOKS';

export function webhooksEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  let section: string | undefined;
  // The rendered file is flat: `key:` lines open a section, indented `  field: value` lines fill it.
  for (const line of renderWebhooksYml('unused').split('\n')) {
    if (line.startsWith('#') || line.trim() === '' || line.startsWith('url:')) continue;
    const nested = /^ {2}(\w+): (.+)$/.exec(line);
    const opening = /^(\w+):$/.exec(line);
    if (opening?.[1]) section = opening[1];
    else if (nested?.[1] && nested[2] !== undefined && section) {
      environment[`${ENV_PREFIX}_${section.toUpperCase()}_${nested[1].toUpperCase()}`] = nested[2];
    } else throw new Error(`renderWebhooksYml produced a line this reader does not know: ${line}`);
  }
  return environment;
}

/** The variable that carries the webhook base URL. */
export const WEBHOOKS_URL_ENV = `${ENV_PREFIX}_URL`;
