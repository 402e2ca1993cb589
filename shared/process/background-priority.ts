/**
 * Locally, the work behind the answers to OpenIM shares the machine with the event loop that gives
 * them: the journal's forwarding thread, the AWS stand-ins' thread and the workers' process. They
 * run at the lowest priority, nice 19. When both cores are busy, a nice-0 event loop that wakes (a
 * callback arrived) then preempts them at once instead of waiting out their time slice, which at
 * nice 10 had still cost OpenIM's two-worker queue over a thousand stalled sends in ten seconds
 * (docs/benchmarks.md). Unlike SCHED_IDLE they still get a share of a busy machine, so a long burst
 * slows them down but never stops them. In AWS this work has compute of its own.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

export const BACKGROUND_NICENESS = 19;

/** Lowers the calling thread (Linux keeps a nice value per thread) and so the threads it starts. */
export function lowerThisThread(): void {
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
