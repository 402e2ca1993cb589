/**
 * fauxqs (SQS, SNS and S3) listening on loopback only, with its state in SQLite under a directory.
 *
 * fauxqs' `startFauxqs` wires persistence but always listens on 0.0.0.0, which would expose
 * unauthenticated queues to the network; its `buildApp` listens where told but keeps everything
 * in memory. So this does what `startFauxqs` does (dist/app.js of fauxqs 2.4.1, pinned exactly in
 * package.json): it loads the persisted state into fresh stores and hands them to `buildApp` with
 * persistence wired in. The stores and the PersistenceManager are not in the package's exports,
 * so they are imported from their files.
 *
 * What is persisted, and when (read in fauxqs' source): every change is written through to
 * SQLite synchronously, so a Publish (with its SNS -> SQS fan-out) or SendMessage that returned is
 * on disk, and so are receives (receipt handle and visibility deadline) and deletes. On load, a
 * message whose deadline has not passed stays in flight. Here the writes of a call share one
 * transaction (local/sqlite-group-commit.ts), committed before its answer is sent: a call whose
 * writes could not be committed is answered with an error, never acknowledged.
 */
import { buildApp, type BuildAppOptions } from 'fauxqs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { logger } from '#shared/observability/logger.ts';
import { GroupCommit } from './sqlite-group-commit.ts';

type Stores = NonNullable<BuildAppOptions['stores']>;
type Persistence = NonNullable<Stores['sqsStore']['persistence']>;

export interface FauxqsServer {
  readonly endpoint: string;
  /**
   * Makes every message received from these queues and not yet deleted visible again at once,
   * for a new consumer when the previous one is known to be gone (as its visibility timeout
   * would, later). Returns how many there were.
   */
  releaseInFlight(queueNames: readonly string[]): number;
  close(): Promise<void>;
}

export interface FauxqsServerOptions {
  readonly host: string;
  /** Where the SQLite database goes; without it, everything is kept in memory. */
  readonly dataDir?: string;
}

export async function startFauxqsServer({ host, dataDir }: FauxqsServerOptions): Promise<FauxqsServer> {
  const internals = await importInternals();
  const stores: Stores = { sqsStore: new internals.SqsStore(), snsStore: new internals.SnsStore(), s3Store: new internals.S3Store() };
  const persistence = dataDir === undefined ? undefined : new internals.PersistenceManager(dataDir);
  if (persistence) {
    // Loaded before persistence is wired in, as startFauxqs does, so that loading writes nothing.
    persistence.load(stores.sqsStore, stores.snsStore, stores.s3Store);
    stores.sqsStore.persistence = persistence;
    stores.snsStore.persistence = persistence;
    stores.s3Store.persistence = persistence;
    for (const queue of stores.sqsStore.allQueues()) queue.persistence = persistence;
  }
  const app = buildApp({ logger: false, stores });
  if (persistence) {
    const writes = groupWrites(persistence);
    answerOnlyWhatIsCommitted(app, writes);
    app.addHook('onClose', (_instance, done) => {
      try {
        writes.commit();
      } catch (error) {
        // Nothing acknowledged is in them: every answer commits the writes before it first.
        logger.error('fauxqs: the last writes could not be committed as it closed', { error: error as Error });
      } finally {
        persistence.close();
        done();
      }
    });
  }
  const endpoint = await app.listen({ port: 0, host });
  return {
    endpoint,
    releaseInFlight: (queueNames) => releaseInFlight(stores.sqsStore, queueNames),
    close: () => app.close(),
  };
}

function releaseInFlight(sqsStore: Stores['sqsStore'], queueNames: readonly string[]): number {
  let released = 0;
  for (const name of queueNames) {
    const queue = sqsStore.getQueueByName(name);
    if (!queue) continue;
    // An expired deadline is what the queue itself checks on every receive; the stored deadline
    // stays as it was, which is safe: the next start releases these messages again if needed.
    for (const entry of queue.inflightMessages.values()) {
      entry.visibilityDeadline = 0;
      released += 1;
    }
    queue.processTimers();
  }
  return released;
}

