/**
 * A benchmark stopped by a signal (Ctrl-C, `kill`, a closed terminal) ends the way a finished one
 * does: the server processes it started are stopped and waited for, then it exits, which removes
 * its scratch directories (scratch-directory.ts). Node's default for these signals ends the process
 * at once without its 'exit' listeners: the servers ran on without their benchmark and the
 * directories stayed behind. The same signal again ends the process at once, as Node's default would.
 */
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const stops = new Set<() => Promise<void>>();
let installed = false;

/** Makes the signals end this process through its 'exit' listeners. Idempotent. */
export function endOnSignal(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) {
    process.once(signal, () => {
      // Failures are ignored: the process is ending either way, and a stop that fails has nothing left to stop.
      void Promise.allSettled([...stops].map((stop) => stop())).then(() => process.exit(128 + constants.signals[signal]));
    });
  }
}

/** Runs `stop` (and waits for it) before a signal ends the process; the returned function withdraws it. */
export function stopOnSignal(stop: () => Promise<void>): () => void {
  endOnSignal();
  stops.add(stop);
  return () => void stops.delete(stop);
}
