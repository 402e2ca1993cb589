/**
 * The thread the journal's entries are published from (threaded-entry-publisher.ts): it builds
 * the topic's publisher from the environment as the after-callback handler does (after-event-topic.ts), and
 * answers each batch of entries with their outcomes. Parsing the entries and the SDK's work for
 * each PublishBatch call (serialising, signing, the response) happen here, not on the event loop
 * that answers callbacks.
 */
import { parentPort } from 'node:worker_threads';
import { loadCallbackConfig } from '../config/callback-config.ts';
import { lowerThisThread } from '../process/background-priority.ts';
import { afterEventTopicPublisher } from './after-event-topic.ts';
import { InProcessEntryPublisher } from './journal-entry-publisher.ts';
import type { ForwardingRequest, ForwardingResponse } from './threaded-entry-publisher.ts';

// In a burst the answers get the cores first and forwarding catches up after.
await lowerThisThread();

const publisher = new InProcessEntryPublisher(afterEventTopicPublisher(loadCallbackConfig()));

parentPort!.on('message', (request: ForwardingRequest) => {
  void publisher.publish(request.texts).then((outcomes) => parentPort!.postMessage({ id: request.id, outcomes } satisfies ForwardingResponse));
});
