/**
 * Runs the queue workers of `npm start` in a process of their own, as Lambda runs them apart from
 * the API: their work (SQS polls, DynamoDB writes) then never delays a webhook answer, which
 * OpenIM's small after-callback queue would turn into dropped events.
 * The parent passes the queues in LOCAL_QUEUES, waits for "ready", and sends "stop" to end it.
 */
import { createSqsClient } from '#shared/aws/clients.ts';
import { startWorkers } from './functions.ts';
import type { LocalQueue } from './provision-queues.ts';

const queues = JSON.parse(process.env.LOCAL_QUEUES ?? '{}') as Record<string, LocalQueue>;
const pollers = await startWorkers(createSqsClient(), queues);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(pollers.map((poller) => poller.stop()));
  process.exit(0);
}
process.on('message', (message) => {
  if (message === 'stop') void stop();
});
// The parent is gone (killed without a chance to stop us): stop too.
process.once('disconnect', () => void stop());
process.send?.('ready');
