/**
 * The thread the journal's entries are published from (threaded-entry-publisher.ts): it builds
 * the topic's publisher from the environment as the after-callback handler does (after-event-topic.ts), and
 * answers each batch of entries with their outcomes. Parsing the entries and the SDK's work for
 * each PublishBatch call (serialising, signing, the response) happen here, not on the event loop
 * that answers callbacks.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { loadCallbackConfig } from '../config/callback-config.ts';
import { afterEventTopicPublisher } from './after-event-topic.ts';
import { InProcessEntryPublisher } from './journal-entry-publisher.ts';
import type { ForwardingRequest, ForwardingResponse } from './threaded-entry-publisher.ts';

/**
 * Below the event loop that answers OpenIM (0), as the workers' process is: in a burst the answers
 * get the cores first and forwarding catches up after. Linux keeps a nice value per thread, so
 * this lowers this thread only.
 */
const FORWARDING_NICENESS = 10;
setPriority(FORWARDING_NICENESS);

const publisher = new InProcessEntryPublisher(afterEventTopicPublisher(loadCallbackConfig()));

parentPort!.on('message', (request: ForwardingRequest) => {
  void publisher.publish(request.texts).then((outcomes) => parentPort!.postMessage({ id: request.id, outcomes } satisfies ForwardingResponse));
});
