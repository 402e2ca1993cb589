/**
 * Runs the queue workers of `npm start` in a process of their own, as Lambda runs them apart from
 * the API: their work (SQS polls, DynamoDB writes) then never delays a webhook answer, which
 * OpenIM's small after-callback queue would turn into dropped events.
 * The parent passes the queues in LOCAL_QUEUES, waits for "ready", and sends "stop" to end it.
 * Stopping lets the batches in hand finish; whatever is not done stays queued.
 */
import { createSqsClient } from '#shared/aws/sqs-client.ts';
import { lowerThisProcess } from '#shared/process/background-priority.ts';
import { startWorkers } from './functions.ts';
import type { QueuePoller } from './queue-poller.ts';
import type { LocalQueue } from './provision-queues.ts';
import { sendLogsTo } from './log-file.ts';

// Here the workers share the machine with the webhook path, so they yield to it: queues absorb a
// burst and the workers catch up after it.
lowerThisProcess();

// The server's LOG_FILE: both processes append their JSON lines to it ('-': stdout and stderr).
sendLogsTo(process.env.LOG_FILE && process.env.LOG_FILE !== '-' ? process.env.LOG_FILE : undefined);

let pollers: Promise<QueuePoller[]> | undefined;
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(((await pollers) ?? []).map((poller) => poller.stop()));
  process.exit(0);
}
process.on('message', (message) => {
  if (message === 'stop') void stop();
});
// The parent is gone (killed without a chance to stop us): stop too.
process.once('disconnect', () => void stop());
// A Ctrl-C reaches the whole process group, this process too: stop the same way, not half-way.
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const queues = JSON.parse(process.env.LOCAL_QUEUES ?? '{}') as Record<string, LocalQueue>;
pollers = startWorkers(createSqsClient(), queues);
await pollers;
if (!stopping) process.send?.('ready');
