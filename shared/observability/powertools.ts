/**
 * Powertools' Logger and Metrics, read when the first line is logged or the first metric emitted
 * rather than at every cold start: their modules were ~2-3 ms of each function's start (compiling
 * and evaluating ~33 KiB), and the callbacks log and count only on their rare paths.
 * A synchronous `require`, so that logging stays synchronous and no line waits on a load. In a
 * bundle each package is one file beside it (RUN_TIME_PACKAGES in infra/constructs/split-bundle.ts),
 * where esbuild leaves this require alone; from the sources it is the package's own build.
 */
import { createRequire } from 'node:module';

const requireAtRunTime = createRequire(import.meta.url);

type LoggerPackage = typeof import('@aws-lambda-powertools/logger');
type MetricsPackage = typeof import('@aws-lambda-powertools/metrics');
// Kept: `require` resolves its argument again at every call, and a count is on the send path.
let loggerPackage: LoggerPackage | undefined;
let metricsPackage: MetricsPackage | undefined;

export const powertoolsLogger = (): LoggerPackage => (loggerPackage ??= requireAtRunTime('@aws-lambda-powertools/logger') as LoggerPackage);

export const powertoolsMetrics = (): MetricsPackage => (metricsPackage ??= requireAtRunTime('@aws-lambda-powertools/metrics') as MetricsPackage);

/**
 * Who writes the service's log lines and metrics: POWERTOOLS_SERVICE_NAME and
 * POWERTOOLS_METRICS_NAMESPACE, with the same defaults for every logger and every Metrics.
 */
export const powertoolsIdentity = () => ({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'openim-hooks',
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OpenimHooks',
});
