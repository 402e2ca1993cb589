/**
 * Group commit (local/sqlite-group-commit.ts) on a real SQLite database in WAL mode, read back
 * through a second connection, as another process would see the file. A commit is made to fail
 * the way SQLite itself fails one: a deferred foreign key still violated when it commits.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setImmediate as endOfTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../local/sqlite-group-commit.ts';

const open: DatabaseSync[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function database() {
  const file = join(mkdtempSync(join(tmpdir(), 'group-commit-')), 'db.sqlite');
  const db = new DatabaseSync(file, { enableForeignKeyConstraints: true });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`CREATE TABLE owners (id TEXT PRIMARY KEY);
    CREATE TABLE items (id TEXT PRIMARY KEY, owner TEXT REFERENCES owners(id) DEFERRABLE INITIALLY DEFERRED)`);
  const reader = new DatabaseSync(file, { readOnly: true });
  open.push(db, reader);
  const lateFailures: Error[] = [];
  const writes = new GroupCommit(db, (error) => lateFailures.push(error));
  const insert = db.prepare('INSERT INTO items (id, owner) VALUES (?, ?)');
  writes.join(insert);
  const stored = () => (reader.prepare('SELECT id FROM items ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  return { db, writes, insert, stored, lateFailures };
}

describe('Class: GroupCommit', () => {
  it('keeps the writes made until a commit in one transaction, which another connection sees only once committed', () => {
    // Prepare
    const { db, writes, insert, stored } = database();

    // Act
    insert.run('a', null);
    insert.run('b', null);
    const beforeCommit = stored();
    const openBeforeCommit = db.isTransaction;
    writes.commit();

    // Assess
    expect(openBeforeCommit).toBe(true);
    expect(beforeCommit).toEqual([]);
    expect(stored()).toEqual(['a', 'b']);
    expect(db.isTransaction).toBe(false);
  });

  it('commits at the end of the turn writes that nobody commits', async () => {
    // Prepare
    const { insert, stored } = database();

    // Act
    insert.run('a', null);
    await endOfTurn();

    // Assess
    expect(stored()).toEqual(['a']);
  });

  it('undoes only the writes of a unit that throws, keeping the group\'s others', () => {
    // Prepare
    const { writes, insert, stored } = database();
    insert.run('before', null);

    // Act
    const unit = () =>
      writes.atomically(() => {
        insert.run('inside', null);
        throw new Error('the unit fails half-way');
      });
    expect(unit).toThrow('the unit fails half-way');
    insert.run('after', null);
    writes.commit();

    // Assess
    expect(stored()).toEqual(['after', 'before']);
  });

  it('rolls back a commit that fails, counts it and throws, and commits the next writes as usual', () => {
    // Prepare: an item whose owner does not exist fails the commit, not the insert.
    const { db, writes, insert, stored } = database();
    insert.run('fine', null);
    insert.run('orphan', 'nobody');

    // Act
    const failing = () => writes.commit();
    expect(failing).toThrow(/FOREIGN KEY constraint failed/);
    const afterFailure = { open: db.isTransaction, stored: stored(), failedCommits: writes.failedCommits };
    insert.run('later', null);
    writes.commit();

    // Assess
    expect(afterFailure).toEqual({ open: false, stored: [], failedCommits: 1 });
    expect(stored()).toEqual(['later']);
  });

  it('counts and reports a failed end-of-turn commit', async () => {
    // Prepare
    const { writes, insert, stored, lateFailures } = database();

    // Act
    insert.run('orphan', 'nobody');
    await endOfTurn();

    // Assess
    expect(lateFailures.map((error) => error.message)).toEqual([expect.stringMatching(/FOREIGN KEY constraint failed/)]);
    expect(writes.failedCommits).toBe(1);
    expect(stored()).toEqual([]);
  });

  it('leaves reads outside any transaction', () => {
    // Prepare
    const { db, writes } = database();
    const count = db.prepare('SELECT count(*) AS n FROM items');
    writes.join(count);

    // Act
    const row = count.get() as { n: number };

    // Assess
    expect(row.n).toBe(0);
    expect(db.isTransaction).toBe(false);
  });
});
