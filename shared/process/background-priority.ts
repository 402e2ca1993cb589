/**
 * Locally, the work behind the answers to OpenIM shares the machine with the event loop that gives
 * them: the journal's forwarding thread, the AWS stand-ins' thread and the workers' process run at
 * the lowest priority, nice 19. When both cores are busy, a nice-0 thread that wakes (a callback
 * arrived, OpenIM itself) then preempts them at once instead of waiting out their time slice. Unlike
 * SCHED_IDLE they still get a share of a busy machine, so a long burst slows them down but never
 * stops them; the journal and the queues hold what waits. A sender's before-callback waits for the
 * stand-ins only for the policy's first read at start (its version is then read ahead in the
 * background: active-policy.ts); an offline push's recipients are read through them too, but an
 * offline push holds up no sender. When the before-callbacks still waited for the version check
 * every refresh, the stand-ins at nice 19 gave the 500-term phase of bench:callbacks a p99 17x the
 * bare server's. In AWS this work has compute of its own.
 */
import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setPriority } from 'node:os';

export const BACKGROUND_NICENESS = 19;

/**
 * Lowers the calling worker thread (Linux keeps a nice value per thread) and so the threads it
 * starts. The process's libuv pool is shared by all its threads and started by whichever first
 * needs it, with that thread's nice value: it is started first, so that it keeps the process's.
 * No answer waits for the pool (test/callbacks/answers-without-libuv-pool.test.ts); lowering it
 * as well, with dynalite's LevelDB writing and compacting there, changed nothing measurable in
 * OpenIM's queue (docs/benchmarks-history.md, "libuv's pool at nice 19").
 */
export async function lowerThisThread(): Promise<void> {
  await stat(import.meta.filename);
  setPriority(BACKGROUND_NICENESS);
}

/**
 * Lowers every thread of this process: on Linux, lowering the process lowers only its main
 * thread, and V8's and libuv's threads started before any code ran.
 */
export function lowerThisProcess(): void {
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    setPriority(BACKGROUND_NICENESS); // no /proc: one nice value per process
    return;
  }
  for (const thread of threads) {
    try {
      setPriority(thread, BACKGROUND_NICENESS);
    } catch {
      // The thread ended after the listing.
    }
  }
}
