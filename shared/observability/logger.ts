/**
 * One structured JSON logger for every entry point (Powertools: the same shape in Lambda and
 * locally). Level from POWERTOOLS_LOG_LEVEL. Message bodies and secrets are never logged at info.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'openim-hooks' });
