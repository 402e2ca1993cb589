/**
 * Forwards the events of an EventJournal to the chat-events topic in the background, from where
 * the last run stopped (the journal's checkpoint): what was journaled before this start, and not
 * forwarded, goes first. Each read takes a chunk of entries (about `maxReadBytes`), publishes them
 * through the topic's publisher, which packs them into PublishBatch calls of 10, and records the
 * position after them; the checkpoint follows within the journal's interval, so after a crash the
 * last entries before it are published again. That is safe: the event is the same, eventId and
 * all, and the consumers apply an event once by its natural key (docs/local-mode.md).
 * An entry the topic cannot take for now (the stand-in down) is tried again after a backoff
 * that doubles up to `maxBackoffMs`, counted, while the journal takes new events meanwhile; one
 * it refuses outright (too large, rejected) is written whole to an error line for replay, as the
 * direct path does (shared/callbacks/publish-after-event.ts).
 */
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';
import type { ChatEvent } from './chat-event.ts';
import type { ChatEventPublisher } from './chat-event-publisher.ts';
import { ChatEventRejectedError, ChatEventTooLargeError } from './errors.ts';
import type { EventJournal, JournalPosition } from './event-journal.ts';

export interface JournalForwarderOptions {
  /** Bytes of entries read, parsed and published at a time: a bound on each turn of the event loop. @default 64 KiB */
  readonly maxReadBytes?: number;
  /** The first pause after a failed attempt; doubled per failure in a row. @default 100 */
  readonly firstBackoffMs?: number;
  /** @default 5000 */
  readonly maxBackoffMs?: number;
}

export interface ForwarderStats {
  /** Events the topic took. */
  readonly forwarded: number;
  /** Events the topic refused outright, written to an error line for replay. */
  readonly refused: number;
  /** Publishes that failed for now and were tried again. */
  readonly failedAttempts: number;
}

export class JournalForwarder {
  private position: JournalPosition;
  private stopping = false;
  private deadline = Number.POSITIVE_INFINITY;
  private wake: () => void = () => undefined;
  private running: Promise<void> | undefined;
  private stats = { forwarded: 0, refused: 0, failedAttempts: 0 };
  private readonly maxReadBytes: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly journal: EventJournal,
    private readonly publisher: ChatEventPublisher,
    options: JournalForwarderOptions = {},
  ) {
    this.position = journal.resumeAt;
    this.maxReadBytes = options.maxReadBytes ?? 64 * 1024;
    this.firstBackoffMs = options.firstBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  start(): void {
    this.running ??= this.run().catch((error: unknown) => {
      // Reading the journal failed (its files gone?): what is left is forwarded at the next start.
      logger.error('the after-event journal forwarder stopped; unforwarded events are forwarded at the next start', { error: error as Error });
    });
  }

  /** Forwards what is journaled for up to `deadlineMs` more, then stops; what is left stays journaled. */
  async stop(deadlineMs: number): Promise<ForwarderStats> {
    this.stopping = true;
    this.deadline = performance.now() + deadlineMs;
    this.wake();
    await this.running;
    return this.counts();
  }

  counts(): ForwarderStats {
    return { ...this.stats };
  }

  private async run(): Promise<void> {
    for (;;) {
      const read = await this.journal.read(this.position, this.maxReadBytes);
      if (read.droppedBytes > 0) {
        countEvent(METRIC_NAMES.afterEventJournalDropped, {}, read.droppedBytes);
        logger.warn('after-event journal bytes dropped: a last line cut short (never acknowledged) or lines failing their checksum', {
          segment: this.position.segment,
          droppedBytes: read.droppedBytes,
          corruptLines: read.corruptLines,
        });
      }
      if (read.texts.length === 0 && samePosition(read.next, this.position)) {
        if (this.stopping) return;
        const appended = this.journal.nextAppend();
        // Whatever was appended while this read was on its way is read at once.
        if (samePosition(this.journal.end, this.position)) await this.unlessStopped(appended);
        continue;
      }
      if (!(await this.forward(read.texts.flatMap((text) => eventOf(text))))) return;
      this.position = read.next;
      this.journal.forwarded(this.position);
      if (this.stopping && performance.now() >= this.deadline) return;
    }
  }

  /** True once every event was taken or refused; false when stopping ran out of time first. */
  private async forward(events: readonly ChatEvent[]): Promise<boolean> {
    let pending = events;
    for (let failuresInARow = 0; pending.length > 0; failuresInARow += 1) {
      const outcomes = await Promise.allSettled(pending.map((event) => this.publisher.publish(event)));
      const failed: ChatEvent[] = [];
      outcomes.forEach((outcome, index) => {
        const event = pending[index]!;
        if (outcome.status === 'fulfilled') this.stats.forwarded += 1;
        else if (isRefusal(outcome.reason)) this.refuse(event, outcome.reason as Error);
        else failed.push(event);
      });
      if (failed.length === 0) return true;
      this.stats.failedAttempts += failed.length;
      countEvent(METRIC_NAMES.afterEventForwardFailed, {}, failed.length);
      const reason = (outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason as Error;
      if (failuresInARow === 0) logger.warn('journaled after-events could not be forwarded; retrying with backoff', { events: failed.length, error: reason });
      const pauseMs = Math.min(this.firstBackoffMs * 2 ** failuresInARow, this.maxBackoffMs, this.deadline - performance.now());
      if (pauseMs <= 0) return false;
      await this.pause(pauseMs);
      pending = failed;
    }
    return true;
  }

  private refuse(event: ChatEvent, error: Error): void {
    this.stats.refused += 1;
    countEvent(METRIC_NAMES.afterEventPublishFailed, { eventType: event.eventType });
    logger.error('chat event could not be published; replay it from this line', {
      operationID: event.operationID,
      eventType: event.eventType,
      replayEvent: event,
      error,
    });
  }

  /** Resolves with `promise`, or at once when stopping begins (one waiter at a time: the loop's). */
  private unlessStopped(promise: Promise<unknown>): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      void promise.then(() => resolve());
    });
  }

  private pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return this.unlessStopped(new Promise((resolve) => (timer = setTimeout(resolve, ms)))).finally(() => clearTimeout(timer));
  }
}

function isRefusal(error: unknown): boolean {
  return error instanceof ChatEventTooLargeError || error instanceof ChatEventRejectedError;
}

/** The entry's event; an entry that is none (its checksum matched, so it was written so) is logged and skipped. */
function eventOf(text: string): ChatEvent[] {
  try {
    const event = JSON.parse(text) as ChatEvent;
    if (typeof event.eventId === 'string' && typeof event.eventType === 'string') return [event];
  } catch {
    // Logged below.
  }
  logger.error('after-event journal entry is not a chat event; skipped', { bytes: Buffer.byteLength(text) });
  return [];
}

function samePosition(a: JournalPosition, b: JournalPosition): boolean {
  return a.segment === b.segment && a.offset === b.offset;
}
