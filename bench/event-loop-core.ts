/**
 * Gives a server's event loop a core of its own, as load tests on one machine are set up: the
 * server's main thread alone on the last core, and everything else (this process, which generates
 * the load, the server's other threads and its child processes) on the other cores. Without it,
 * on two cores Linux kept the event loop waiting for a core a quarter of the time while close to a
 * fifth of a core stood idle (/proc/<pid>/task/<tid>/schedstat, 5% of messages blocked). Linux
 * only, with util-linux's `taskset`; elsewhere nothing is pinned.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { childProcessesOf } from './cpu-shares.ts';

/** The machine's cores (not `availableParallelism()`, which shrinks once this process is pinned). */
const CORES = cpus().length;

const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((path) => existsSync(path));

/** Whether this machine can pin: Linux with taskset and at least two cores. */
export const canPinEventLoop = process.platform === 'linux' && TASKSET !== undefined && CORES >= 2;

function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return []; // the process ended
  }
}

function pin(tid: number, cores: string): void {
  try {
    execFileSync(TASKSET!, ['--cpu-list', '--pid', cores, String(tid)], { stdio: 'ignore' });
  } catch {
    // The thread ended between listing and pinning.
  }
}

/**
 * Pins as described above. Threads inherit their creator's cores, so call it again once the
 * server has started all its threads (after a warm-up).
 */
export function pinEventLoopApart(serverPid: number): void {
  if (!canPinEventLoop) return;
  const last = CORES - 1;
  const others = last === 1 ? '0' : `0-${last - 1}`;
  for (const tid of threadsOf(serverPid)) pin(tid, tid === serverPid ? String(last) : others);
  for (const child of childProcessesOf(serverPid)) for (const tid of threadsOf(child)) pin(tid, others);
  for (const tid of threadsOf(process.pid)) pin(tid, others);
}

/** Lets the server (its threads and child processes) and this process run on every core again. */
export function unpinAll(serverPid: number): void {
  if (!canPinEventLoop) return;
  for (const pid of [serverPid, ...childProcessesOf(serverPid), process.pid]) for (const tid of threadsOf(pid)) pin(tid, `0-${CORES - 1}`);
}

/** Lets this process run on every core again. */
export function unpinLoadGenerator(): void {
  if (!canPinEventLoop) return;
  for (const tid of threadsOf(process.pid)) pin(tid, `0-${CORES - 1}`);
}
