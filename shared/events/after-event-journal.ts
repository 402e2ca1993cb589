/**
 * The after-callback's publisher, chosen by configuration (docs/configuration.md): with
 * AFTER_EVENT_JOURNAL_DIR, which `npm start` sets to DATA_DIR/after-journal, each event is
 * appended to a local journal there before the answer and forwarded to the topic in the
 * background (event-journal.ts, journal-forwarder.ts), so the answer does not wait for the
 * topic; without it, as in Lambda, whose disk does not outlive the instance, the event is
 * published to the topic before the answer.
 */
import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { InvalidConfigError } from '../config/errors.ts';
import { parseEnv } from '../config/parse-env.ts';
import { logger } from '../observability/logger.ts';
import type { ChatEventPublisher } from './chat-event-publisher.ts';
import { EventJournal, journalBacklogBytes } from './event-journal.ts';
import type { JournalEntryPublisher } from './journal-entry-publisher.ts';
import { JournalForwarder } from './journal-forwarder.ts';
import { ThreadedEntryPublisher } from './threaded-entry-publisher.ts';
import { JournalingChatEventPublisher } from './journaling-chat-event-publisher.ts';

export const AFTER_EVENT_JOURNAL_DIR_ENV = 'AFTER_EVENT_JOURNAL_DIR';

const JournalEnv = z
  .object({
    AFTER_EVENT_JOURNAL_DIR: z
      .string()
      .refine(isAbsolute, 'AFTER_EVENT_JOURNAL_DIR must be an absolute path (npm start sets DATA_DIR/after-journal)')
      .optional(),
    /** How often at most the forwarder's position is written: events forwarded since are forwarded again after a crash. */
    AFTER_EVENT_JOURNAL_CHECKPOINT_MS: z.coerce.number().int().min(1).max(60_000).default(100),
    AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
  })
  .refine((env) => !(env.AFTER_EVENT_JOURNAL_DIR && env.AWS_LAMBDA_FUNCTION_NAME), {
    message: "AFTER_EVENT_JOURNAL_DIR is for the local server only: a Lambda instance's disk does not outlive it, so acknowledged events would be lost",
  });

const running: { readonly journal: EventJournal; readonly forwarder: JournalForwarder; readonly entries: JournalEntryPublisher }[] = [];

export interface JournalOptions {
  /** What the forwarder publishes through. @default a ThreadedEntryPublisher: the topic's publisher on a thread of its own */
  readonly entries?: () => JournalEntryPublisher;
}

/**
 * `direct` when no journal is configured; else a publisher that journals, with its forwarder
 * started. `direct` also takes the events the journal cannot (journaling-chat-event-publisher.ts).
 */
export async function afterEventPublisherFromEnv(
  direct: ChatEventPublisher,
  env: NodeJS.ProcessEnv = process.env,
  options: JournalOptions = {},
): Promise<ChatEventPublisher> {
  const config = parseEnv(JournalEnv, env);
  const directory = config.AFTER_EVENT_JOURNAL_DIR;
  if (!directory) return direct;
  const journal = await EventJournal.open(directory, { checkpointIntervalMs: config.AFTER_EVENT_JOURNAL_CHECKPOINT_MS }).catch((error: unknown) => {
    throw new InvalidConfigError(`${AFTER_EVENT_JOURNAL_DIR_ENV}: ${directory} cannot hold the after-event journal: ${(error as Error).message}`);
  });
  // The segment just begun is empty: this is what earlier runs left unforwarded.
  const backlogBytes = journalBacklogBytes(directory);
  const entries = options.entries?.() ?? new ThreadedEntryPublisher();
  const forwarder = new JournalForwarder(journal, entries);
  forwarder.start();
  running.push({ journal, forwarder, entries });
  logger.info('after-events are journaled and forwarded in the background', { directory, unforwardedBytesFromBefore: backlogBytes });
  return new JournalingChatEventPublisher(journal, direct);
}

/** Forwards what is journaled for up to `deadlineMs`, then closes the journals; what is left is forwarded at the next start. */
export async function stopAfterEventJournals(deadlineMs: number): Promise<void> {
  for (const { journal, forwarder, entries } of running.splice(0)) {
    const counts = await forwarder.stop(deadlineMs);
    await entries.close();
    await journal.close();
    logger.info('after-event journal closed', { directory: journal.directory, ...counts, unforwardedBytes: journalBacklogBytes(journal.directory) });
  }
}
