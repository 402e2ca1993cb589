/**
 * `npm start`: the handlers behind a local HTTP server, with dynalite and fauxqs in-process,
 * so that an OpenIM started with its docker compose can point its webhooks at this machine.
 * Prints the webhook base URL and a ready-to-paste webhooks.yml, then serves until SIGINT/SIGTERM,
 * on which it stops in order (shutdown.ts): no new callbacks, the workers finish their batches,
 * the stand-ins close their stores, the DATA_DIR lock is released. A failure to start is one line
 * on stderr and exit code 1 (failure-line.ts); the JSON log lines go to LOG_FILE (log-file.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSnsClient } from '#shared/aws/sns-client.ts';
import { createSqsClient } from '#shared/aws/sqs-client.ts';
import { loadCallbackConfig } from '#shared/config/callback-config.ts';
import { stopEventJournals } from '#shared/events/callback-event-journal.ts';
import { EVENT_JOURNAL_DIR_ENV } from '#shared/events/journaled-when-configured.ts';
import { logger } from '#shared/observability/logger.ts';
import { sumCountsEvery } from '#shared/observability/metrics.ts';
import { renderWebhooksYml } from '#shared/openim/webhooks-yml.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { adoptEarlierJournal } from './earlier-journal.ts';
import { reportFailure } from './failure-line.ts';
import { startEmbeddedAws } from './embedded-aws.ts';
import { loadLocalConfig } from './local-config.ts';
import { sendLogsTo, type Terminal } from './log-file.ts';
import { loadOperatorRoutes, workerEnvironment } from './functions.ts';
import { provisionLocalResources } from './provision.ts';
import { ensureQueues } from './provision-queues.ts';
import { localModeratorAccounts } from './moderator-accounts.ts';
import { createLocalServer, type LocalHandlers } from './server.ts';
import { createShutdown, type Shutdown } from './shutdown.ts';
import { startWorkerProcess } from './worker-processes.ts';

const LOCAL_BEFORE_PUBLISH_LINGER_MS = 5;
/** How often the counts of this process are written, summed (shared/observability/metrics.ts). */
const METRIC_COUNTS_INTERVAL_MS = 1_000;
/** Within this, a stop has ended everything; the workers' own grace (worker-processes.ts) is shorter. */
const SHUTDOWN_DEADLINE_MS = 10_000;
/** Callbacks still being answered after this when stopping are cut off; OpenIM retries nothing, but waits no longer either. */
const HTTP_DRAIN_MS = 2_000;
/** How long the event journal's forwarder goes on when stopping; what is left is forwarded at the next start. */
const JOURNAL_FORWARD_MS = 3_000;

// The terminal until the log lines are sent to their file; a failure before then prints here too.
let terminal: Terminal | undefined;
let shutdown: Shutdown | undefined;
try {
  await start();
} catch (error) {
  reportFailure('npm start', error, terminal?.printError);
  // What was started stops in order (the lock is released on exit, however it comes).
  if (shutdown) await shutdown.stop('start-up failed', { failed: true });
  process.exit(1);
}

