/**
 * Settings of `npm start` (docs/configuration.md). A secret or token that is not given is
 * generated once and kept under DATA_DIR, so OpenIM's webhook URL survives a restart.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { InvalidConfigError } from '#shared/config/errors.ts';
import { parseEnv } from '#shared/config/parse-env.ts';

const LocalEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  CALLBACK_SECRET: z.string().min(16, 'CALLBACK_SECRET must have at least 16 characters').optional(),
  API_TOKEN: z.string().min(16, 'API_TOKEN must have at least 16 characters').optional(),
  /** How OpenIM reaches this server, when not at http://HOST:PORT (e.g. http://host.docker.internal:8080). */
  PUBLIC_URL: z.url().optional(),
  /** Where the JSON log lines go (default DATA_DIR/openim-hooks.log); `-` keeps them on stdout and stderr. */
  LOG_FILE: z.string().min(1).optional(),
  /** `false` keeps the queues in memory, as before they were durable: only to measure what durability costs. */
  DURABLE_QUEUES: z.stringbool().default(true),
  /**
   * `false` publishes each callback's event to the topic before answering, as before the journal
   * (DATA_DIR/event-journal): only to measure what the journal changes.
   */
  EVENT_JOURNAL: z.stringbool().default(true),
});

const StoredCredentials = z.object({ callbackSecret: z.string(), apiToken: z.string() });

export interface LocalConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly callbackSecret: string;
  readonly apiToken: string;
  readonly publicUrl: string | undefined;
  readonly durableQueues: boolean;
  /** Where the callbacks' events are journaled before the answer; undefined: published before it. */
  readonly eventJournalDir: string | undefined;
  /** Undefined: on stdout and stderr. */
  readonly logFile: string | undefined;
}

export function loadLocalConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const parsed = parseEnv(LocalEnv, env);
  const dataDir = resolve(parsed.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const stored = readOrCreateCredentials(join(dataDir, 'credentials.json'));
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dataDir,
    callbackSecret: parsed.CALLBACK_SECRET ?? stored.callbackSecret,
    apiToken: parsed.API_TOKEN ?? stored.apiToken,
    publicUrl: parsed.PUBLIC_URL?.replace(/\/+$/, ''),
    durableQueues: parsed.DURABLE_QUEUES,
    eventJournalDir: parsed.EVENT_JOURNAL ? join(dataDir, 'event-journal') : undefined,
    logFile: parsed.LOG_FILE === '-' ? undefined : resolve(parsed.LOG_FILE ?? join(dataDir, 'openim-hooks.log')),
  };
}

function readOrCreateCredentials(file: string): z.infer<typeof StoredCredentials> {
  if (existsSync(file)) {
    const stored = StoredCredentials.safeParse(parsedJson(readFileSync(file, 'utf8')));
    if (stored.success) return stored.data;
    throw new InvalidConfigError(`${file} is not the credentials file this server writes: delete it to have new ones generated (OpenIM's webhook URL then changes) or set CALLBACK_SECRET and API_TOKEN`);
  }
  const created = { callbackSecret: randomBytes(24).toString('base64url'), apiToken: randomBytes(24).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
