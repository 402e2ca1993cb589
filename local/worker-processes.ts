/**
 * Starts, supervises and stops the workers' process (see worker-process.ts) for `npm start`.
 * A workers' process that dies is logged, reported by `health()` and started again after a
 * pause (restart-backoff.ts). It is the only consumer of its queues, so before each start what
 * the previous one had received and not deleted is made visible again: nothing waits out the
 * queues' visibility timeout (3 minutes), and nothing it held is lost.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { logger } from '#shared/observability/logger.ts';
import type { LocalQueue } from './provision-queues.ts';
import { restartDelayMs, WORKERS_RESTART_BACKOFF, type RestartBackoff } from './restart-backoff.ts';

/** How long a stopping workers' process may take to finish its batches before it is killed. */
const STOP_GRACE_MS = 8_000;

export type WorkersHealth = { readonly up: true } | { readonly up: false; readonly reason: string };

export interface WorkerProcessOptions {
  readonly queues: Readonly<Record<string, LocalQueue>>;
  /** Makes the messages received from these queues and not deleted visible again; returns how many. */
  readonly releaseInFlight: (queueNames: readonly string[]) => Promise<number>;
  readonly backoff?: RestartBackoff;
}

export interface WorkerProcess {
  health(): WorkersHealth;
  /** Lets the batches in hand finish (what is left stays queued) and ends the process for good. */
  stop(): Promise<void>;
}

export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const backoff = options.backoff ?? WORKERS_RESTART_BACKOFF;
  const queueNames = Object.keys(options.queues);
  let current: ChildProcess | undefined;
  let down: string | undefined;
  let deathsInARow = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  /** From the first process's start on; a first process that cannot start is an error to the caller. */
  let supervising = false;

  /** Resolves once the new process is ready; rejects if it dies first. */
  async function launch(): Promise<void> {
    const released = await options.releaseInFlight(queueNames);
    if (released > 0) logger.info("messages a previous workers' process had received are visible again", { released });
    if (stopping) throw new Error("the local workers' process is stopping");
    const child = fork(new URL('./worker-process.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LOCAL_QUEUES: JSON.stringify(options.queues) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    current = child;
    // A message sent as the process dies fails here rather than as an unhandled 'error'.
    child.on('error', (error) => logger.warn("the workers' process could not be signalled", { error }));
    const startedAt = performance.now();
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      // For the process's whole life: during start-up its exit also fails the launch.
      child.once('exit', (code, signal) => {
        reject(new Error(`the local workers' process stopped during start-up (${describeExit(code, signal)})`));
        if (performance.now() - startedAt >= backoff.stableAfterMs) deathsInARow = 0;
        onExit(describeExit(code, signal));
      });
    });
    logger.info("workers' process ready", { pid: child.pid });
  }

  function onExit(how: string): void {
    if (stopping || !supervising) return;
    const restartInMs = scheduleRestart(`the workers' process exited (${how})`);
    logger.error("the workers' process died; queued events wait for its restart", { exit: how, restartInMs, deathsInARow });
  }

  /** Returns the pause before the attempt. */
  function scheduleRestart(why: string): number {
    deathsInARow += 1;
    const delayMs = restartDelayMs(backoff, deathsInARow);
    down = `${why}; restarting it in ${delayMs} ms`;
    restartTimer = setTimeout(restart, delayMs);
    return delayMs;
  }

  function restart(): void {
    restartTimer = undefined;
    launch().then(
      () => {
        down = undefined;
      },
      (error: unknown) => {
        if (stopping) return;
        logger.warn("the workers' process could not be restarted", { error: error as Error });
        // A death during start-up has scheduled the next attempt already; a failure before the fork has not.
        if (restartTimer === undefined) scheduleRestart(`the workers' process could not be started (${(error as Error).message})`);
      },
    );
  }

  await launch();
  supervising = true;
  return {
    health: () => (down === undefined ? { up: true } : { up: false, reason: down }),
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const child = current;
      if (!child || !isRunning(child)) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected) child.send('stop', (error) => error && child.kill('SIGTERM'));
      else child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(kill);
    },
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}
