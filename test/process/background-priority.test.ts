/**
 * lowerThisThread in a process of its own, whose libuv pool no thread has started yet: the worker
 * thread that lowers itself first would otherwise start the pool, and every thread of the pool
 * would take its nice value (Linux keeps one per thread, and a new thread inherits its creator's).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICENESS } from '#shared/process/background-priority.ts';

const MODULE = fileURLToPath(new URL('../../shared/process/background-priority.ts', import.meta.url));

/**
 * CommonJS, whose require reads files without the pool: a worker thread lowers itself before
 * anything has used the pool and then reads a file, which needs it; each thread's nice value is
 * then printed by name.
 */
const SCRIPT = `
const { Worker } = require('node:worker_threads');
const { readdirSync, readFileSync } = require('node:fs');
const lowering = 'require(' + JSON.stringify(${JSON.stringify(MODULE)}) + ').lowerThisThread()' +
  '.then(() => require("node:fs").readFile("/proc/self/stat", () => require("node:worker_threads").parentPort.postMessage("lowered")));' +
  'setInterval(() => {}, 1000);';
const worker = new Worker(lowering, { eval: true, name: 'lowered' });
worker.once('message', () => {
  const threads = readdirSync('/proc/self/task').map((thread) => ({
    name: readFileSync(\`/proc/self/task/\${thread}/comm\`, 'utf8').trim(),
    nice: Number(readFileSync(\`/proc/self/task/\${thread}/stat\`, 'utf8').split(') ')[1].split(' ')[16]),
  }));
  process.stdout.write(JSON.stringify(threads));
  process.exit(0);
});
`;

describe('Background priority', () => {
  it('lowers the calling thread and leaves the process libuv pool at its nice value', async () => {
    // Act
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', SCRIPT]);

    // Assess
    const threads = JSON.parse(stdout) as { name: string; nice: number }[];
    expect(threads.filter((thread) => thread.name === 'lowered').map((thread) => thread.nice)).toEqual([BACKGROUND_NICENESS]);
    const pool = threads.filter((thread) => thread.name === 'libuv-worker');
    expect(pool.length).toBeGreaterThan(0);
    expect(pool.map((thread) => thread.nice)).toEqual(pool.map(() => 0));
  });
});
