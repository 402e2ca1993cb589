/**
 * A benchmark ended by a signal (bench/end-on-signal.ts) stops the server processes it started and
 * removes its scratch directories, as a finished one does. A real benchmark process (a scratch
 * directory and a server started through bench/server-process.ts) is signalled, alone, while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Says it is ready, then runs until SIGTERM, which it records in the file MARKER names (and outlives, with HANGS set). */
const SERVER = `
import { writeFileSync } from 'node:fs';
process.once('SIGTERM', () => {
  writeFileSync(process.env.MARKER!, 'stopped');
  if (!process.env.HANGS) process.exit(0);
});
setInterval(() => undefined, 60_000);
process.stdout.write('ready\\n');
`;

const benchmark = (server: string, marker: string, serverHangs = false) => `
import { scratchDirectory } from ${JSON.stringify(join(ROOT, 'bench/scratch-directory.ts'))};
import { startServerProcess } from ${JSON.stringify(join(ROOT, 'bench/server-process.ts'))};
const directory = scratchDirectory('openim-hooks-end-on-signal-');
const server = await startServerProcess(${JSON.stringify(server)}, { MARKER: ${JSON.stringify(marker)}${serverHangs ? ", HANGS: '1'" : ''} }, /ready/);
process.stdout.write(JSON.stringify({ directory, serverPid: server.child.pid }) + '\\n');
setInterval(() => undefined, 60_000);
`;

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let fixtures: string | undefined;
let serverPid: number | undefined;
let running: ChildProcess | undefined;

afterEach(() => {
  // Whatever the outcome, nothing the test started outlives it.
  running?.kill('SIGKILL');
  if (serverPid !== undefined && isRunning(serverPid)) process.kill(serverPid, 'SIGKILL');
  if (fixtures) rmSync(fixtures, { recursive: true, force: true });
  fixtures = serverPid = running = undefined;
});

describe('a benchmark ended by a signal', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('on %s stops its server, removes its scratch directory and exits 128 + the signal', async (signal) => {
    // Prepare
    const { started, marker, exited } = await startBenchmark();
    expect(existsSync(started.directory)).toBe(true);
    expect(isRunning(started.serverPid)).toBe(true);

    // Act
    running!.kill(signal);
    const { code } = await exited;

    // Assess
    expect(code).toBe(128 + constants.signals[signal]);
    expect(readFileSync(marker, 'utf8')).toBe('stopped');
    expect(isRunning(started.serverPid)).toBe(false);
    expect(existsSync(started.directory)).toBe(false);
  }, 30_000);

  it('ends at once on the same signal again while a server does not stop', async () => {
    // Prepare
    const { started, marker, exited } = await startBenchmark({ serverHangs: true });
    running!.kill('SIGINT');
    await eventually(() => existsSync(marker));

    // Act
    running!.kill('SIGINT');
    const ended = await exited;

    // Assess
    expect(ended).toEqual({ code: null, signal: 'SIGINT' });
    expect(isRunning(started.serverPid)).toBe(true);
  }, 30_000);
});

/** A benchmark process that has made its scratch directory and started its server. */
async function startBenchmark(options: { readonly serverHangs?: boolean } = {}) {
  fixtures = mkdtempSync(join(tmpdir(), 'openim-hooks-end-on-signal-test-'));
  const marker = join(fixtures, 'server-stopped');
  writeFileSync(join(fixtures, 'server.mts'), SERVER);
  writeFileSync(join(fixtures, 'benchmark.mts'), benchmark(join(fixtures, 'server.mts'), marker, options.serverHangs));
  running = spawn(process.execPath, ['--import', 'tsx', join(fixtures, 'benchmark.mts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const child = running;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const { value: line } = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  const started = JSON.parse(line as string) as { directory: string; serverPid: number };
  serverPid = started.serverPid;
  return { started, marker, exited };
}
