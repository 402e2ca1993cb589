/**
 * Until the before-callbacks' events were journaled too, the journal lived in DATA_DIR/after-journal.
 * What a run of that version left unforwarded there (after a kill -9) was acknowledged to OpenIM,
 * so a DATA_DIR from it has its journal moved to where this version forwards from.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';

const EARLIER_JOURNAL_DIR = 'after-journal';

export type EarlierJournal = 'none' | 'moved' | 'left: the journal directory exists';

export function adoptEarlierJournal(dataDir: string, journalDir: string): EarlierJournal {
  const earlier = join(dataDir, EARLIER_JOURNAL_DIR);
  if (!existsSync(earlier)) return 'none';
  if (existsSync(journalDir)) return 'left: the journal directory exists';
  renameSync(earlier, journalDir);
  return 'moved';
}
