/**
 * Where the CPU went during a benchmark phase, read from Linux's /proc: this process (the load
 * generator), the server's event loop (its main thread), the server's other threads (the AWS
 * stand-ins' thread, the journal's forwarder, V8's and libuv's helpers), by name as well, the
 * server's child processes (the local queue workers), and what stayed idle. Each is a percentage
 * of one core, so a 2-core machine has 200% in all; and how long the event loop was ready to run
 * but waited for a core.
 * Elsewhere than Linux there is no /proc to read and the shares are `undefined`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface CpuShares {
  readonly loadGenerator: number;
  readonly eventLoop: number;
  readonly otherThreads: number;
  /** The other threads by their name (`aws-stand-ins`, `forwarder`, `V8Worker`, `libuv-worker`, ...), summed per name. */
  readonly threadsByName: Readonly<Record<string, number>>;
  readonly childProcesses: number;
  readonly idle: number;
  /** Time the event loop was ready to run but waited for a core (schedstat), % of the phase. */
  readonly eventLoopWaiting: number;
}

interface Reading {
  readonly atMs: number;
  readonly self: number;
  readonly mainThread: number;
  readonly process: number;
  /** The server's threads other than the main one, by name. */
  readonly threads: ReadonlyMap<string, number>;
  readonly children: number;
  readonly idle: number;
  /** Nanoseconds the main thread spent runnable but not running. */
  readonly mainThreadWaitNs: number;
}

const PROC = existsSync('/proc/self/stat');
/** Jiffies per second of /proc's times: USER_HZ, 100 on every common Linux build. */
const TICKS_PER_SECOND = PROC ? clockTicks() : 100;

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** The fields of a /proc stat line after the command name, which may itself hold spaces. */
function statFields(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the task ended between listing and reading
  }
}

/** utime + stime of a process or thread, in jiffies. */
function cpuTicks(path: string): number {
  const fields = statFields(path);
  return fields ? Number(fields[11]) + Number(fields[12]) : 0;
}

/** The CPU of a process's threads other than its main one, in jiffies, summed per thread name. */
function threadTicksByName(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`).filter((tid) => tid !== String(pid));
  } catch {
    return byName; // the process has ended
  }
  for (const tid of tids) {
    let name: string;
    try {
      name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue; // the thread ended between listing and reading
    }
    byName.set(name, (byName.get(name) ?? 0) + cpuTicks(`/proc/${pid}/task/${tid}/stat`));
  }
  return byName;
}

/** The processes whose parent is `pid` (on Linux; elsewhere none are found). */
export function childProcessesOf(pid: number): number[] {
  if (!PROC) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => Number(statFields(`/proc/${candidate}/stat`)?.[1]) === pid);
}

/** Idle and I/O-wait time of all cores together, in jiffies (the `cpu` line of /proc/stat). */
function idleTicks(): number {
  const [, , , , idle = '0', iowait = '0'] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  return Number(idle) + Number(iowait);
}

/** The second field of schedstat: time spent on a run queue, waiting for a core, in ns. */
function runQueueWaitNs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return 0; // kernels built without schedstats
  }
}

function read(serverPid: number): Reading {
  return {
    atMs: performance.now(),
    self: cpuTicks('/proc/self/stat'),
    mainThread: cpuTicks(`/proc/${serverPid}/task/${serverPid}/stat`),
    process: cpuTicks(`/proc/${serverPid}/stat`),
    threads: threadTicksByName(serverPid),
    children: childProcessesOf(serverPid).reduce((sum, child) => sum + cpuTicks(`/proc/${child}/stat`), 0),
    idle: idleTicks(),
    mainThreadWaitNs: runQueueWaitNs(serverPid),
  };
}

/** Starts measuring; `finish()` gives the shares since then. */
export function startCpuShares(serverPid: number): { finish(): CpuShares | undefined } {
  if (!PROC) return { finish: () => undefined };
  const start = read(serverPid);
  return {
    finish() {
      const end = read(serverPid);
      const percentOfCore = (ticks: number) => (ticks / TICKS_PER_SECOND / ((end.atMs - start.atMs) / 1000)) * 100;
      const mainThread = end.mainThread - start.mainThread;
      return {
        loadGenerator: percentOfCore(end.self - start.self),
        eventLoop: percentOfCore(mainThread),
        otherThreads: percentOfCore(end.process - start.process - mainThread),
        threadsByName: Object.fromEntries([...end.threads].map(([name, ticks]) => [name, percentOfCore(ticks - (start.threads.get(name) ?? 0))])),
        childProcesses: percentOfCore(end.children - start.children),
        idle: Math.min(percentOfCore(end.idle - start.idle), cpus().length * 100),
        eventLoopWaiting: ((end.mainThreadWaitNs - start.mainThreadWaitNs) / 1e6 / (end.atMs - start.atMs)) * 100,
      };
    },
  };
}