async function start(): Promise<void> {
  const config = loadLocalConfig();
  lockDataDir(config.dataDir);
  terminal = sendLogsTo(config.logFile);
  const stopping = createShutdown({ deadlineMs: SHUTDOWN_DEADLINE_MS });
  shutdown = stopping;
  // This process answers every callback, blocked messages included: a line per count would be a
  // write per blocked message. The last step of a stop writes what was counted since the last line.
  const counts = sumCountsEvery(METRIC_COUNTS_INTERVAL_MS);
  stopping.onStop('metric counts', () => counts.stop());
  // `on`, not `once`: npm passes on the Ctrl-C the terminal already sent, and a second signal
  // that found no listener would kill the process half-way through stopping.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopping.stop(signal));

  const aws = await startEmbeddedAws(config.dataDir, { durableQueues: config.durableQueues });
  stopping.onStop('AWS stand-ins', () => aws.stop());

  // The handlers read their settings and endpoints from the environment, exactly as in Lambda.
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_ENDPOINT_URL_DYNAMODB: aws.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SNS: aws.messagingEndpoint,
    AWS_ENDPOINT_URL_SQS: aws.messagingEndpoint,
    // fauxqs serves S3 on the same port; an IP endpoint makes the SDK address buckets path-style.
    AWS_ENDPOINT_URL_S3: aws.messagingEndpoint,
    CALLBACK_SECRET: config.callbackSecret,
    // Where a before-callback's event is published before its answer (EVENT_JOURNAL=false, or while
    // the journal cannot take events): this one process answers every callback at once, unlike a
    // Lambda instance, so the blocks and flags of concurrent senders can share a PublishBatch call
    // if each waits a few milliseconds (measured in bench:callbacks with 5% of messages blocked:
    // about 12% more before-callbacks/s).
    BEFORE_PUBLISH_LINGER_MS: process.env.BEFORE_PUBLISH_LINGER_MS ?? String(LOCAL_BEFORE_PUBLISH_LINGER_MS),
    // The workers' process appends its log lines to the same file.
    LOG_FILE: config.logFile ?? '-',
  });
  // The callbacks' events go to a journal under DATA_DIR before the answer and on to the topic in
  // the background (shared/events/callback-event-journal.ts); without it each answer waits for the topic.
  if (config.eventJournalDir) {
    const earlier = adoptEarlierJournal(config.dataDir, config.eventJournalDir);
    if (earlier !== 'none') logger.warn('an earlier version left a journal in DATA_DIR/after-journal', { outcome: earlier, dataDir: config.dataDir });
    process.env[EVENT_JOURNAL_DIR_ENV] = config.eventJournalDir;
  } else delete process.env[EVENT_JOURNAL_DIR_ENV];
  const sqs = createSqsClient();
  const resources = await provisionLocalResources(createSnsClient(), new DynamoDBClient({}));
  const queues = await ensureQueues({ sqs, sns: createSnsClient() }, resources.chatEventsTopicArn);
  Object.assign(process.env, resources.environment, workerEnvironment());

  const handlers: LocalHandlers = {
    beforeCallback: (await import('../functions/before-callback/handler.ts')).handler,
    afterCallback: (await import('../functions/after-callback/handler.ts')).handler,
    operatorRoutes: await loadOperatorRoutes(),
  };
  // After the HTTP server and the workers, before the stand-ins: forwarding needs the topic.
  stopping.onStop('event journal', () => stopEventJournals(JOURNAL_FORWARD_MS));
  const workers = await startWorkerProcess({ queues, releaseInFlight: (names) => aws.releaseInFlight(names) });
  stopping.onStop('workers', () => workers.stop());
  const server = createLocalServer({
    handlers,
    apiToken: config.apiToken,
    accounts: localModeratorAccounts(config.dataDir),
    callbackSecret: Buffer.from(config.callbackSecret, 'utf8'),
    health: () => {
      const health = workers.health();
      return health.up ? { status: 'ok' } : { status: 'degraded', reason: health.reason };
    },
  });
  // `once` rejects on 'error' (EADDRINUSE, EACCES, ...), which would otherwise crash unhandled.
  server.listen(config.port, config.host);
  await once(server, 'listening');
  stopping.onStop('HTTP server', () => closeServer(server, HTTP_DRAIN_MS));

  const { port } = server.address() as AddressInfo;
  const listenUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const webhookBase = `${config.publicUrl ?? listenUrl}/openim/${config.callbackSecret}`;
  const warnings = terminal.warnings();
  terminal.print(
    [
      `openim-hooks listening on ${listenUrl}`,
      `Webhook base URL: ${webhookBase}`,
      `Operator API: ${listenUrl}/api  (Authorization: Bearer ${config.apiToken})`,
      `API reference: ${listenUrl}/api/docs/`,
      `State: ${config.dataDir}`,
      `Callback events: ${config.eventJournalDir ? `journaled in ${config.eventJournalDir}, forwarded to the topic in the background` : 'published to the topic before each answer (EVENT_JOURNAL=false)'}`,
      `Log (JSON lines): ${config.logFile ?? 'stdout and stderr'}`,
      `Embedded DynamoDB (dynalite): ${aws.dynamodbEndpoint}`,
      `Embedded SQS/SNS (fauxqs): ${aws.messagingEndpoint}  chat-events topic: ${resources.chatEventsTopicArn}`,
      `Embedded S3 (fauxqs): ${aws.messagingEndpoint}`,
      ...(warnings.length > 0 ? ['', 'Warnings at start-up (details in the log):', ...warnings.map((warning) => `  ${warning}`)] : []),
      '',
      '--- webhooks.yml for OpenIM (config/webhooks.yml) ---',
      renderWebhooksYml(webhookBase, loadCallbackConfig()),
    ].join('\n'),
  );
}

/** Stops accepting, lets the callbacks being answered finish (up to `drainMs`), then closes every connection. */
function closeServer(server: Server, drainMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cutOff = setTimeout(() => server.closeAllConnections(), drainMs);
  return closed.finally(() => clearTimeout(cutOff));
}
