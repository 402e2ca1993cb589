/**
 * vitest's global setup: the run's temporary files (data directories, journals, CDK assemblies,
 * the servers' scratch) go to one directory of the run's own, removed when the run ends. Tests make
 * their directories with `mkdtempSync(join(tmpdir(), ...))` and the processes they start inherit
 * TMPDIR, so nothing is left in the system's temporary directory: before this, the runs of a few
 * days had left ~5,000 directories there on a development machine (2,346 of CDK's `cdk.out*`
 * assemblies, 1,676 servers' data and journal directories).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  // A short name: a Unix socket's path under it must stay within the 107 bytes Linux allows.
  const scratch = mkdtempSync(join(tmpdir(), 'ohtest-'));
  process.env.TMPDIR = scratch;
  return () => rmSync(scratch, { recursive: true, force: true });
}
