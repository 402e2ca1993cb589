/**
 * OpenIM's `webhooks.yml`, as the `IMENV_WEBHOOKS_*` variables OpenIM's config loader reads
 * (viper: prefix IMENV_WEBHOOKS, key path upper-cased, "." -> "_"), derived from the settings
 * `renderWebhooksYml()` writes, so that ECS and the local server's snippet cannot differ.
 * Viper reads a variable only for a key the version's YAML file has, so callbacks that only main
 * knows are left out for v3.8.3 rather than set and silently ignored.
 * A list becomes comma-separated: viper splits an environment string on commas, and a YAML-style
 * `[1, 2]` would arrive as the items "[1" and " 2]" (open-im-server #3321).
 * The URL is left out: it holds the secret and is set at container start (see openim-stack.ts).
 */
import type { OpenimVersion } from '../config/stage-config.ts';
import { CALLBACK_COMMANDS } from '#shared/openim/commands.ts';
import { webhookSettings } from '#shared/openim/webhooks-yml.ts';

const ENV_PREFIX = 'IMENV_WEBHOOKS';

/** Config keys of callbacks that `version` does not have. */
function keysMissingIn(version: OpenimVersion): Set<string> {
  return new Set(version === 'main' ? [] : Object.values(CALLBACK_COMMANDS).filter((c) => c.since === 'main').map((c) => c.configKey));
}

export function webhooksEnvironment(version: OpenimVersion): Record<string, string> {
  const missing = keysMissingIn(version);
  const environment: Record<string, string> = {};
  for (const { configKey, why: _why, ...fields } of webhookSettings()) {
    if (missing.has(configKey)) continue;
    for (const [field, value] of Object.entries(fields)) {
      environment[`${ENV_PREFIX}_${configKey.toUpperCase()}_${field.toUpperCase()}`] = Array.isArray(value) ? value.join(',') : String(value);
    }
  }
  return environment;
}

/** The variable that carries the webhook base URL. */
export const WEBHOOKS_URL_ENV = `${ENV_PREFIX}_URL`;
