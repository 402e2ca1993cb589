/**
 * Sends callbacks at a steady rate, as OpenIM's after-callback workers do under load, without
 * waiting for one answer before the next send, and records which ones were acknowledged
 * (HTTP 200 with OpenIM's "continue"): those are the events the service has promised to keep.
 */
import { Agent } from 'node:http';
import { postOnce } from '../../bench/presence-stream.ts';

export interface PacedCallback {
  readonly command: string;
  readonly body: string;
}

export interface PacedRun {
  /** Indices of the callbacks acknowledged so far. */
  readonly acknowledged: ReadonlySet<number>;
  /** Sends nothing more; answers still on their way are counted as they arrive. */
  stop(): void;
  /** Resolves when every callback sent has been answered or has failed. */
  readonly done: Promise<void>;
}

export function sendPaced(webhookBase: string, callbacks: readonly PacedCallback[], perSecond: number): PacedRun {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const acknowledged = new Set<number>();
  const answers: Promise<void>[] = [];
  const startedAt = performance.now();
  let stopped = false;
  const done = (async () => {
    for (let index = 0; index < callbacks.length && !stopped; index += 1) {
      const due = startedAt + (index * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (stopped) break;
      const { command, body } = callbacks[index]!;
      answers.push(postOnce(agent, `${webhookBase}/${command}`, body).then((ok) => void (ok && acknowledged.add(index))));
    }
    await Promise.all(answers);
    agent.destroy();
  })();
  return { acknowledged, stop: () => void (stopped = true), done };
}
