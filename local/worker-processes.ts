/** Starts and stops the workers' process (see worker-process.ts) from `npm start`. */
import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import type { LocalQueue } from './provision-queues.ts';

/** Lower priority than the server (0), so that webhook answers are served first. */
const WORKER_NICENESS = 10;

export interface WorkerProcess {
  stop(): Promise<void>;
}

export async function startWorkerProcess(queues: Readonly<Record<string, LocalQueue>>): Promise<WorkerProcess> {
  const child = fork(new URL('./worker-process.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOCAL_QUEUES: JSON.stringify(queues) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // In AWS the workers have compute of their own; here they share the machine with the webhook
  // path, so they yield to it: queues absorb a burst and the workers catch up after it.
  if (child.pid !== undefined) setPriority(child.pid, WORKER_NICENESS);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then((code) => reject(new Error(`the local workers' process stopped during start-up (exit ${code})`)));
  });
  return {
    async stop() {
      if (child.exitCode !== null) return;
      child.send('stop');
      await exited;
    },
  };
}