type FauxqsApp = ReturnType<typeof buildApp>;

/**
 * Commits a call's writes before its answer is sent. A call under way when a commit failed may
 * have written into it, so it is answered with an error instead (its client retries).
 */
export function answerOnlyWhatIsCommitted(app: FauxqsApp, writes: GroupCommit): void {
  const failedCommitsAtStart = new WeakMap<object, number>();
  app.addHook('onRequest', (request, _reply, done) => {
    failedCommitsAtStart.set(request, writes.failedCommits);
    done();
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    const failedBefore = failedCommitsAtStart.get(request);
    // Once only: the error answer passes through here too.
    failedCommitsAtStart.delete(request);
    if (failedBefore === undefined) return done(null, payload);
    try {
      writes.commit();
    } catch (error) {
      return done(error as Error);
    }
    if (writes.failedCommits !== failedBefore) return done(new Error('a write this call may have made could not be committed'));
    done(null, payload);
  });
}

/** What of fauxqs' PersistenceManager (dist/persistence.js of 2.4.1) its type declares private. */
interface PersistenceInternals {
  readonly db: DatabaseSync;
  readonly stmts: Record<string, StatementSync>;
  transaction(writes: () => void): void;
}

/**
 * Makes every write of the PersistenceManager join one group commit: each of its prepared
 * statements, and its own multi-statement transactions (which become savepoints inside it).
 */
function groupWrites(persistence: Persistence): GroupCommit {
  const internals = persistence as unknown as PersistenceInternals;
  // Each commit still reaches the OS before the call answers, so it survives the death of any
  // process; only an OS crash or power cut could lose the last ones. That is dynalite's
  // guarantee too, and a sync to disk per commit (FULL, the default) cost 3-4 ms each here.
  internals.db.exec('PRAGMA synchronous = NORMAL');
  const writes = new GroupCommit(internals.db, (error) =>
    // The calls under way are answered with an error (answerOnlyWhatIsCommitted); what timers wrote is lost.
    logger.error('fauxqs: an end-of-turn commit failed; calls under way are refused', { error }),
  );
  for (const statement of Object.values(internals.stmts)) writes.join(statement);
  internals.transaction = (multiple) => writes.atomically(multiple);
  return writes;
}

interface FauxqsInternals {
  readonly SqsStore: new () => Stores['sqsStore'];
  readonly SnsStore: new () => Stores['snsStore'];
  readonly S3Store: new () => Stores['s3Store'];
  readonly PersistenceManager: new (dataDir: string) => Persistence;
}

async function importInternals(): Promise<FauxqsInternals> {
  // Found the way Node looks for the package (its exports name no file to resolve it by).
  const root = createRequire(import.meta.url)
    .resolve.paths('fauxqs')
    ?.map((dir) => join(dir, 'fauxqs'))
    .find((dir) => existsSync(join(dir, 'package.json')));
  if (!root) throw new Error('fauxqs is not installed');
  const dist = pathToFileURL(join(root, 'dist', '/'));
  const exported = async <T>(file: string, name: string): Promise<T> => {
    const module = (await import(new URL(file, dist).href)) as Record<string, T | undefined>;
    const value = module[name];
    if (value === undefined) throw new Error(`fauxqs has no ${name} in ${file}: local/fauxqs-server.ts follows fauxqs 2.4.1`);
    return value;
  };
  return {
    SqsStore: await exported('sqs/sqsStore.js', 'SqsStore'),
    SnsStore: await exported('sns/snsStore.js', 'SnsStore'),
    S3Store: await exported('s3/s3Store.js', 'S3Store'),
    PersistenceManager: await exported('persistence.js', 'PersistenceManager'),
  };
}
