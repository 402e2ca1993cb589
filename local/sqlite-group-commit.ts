/**
 * Group commit for a SQLite database written statement by statement: the writes made until the next
 * commit share one transaction, instead of each being a transaction of its own. In WAL mode each
 * transaction appends every page it changed to the log, so writes that touch the same pages (a
 * batch of messages in one queue's table and index) cost a fraction as much together (a write
 * alone ~47 µs, ten to a transaction ~13 µs each here: docs/benchmarks-history.md).
 *
 * The owner decides when to commit (before it acknowledges what was written) and commits at the end
 * of the event loop's turn anyway, for writes no acknowledgement follows. A failed commit rolls the
 * writes back and is counted, so that the owner can refuse every acknowledgement that may have
 * depended on them.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export class GroupCommit {
  private failures = 0;
  private commitScheduled = false;
  // Fields declared, not parameter properties: the stand-ins' thread may load this file with Node's type stripping.
  private readonly db: DatabaseSync;
  private readonly onLateFailure: (error: Error) => void;

  /** `onLateFailure` hears of a failed commit that no caller of `commit` was there to be told of. */
  constructor(db: DatabaseSync, onLateFailure: (error: Error) => void) {
    this.db = db;
    this.onLateFailure = onLateFailure;
  }

  /** How many commits have failed so far. */
  get failedCommits(): number {
    return this.failures;
  }

  /** Makes the statement's `run` (the only call of it that writes) join the open transaction. */
  join(statement: StatementSync): void {
    const run = statement.run;
    statement.run = (...parameters: unknown[]) => {
      this.begin();
      return Reflect.apply(run, statement, parameters) as ReturnType<StatementSync['run']>;
    };
  }

  /** Runs `writes` inside the open transaction as one unit: if it throws, its writes alone are undone. */
  atomically(writes: () => void): void {
    this.begin();
    this.db.exec('SAVEPOINT atomically');
    try {
      writes();
    } catch (error) {
      this.db.exec('ROLLBACK TO atomically');
      throw error;
    } finally {
      this.db.exec('RELEASE atomically');
    }
  }

  /** Commits the writes made since the last commit; throws, once they are rolled back, if that fails. */
  commit(): void {
    if (!this.db.isTransaction) return;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      this.failures += 1;
      // A failed COMMIT can leave the transaction open (SQLite rolls back by itself only on some errors).
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private begin(): void {
    if (this.db.isTransaction) return;
    this.db.exec('BEGIN');
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.commitScheduled = false;
      try {
        this.commit();
      } catch (error) {
        this.onLateFailure(error as Error);
      }
    });
  }
}
