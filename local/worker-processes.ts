/** Starts and stops the workers' process (see worker-process.ts) from `npm start`. */
import { fork } from 'node:child_process';
import type { LocalQueue } from './provision-queues.ts';

export interface WorkerProcess {
  stop(): Promise<void>;
}

export async function startWorkerProcess(queues: Readonly<Record<string, LocalQueue>>): Promise<WorkerProcess> {
  const child = fork(new URL('./worker-process.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOCAL_QUEUES: JSON.stringify(queues) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
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
