/**
 * OpenIM's `webhooks.yml`, as the `IMENV_WEBHOOKS_*` variables OpenIM's config loader reads
 * (viper: prefix IMENV_WEBHOOKS, key path upper-cased, "." -> "_"), derived from the settings
 * `renderWebhooksYml()` writes, so that ECS and the local server's snippet cannot differ.
 * A list becomes comma-separated: viper splits an environment string on commas, and a YAML-style
 * `[1, 2]` would arrive as the items "[1" and " 2]" (open-im-server #3321).
 * The URL is left out: it holds the secret and is set at container start (see openim-stack.ts).
 */
import { webhookSettings } from '#shared/openim/webhooks-yml.ts';

const ENV_PREFIX = 'IMENV_WEBHOOKS';

export function webhooksEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const { configKey, why: _why, ...fields } of webhookSettings()) {
    for (const [field, value] of Object.entries(fields)) {
      environment[`${ENV_PREFIX}_${configKey.toUpperCase()}_${field.toUpperCase()}`] = Array.isArray(value) ? value.join(',') : String(value);
    }
  }
  return environment;
}

/** The variable that carries the webhook base URL. */
export const WEBHOOKS_URL_ENV = `${ENV_PREFIX}_URL`;
