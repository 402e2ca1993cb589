/** Notes a command this version does not know (OpenIM may add some): logged once per name, counted every time. */
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';

const seen = new Set<string>();

export function noteUnknownCommand(command: string, operationID: string): void {
  countEvent(METRIC_NAMES.unknownCommand);
  if (seen.has(command)) return;
  seen.add(command);
  logger.warn('unknown callback command answered with continue', { command, operationID });
}
