import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../local/data-dir-lock.ts';

describe('Function: lockDataDir()', () => {
  it('refuses a directory whose pid file names a running process', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, 'server.pid'), String(process.ppid));

    // Assess
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
  });

  it('takes over a stale pid file left by a process that is gone, and releases it', () => {
    // Prepare: pid_max on Linux is at most 2^22, so this pid cannot be running.
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    writeFileSync(join(dir, 'server.pid'), String(2 ** 22 + 1));

    // Act
    const lock = lockDataDir(dir);
    const owner = readFileSync(join(dir, 'server.pid'), 'utf8');
    lock.release();

    // Assess
    expect(owner).toBe(String(process.pid));
    expect(() => lockDataDir(dir).release()).not.toThrow();
  });

  it('removes the pid file when its process dies of an uncaught error', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    const lockModule = new URL('../../local/data-dir-lock.ts', import.meta.url).href;
    const crash = `const { lockDataDir } = await import(${JSON.stringify(lockModule)}); lockDataDir(${JSON.stringify(dir)}); throw new Error('crash');`;

    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', crash], { encoding: 'utf8' });

    // Assess
    expect(result.stderr).toContain('crash');
    expect(result.status).toBe(1);
    expect(existsSync(join(dir, 'server.pid'))).toBe(false);
  });
});
