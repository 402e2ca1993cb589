/**
 * `npm start` failing to start: one line on stderr saying what is wrong and what to do, exit code
 * 1, no stack trace, and the DATA_DIR lock released. Each case runs what `npm start` runs
 * (local/start.ts under tsx) in a process of its own.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, TEST_API_TOKEN, TEST_SECRET, type RunningServer } from '../helpers/local-server.ts';

const ROOT = join(import.meta.dirname, '..', '..');

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderrLines: string[];
}

/** `env` overrides the test defaults; `undefined` removes a variable. */
function start(env: Record<string, string | undefined>): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'local/start.ts'],
      {
        cwd: ROOT,
        timeout: 90_000,
        env: definedOnly({ ...process.env, PORT: '0', HOST: '127.0.0.1', CALLBACK_SECRET: TEST_SECRET, API_TOKEN: TEST_API_TOKEN, DEBUG: undefined, ...env }),
      },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderrLines: stderr.split('\n').filter((line) => line !== '') }),
    );
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const freshDataDir = () => mkdtempSync(join(tmpdir(), 'openim-hooks-fail-'));

describe('npm start: failures to start', () => {
  it('refuses a bad setting with one line naming it, and no stack', async () => {
    // Act
    const outcome = await start({ DATA_DIR: freshDataDir(), API_TOKEN: 'too-short' });

    // Assess
    expect(outcome.code).toBe(1);
    expect(outcome.stderrLines).toEqual([expect.stringMatching(/^npm start: invalid configuration: API_TOKEN must have at least 16 characters \(fix/)]);
    expect(outcome.stdout).toBe('');
  }, 100_000);

  it('adds the stack trace when DEBUG=1', async () => {
    // Act
    const outcome = await start({ DATA_DIR: freshDataDir(), PORT: 'eighty', DEBUG: '1' });

    // Assess
    expect(outcome.code).toBe(1);
    expect(outcome.stderrLines[0]).toMatch(/^npm start: invalid configuration: PORT: /);
    expect(outcome.stderrLines.some((line) => /^\s+at /.test(line))).toBe(true);
  }, 100_000);

  it('refuses a credentials file it did not write with one line saying what to do', async () => {
    // Prepare
    const dataDir = freshDataDir();
    writeFileSync(join(dataDir, 'credentials.json'), '{"callbackSecret": 42');

    // Act
    const outcome = await start({ DATA_DIR: dataDir, CALLBACK_SECRET: undefined, API_TOKEN: undefined });

    // Assess
    expect(outcome.code).toBe(1);
    expect(outcome.stderrLines).toEqual([expect.stringMatching(/credentials\.json is not the credentials file .*: delete it/)]);
  }, 100_000);

  it('refuses a DATA_DIR where the event journal cannot be kept with one line naming the place, and releases its lock', async () => {
    // Prepare: a file where the journal's directory would be.
    const dataDir = freshDataDir();
    writeFileSync(join(dataDir, 'event-journal'), '');

    // Act
    const outcome = await start({ DATA_DIR: dataDir });

    // Assess
    expect(outcome.code).toBe(1);
    expect(outcome.stderrLines).toEqual([
      expect.stringMatching(new RegExp(`^npm start: invalid configuration: EVENT_JOURNAL_DIR: ${join(dataDir, 'event-journal')} cannot hold the event journal: `)),
    ]);
    expect(outcome.stdout).toBe('');
    expect(existsSync(join(dataDir, 'server.pid'))).toBe(false);
  }, 100_000);

  describe('with another server running', () => {
    let first: RunningServer;
    let busyPort: Server;

    beforeAll(async () => {
      first = await startLocalServer();
      busyPort = createServer();
      await new Promise<void>((resolve) => busyPort.listen(0, '127.0.0.1', resolve));
    }, 120_000);

    afterAll(async () => {
      await first?.stop();
      await new Promise((resolve) => busyPort?.close(resolve));
    });

    it('refuses a second server on the same DATA_DIR with one line, and leaves the first one its lock', async () => {
      // Act
      const outcome = await start({ DATA_DIR: first.dataDir });

      // Assess
      expect(outcome.code).toBe(1);
      expect(outcome.stderrLines).toEqual([
        `npm start: DATA_DIR ${first.dataDir} is in use by another openim-hooks (pid ${first.serverPid}): stop it, or start this one with another DATA_DIR`,
      ]);
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
      expect(existsSync(join(first.dataDir, 'server.pid'))).toBe(true);
    }, 100_000);

    it('refuses a port in use with one line, stops what it started and releases its lock', async () => {
      // Prepare
      const dataDir = freshDataDir();
      const { port } = busyPort.address() as { port: number };

      // Act
      const outcome = await start({ DATA_DIR: dataDir, PORT: String(port) });

      // Assess
      expect(outcome.code).toBe(1);
      expect(outcome.stderrLines).toEqual([
        `npm start: port ${port} on 127.0.0.1 is in use by another program: stop it, or set PORT to another port (PORT=0 takes any free one)`,
      ]);
      expect(outcome.stdout).toBe('');
      expect(existsSync(join(dataDir, 'server.pid'))).toBe(false);
    }, 100_000);
  });
});
