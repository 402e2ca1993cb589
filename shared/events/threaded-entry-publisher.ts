/**
 * Publishes the journal's entries from a worker thread (forwarding-thread.ts), so that forwarding
 * costs the event loop that answers callbacks only a message per chunk: measured with the
 * forwarder on the event loop, publishing took more of its CPU than answering did. A thread that
 * dies fails what it had on its way (the forwarder tries it again) and is started again for the
 * next chunk.
 */
import { Worker } from 'node:worker_threads';
import type { EntryOutcome, JournalEntryPublisher } from './journal-entry-publisher.ts';

/** The thread's name, as `top -H` and /proc show it (Linux keeps 15 characters). */
export const FORWARDING_THREAD = 'forwarder';

export interface ForwardingRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

export interface ForwardingResponse {
  readonly id: number;
  readonly outcomes: EntryOutcome[];
}

interface Waiting {
  readonly entries: number;
  readonly resolve: (outcomes: EntryOutcome[]) => void;
}

export class ThreadedEntryPublisher implements JournalEntryPublisher {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private lastId = 0;

  publish(texts: readonly string[]): Promise<EntryOutcome[]> {
    const worker = this.worker ?? this.startWorker();
    const id = (this.lastId += 1);
    return new Promise((resolve) => {
      this.waiting.set(id, { entries: texts.length, resolve });
      worker.postMessage({ id, texts } satisfies ForwardingRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private startWorker(): Worker {
    // The thread reads its settings from the environment, as the handler does.
    const worker = new Worker(new URL('./forwarding-thread.ts', import.meta.url), { name: FORWARDING_THREAD });
    worker.unref();
    let failure = 'the forwarding thread stopped';
    worker.on('message', ({ id, outcomes }: ForwardingResponse) => {
      this.waiting.get(id)?.resolve(outcomes);
      this.waiting.delete(id);
    });
    worker.on('error', (error) => (failure = `the forwarding thread failed: ${error.name}: ${error.message}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const { entries, resolve } of this.waiting.values()) resolve(Array.from({ length: entries }, () => ({ status: 'failed', reason: failure })));
      this.waiting.clear();
    });
    this.worker = worker;
    return worker;
  }
}
