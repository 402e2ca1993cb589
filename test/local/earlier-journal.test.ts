/**
 * A DATA_DIR from before the before-callbacks journaled: its journal (DATA_DIR/after-journal) moves
 * to where the forwarder reads, so what that run acknowledged and left unforwarded is forwarded.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptEarlierJournal } from '../../local/earlier-journal.ts';

function dataDirWith(...directories: string[]): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'earlier-journal-'));
  for (const directory of directories) {
    mkdirSync(join(dataDir, directory));
    writeFileSync(join(dataDir, directory, 'segment-000000000001.log'), directory);
  }
  return dataDir;
}

describe('Function: adoptEarlierJournal()', () => {
  it('moves an earlier version\'s journal, segments and all, to the journal directory', () => {
    // Prepare
    const dataDir = dataDirWith('after-journal');

    // Act
    const outcome = adoptEarlierJournal(dataDir, join(dataDir, 'event-journal'));

    // Assess
    expect(outcome).toBe('moved');
    expect(existsSync(join(dataDir, 'after-journal'))).toBe(false);
    expect(readFileSync(join(dataDir, 'event-journal', 'segment-000000000001.log'), 'utf8')).toBe('after-journal');
  });

  it('does nothing in a DATA_DIR without one', () => {
    // Prepare
    const dataDir = dataDirWith();

    // Act / Assess
    expect(adoptEarlierJournal(dataDir, join(dataDir, 'event-journal'))).toBe('none');
    expect(existsSync(join(dataDir, 'event-journal'))).toBe(false);
  });

  it('leaves both alone, and says so, when the journal directory already exists', () => {
    // Prepare
    const dataDir = dataDirWith('after-journal', 'event-journal');

    // Act
    const outcome = adoptEarlierJournal(dataDir, join(dataDir, 'event-journal'));

    // Assess
    expect(outcome).toBe('left: the journal directory exists');
    expect(readFileSync(join(dataDir, 'after-journal', 'segment-000000000001.log'), 'utf8')).toBe('after-journal');
    expect(readFileSync(join(dataDir, 'event-journal', 'segment-000000000001.log'), 'utf8')).toBe('event-journal');
  });
});
