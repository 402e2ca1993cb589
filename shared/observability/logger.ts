/**
 * One structured JSON logger for every entry point (Powertools: the same shape in Lambda and
 * locally). Level from POWERTOOLS_LOG_LEVEL. Message bodies and secrets are never logged at info.
 *
 * The Powertools Logger is loaded and built at the first line logged, not at import: its modules
 * and its construction (the environment's settings, a Console on stdout and stderr) are part of
 * every cold start otherwise, and the callbacks log only on their rare paths (a refused event, a
 * fallback reply, a decision).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { powertoolsIdentity, powertoolsLogger } from './powertools.ts';

/** The methods the service logs with (and a level a bench may lower). */
export type ServiceLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'setLogLevel'>;

let powertools: Logger | undefined;
const built = () => (powertools ??= new (powertoolsLogger().Logger)({ serviceName: powertoolsIdentity().serviceName }));

export const logger: ServiceLogger = {
  debug: (message, ...extra) => built().debug(message, ...extra),
  info: (message, ...extra) => built().info(message, ...extra),
  warn: (message, ...extra) => built().warn(message, ...extra),
  error: (message, ...extra) => built().error(message, ...extra),
  setLogLevel: (level) => built().setLogLevel(level),
};

/** Whether the first line has been logged (the logger built): what the cold-start tests check. */
export function loggerBuilt(): boolean {
  return powertools !== undefined;
}
