/**
 * The orderly stop of `npm start`, whenever it is asked for (during start-up too): the steps
 * registered so far run one after the other, the last registered first, then the process exits.
 * Asking again while stopping changes nothing: a Ctrl-C under `npm start` reaches this process
 * from the terminal and again from npm, and the first must not be cut short by the second.
 * A stop that takes longer than the deadline exits anyway (the DATA_DIR lock goes with the
 * process: data-dir-lock.ts).
 */
import { logger } from '#shared/observability/logger.ts';

export interface ShutdownOptions {
  readonly deadlineMs: number;
  /** @default process.exit */
  readonly exit?: (code: number) => void;
}

export interface Shutdown {
  /** Adds a step, to run before those added earlier. */
  onStop(name: string, step: () => Promise<void> | void): void;
  /** Runs the steps and exits with 0, or with 1 if `failed` (start-up failed), a step failed or the deadline passed. */
  stop(reason: string, options?: { readonly failed?: boolean }): Promise<void>;
}

export function createShutdown({ deadlineMs, exit = (code) => process.exit(code) }: ShutdownOptions): Shutdown {
  const steps: { readonly name: string; readonly step: () => Promise<void> | void }[] = [];
  let stopping: Promise<void> | undefined;
  let finished = false;

  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    exit(code);
  };

  async function runSteps(reason: string, failed: boolean): Promise<void> {
    logger.info('stopping', { reason });
    const deadline = setTimeout(() => {
      logger.error('stopping took too long; exiting anyway', { deadlineMs });
      finish(1);
    }, deadlineMs);
    let code = failed ? 1 : 0;
    for (const { name, step } of [...steps].reverse()) {
      try {
        await step();
      } catch (error) {
        code = 1;
        logger.error('a step of stopping failed', { step: name, error: error as Error });
      }
    }
    clearTimeout(deadline);
    finish(code);
  }

  return {
    onStop: (name, step) => void steps.push({ name, step }),
    stop: (reason, options) => (stopping ??= runSteps(reason, options?.failed ?? false)),
  };
}
