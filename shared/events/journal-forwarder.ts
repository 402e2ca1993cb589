/**
 * Forwards the events of an EventJournal to the chat-events topic in the background, from where
 * the last run stopped (the journal's checkpoint): what was journaled before this start, and not
 * forwarded, goes first. Each read takes a chunk of entries (about `maxReadBytes`), hands them to
 * the entry publisher (on a thread of its own in the server: threaded-entry-publisher.ts), which
 * packs them into PublishBatch calls of 10, and records the position after them; the checkpoint
 * follows within the journal's interval, so after a crash the last entries before it are
 * published again. That is safe: the event is the same, eventId and
 * all, and the consumers apply an event once by its natural key (docs/local-mode.md).
 * An entry the topic cannot take for now (the stand-in down) is tried again after a backoff
 * that doubles up to `maxBackoffMs`, counted, while the journal takes new events meanwhile; one
 * it refuses outright (too large, rejected) is written whole to an error line for replay, as the
 * direct path does (shared/callbacks/publish-after-event.ts).
 */
import { logger } from '../observability/logger.ts';
import { countEvent, METRIC_NAMES } from '../observability/metrics.ts';
import { doublingDelayMs } from '../time/doubling-delay.ts';
import type { EventJournal, JournalPosition, JournalRead } from './event-journal.ts';
import { chatEventOf, type JournalEntryPublisher } from './journal-entry-publisher.ts';

export interface JournalForwarderOptions {
  /** Bytes of entries read, parsed and published at a time (about 50 events): a bound on each turn of the event loop. @default 32 KiB */
  readonly maxReadBytes?: number;
  /** The first pause after a failed attempt; doubled per failure in a row. @default 100 */
  readonly firstBackoffMs?: number;
  /** @default 5000 */
  readonly maxBackoffMs?: number;
  /**
   * How long to let entries gather after an append woke an idle forwarder, before reading them.
   * Woken at every append, it read, handed over and published each event alone when events came
   * one by one (OpenIM's queue sends two at a time): a PublishBatch call per event, and the
   * event loop that answers OpenIM paid for each read and hand-over. @default 10
   */
  readonly lingerMs?: number;
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
  private readonly lingerMs: number;

  constructor(
    private readonly journal: EventJournal,
    private readonly publisher: JournalEntryPublisher,
    options: JournalForwarderOptions = {},
  ) {
    this.position = journal.resumeAt;
    this.maxReadBytes = options.maxReadBytes ?? 32 * 1024;
    this.firstBackoffMs = options.firstBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.lingerMs = options.lingerMs ?? 10;
  }

  start(): void {
    this.running ??= this.run();
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
    for (let readFailuresInARow = 0; ; ) {
      let read: JournalRead;
      try {
        read = await this.journal.read(this.position, this.maxReadBytes);
        readFailuresInARow = 0;
      } catch (error) {
        // The journal's files unreadable for now (too many open files, say): again after a pause.
        if (readFailuresInARow === 0) logger.error('the event journal could not be read; retrying with backoff', { segment: this.position.segment, error: error as Error });
        const pauseMs = Math.min(doublingDelayMs(this.firstBackoffMs, this.maxBackoffMs, readFailuresInARow + 1), this.deadline - performance.now());
        readFailuresInARow += 1;
        if (pauseMs <= 0) return;
        await this.pause(pauseMs);
        continue;
      }
      if (read.droppedBytes > 0) {
        countEvent(METRIC_NAMES.eventJournalDropped, {}, read.droppedBytes);
        logger.warn('event journal bytes dropped: a last line cut short (never acknowledged) or lines failing their checksum', {
          segment: this.position.segment,
          droppedBytes: read.droppedBytes,
          corruptLines: read.corruptLines,
        });
      }
      if (read.texts.length === 0 && samePosition(read.next, this.position)) {
        if (this.stopping) return;
        const appended = this.journal.nextAppend();
        // Whatever was appended while this read was on its way is read at once.
        if (samePosition(this.journal.end, this.position)) {
          await this.unlessStopped(appended);
          if (!this.stopping && this.lingerMs > 0) await this.pause(this.lingerMs);
        }
        continue;
      }
      if (!(await this.forward(read.texts))) return;
      this.position = read.next;
      this.journal.forwarded(this.position);
      if (this.stopping && performance.now() >= this.deadline) return;
    }
  }

  /** True once every entry was taken or refused; false when stopping ran out of time first. */
  private async forward(texts: readonly string[]): Promise<boolean> {
    let pending = texts;
    for (let failuresInARow = 0; pending.length > 0; failuresInARow += 1) {
      const outcomes = await this.publisher.publish(pending);
      const failed: string[] = [];
      let reason = '';
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'published') this.stats.forwarded += 1;
        else if (outcome.status === 'refused') this.refuse(pending[index]!, outcome.reason);
        else {
          failed.push(pending[index]!);
          reason = outcome.reason;
        }
      });
      if (failed.length === 0) return true;
      this.stats.failedAttempts += failed.length;
      countEvent(METRIC_NAMES.eventJournalForwardFailed, {}, failed.length);
      if (failuresInARow === 0) logger.warn('journaled events could not be forwarded; retrying with backoff', { events: failed.length, reason });
      const pauseMs = Math.min(doublingDelayMs(this.firstBackoffMs, this.maxBackoffMs, failuresInARow + 1), this.deadline - performance.now());
      if (pauseMs <= 0) return false;
      await this.pause(pauseMs);
      pending = failed;
    }
    return true;
  }

  /** An entry the topic will never take: written whole to an error line for replay, as the direct path does. */
  private refuse(text: string, reason: string): void {
    this.stats.refused += 1;
    const event = chatEventOf(text);
    countEvent(METRIC_NAMES.afterEventPublishFailed, { eventType: event?.eventType ?? 'unknown' });
    logger.error('chat event could not be published; replay it from this line', {
      operationID: event?.operationID,
      eventType: event?.eventType,
      ...(event ? { replayEvent: event } : { replayEntry: text }),
      reason,
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

function samePosition(a: JournalPosition, b: JournalPosition): boolean {
  return a.segment === b.segment && a.offset === b.offset;
}
