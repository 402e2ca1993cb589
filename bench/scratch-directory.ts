/**
 * A benchmark's temporary directory (a server's data directory: its event journal and the
 * stand-ins' files, a policy file, cold-start's reference bundles), removed when the benchmark's
 * process exits, also when a signal ends it (end-on-signal.ts): the 391 that earlier runs had left on
 * a development machine held 77 GB and filled its disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endOnSignal } from './end-on-signal.ts';

export function scratchDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  endOnSignal();
  // By then the benchmark has stopped the servers that wrote to it.
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  return directory;
}
