/**
 * The callbacks' publisher, chosen by configuration (docs/configuration.md): with
 * EVENT_JOURNAL_DIR, which `npm start` sets to DATA_DIR/event-journal, each event a callback
 * answers for (every after-event; a before-callback's block, flag or push job) is appended to a
 * local journal there before the answer and forwarded to the topic in the background
 * (event-journal.ts, journal-forwarder.ts), so the answer does not wait for the topic; without
 * it, as in Lambda, whose disk does not outlive the instance, the event is published to the topic
 * before the answer. Both handlers of a process share one journal and its forwarder.
 */
import { isAbsolute } from 'node:path';
import * as z from 'zod/mini';
import { InvalidConfigError } from '../config/errors.ts';
import { parseEnv, wholeNumber } from '../config/parse-env.ts';
import { logger } from '../observability/logger.ts';
import type { ChatEventPublisher } from './chat-event-publisher.ts';
import { EventJournal, journalBacklogBytes } from './event-journal.ts';
import type { JournalEntryPublisher } from './journal-entry-publisher.ts';
import { JournalForwarder } from './journal-forwarder.ts';
import { ThreadedEntryPublisher } from './threaded-entry-publisher.ts';
import { JournalingChatEventPublisher } from './journaling-chat-event-publisher.ts';
import { EVENT_JOURNAL_DIR_ENV } from './journaled-when-configured.ts';

const JournalEnv = z
  .object({
    EVENT_JOURNAL_DIR: z.optional(
      z.string().check(z.refine(isAbsolute, 'EVENT_JOURNAL_DIR must be an absolute path (npm start sets DATA_DIR/event-journal)')),
    ),
    /** How often at most the forwarder's position is written: events forwarded since are forwarded again after a crash. */
    EVENT_JOURNAL_CHECKPOINT_MS: z._default(wholeNumber(z.minimum(1), z.maximum(60_000)), 100),
    AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string()),
  })
  .check(
    z.refine((env) => !(env.EVENT_JOURNAL_DIR && env.AWS_LAMBDA_FUNCTION_NAME), {
      message: "EVENT_JOURNAL_DIR is for the local server only: a Lambda instance's disk does not outlive it, so acknowledged events would be lost",
    }),
  );

interface RunningJournal {
  readonly journal: EventJournal;
  readonly forwarder: JournalForwarder;
  readonly entries: JournalEntryPublisher;
}

/** One journal and forwarder per directory, shared by every handler of the process that journals. */
const running = new Map<string, Promise<RunningJournal>>();

export interface JournalOptions {
  /** What the forwarder publishes through. @default a ThreadedEntryPublisher: the topic's publisher on a thread of its own */
  readonly entries?: () => JournalEntryPublisher;
}

/**
 * `direct` when no journal is configured; else a publisher that journals, with its forwarder
 * started. `direct` also takes the events the journal cannot (journaling-chat-event-publisher.ts).
 */
export async function journalingPublisherFromEnv(
  direct: ChatEventPublisher,
  env: NodeJS.ProcessEnv = process.env,
  options: JournalOptions = {},
): Promise<ChatEventPublisher> {
  const config = parseEnv(JournalEnv, env);
  const directory = config.EVENT_JOURNAL_DIR;
  if (!directory) return direct;
  let started = running.get(directory);
  if (!started) {
    started = startJournal(directory, config.EVENT_JOURNAL_CHECKPOINT_MS, options);
    running.set(directory, started);
    // A journal that could not start is not shared: the next handler's start tries again and reports its own failure.
    started.catch(() => running.delete(directory));
  }
  return new JournalingChatEventPublisher((await started).journal, direct);
}

async function startJournal(directory: string, checkpointIntervalMs: number, options: JournalOptions): Promise<RunningJournal> {
  const journal = await EventJournal.open(directory, { checkpointIntervalMs }).catch((error: unknown) => {
    throw new InvalidConfigError(`${EVENT_JOURNAL_DIR_ENV}: ${directory} cannot hold the event journal: ${(error as Error).message}`);
  });
  // The segment just begun is empty: this is what earlier runs left unforwarded.
  const backlogBytes = journalBacklogBytes(directory);
  const entries = options.entries?.() ?? new ThreadedEntryPublisher();
  const forwarder = new JournalForwarder(journal, entries);
  forwarder.start();
  logger.info('callback events are journaled and forwarded in the background', { directory, unforwardedBytesFromBefore: backlogBytes });
  return { journal, forwarder, entries };
}

/** Forwards what is journaled for up to `deadlineMs`, then closes the journals; what is left is forwarded at the next start. */
export async function stopEventJournals(deadlineMs: number): Promise<void> {
  const stopping = await Promise.allSettled(running.values());
  running.clear();
  for (const { journal, forwarder, entries } of stopping.flatMap((started) => (started.status === 'fulfilled' ? [started.value] : []))) {
    const counts = await forwarder.stop(deadlineMs);
    await entries.close();
    await journal.close();
    logger.info('event journal closed', { directory: journal.directory, ...counts, unforwardedBytes: journalBacklogBytes(journal.directory) });
  }
}
