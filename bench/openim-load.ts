/**
 * Load shaped like OpenIM's webhook client (../shared/openim-callbacks.md §1):
 * - before callbacks: synchronous, a fixed number of requests in flight (OpenIM's RPC handlers
 *   each wait for their reply), keep-alive connections;
 * - after callbacks: OpenIM's in-process queue, 2 workers and 100 slots; a producer that finds
 *   the queue full waits up to 3 s for a slot and then drops the event.
 */
import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly sent: number;
  readonly completed: number;
  readonly dropped: number;
  readonly failed: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface Target {
  readonly url: string;
  /** The body of the request with this sequence number (0, 1, 2, ... in the order sent). */
  readonly body: (sequence: number) => string;
}

/** Bodies sent in turn, over and over. */
export const inTurn =
  (bodies: readonly string[]) =>
  (sequence: number): string =>
    bodies[sequence % bodies.length]!;

const QUEUE_WORKERS = 2;
const QUEUE_SLOTS = 100;
const PUSH_WAIT_MS = 3_000;

export function post(agent: Agent, url: string, body: string, operationID: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json; charset=utf-8', operationID, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          // OpenIM judges only the body: it must be JSON.
          try {
            JSON.parse(Buffer.concat(chunks).toString('utf8'));
            resolve(performance.now() - started);
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Before callbacks: `concurrency` requests always in flight for `seconds`. */
export async function runBefore(target: Target, concurrency: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failed = 0;
  let sent = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        sent += 1;
        try {
          latencies.push(await post(agent, target.url, target.body(sent), `bench-${worker}-${sent}`));
        } catch {
          failed += 1;
        }
      }
    }),
  );
  agent.destroy();
  return summarise(sent, latencies, 0, failed, (performance.now() - started) / 1000);
}

/** After callbacks: `ratePerSecond` events produced for `seconds` into OpenIM's 2-worker, 100-slot queue. */
export async function runAfter(target: Target, ratePerSecond: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: QUEUE_WORKERS });
  const queue: number[] = [];
  const producersWaitingForSlot: Array<() => void> = [];
  const idleWorkers: Array<() => void> = [];
  const latencies: number[] = [];
  let dropped = 0;
  let failed = 0;
  let producing = true;

  const worker = async (): Promise<void> => {
    for (;;) {
      const id = queue.shift();
      if (id === undefined) {
        if (!producing) return;
        await new Promise<void>((resolve) => idleWorkers.push(resolve));
        continue;
      }
      // A slot is free: hand it to the longest-waiting producer.
      producersWaitingForSlot.shift()?.();
      try {
        latencies.push(await post(agent, target.url, target.body(id), `after-${id}`));
      } catch {
        failed += 1;
      }
    }
  };
  const workers = Array.from({ length: QUEUE_WORKERS }, worker);

  const waitForSlot = () =>
    new Promise<boolean>((resolve) => {
      const onSlot = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        producersWaitingForSlot.splice(producersWaitingForSlot.indexOf(onSlot), 1);
        resolve(false);
      }, PUSH_WAIT_MS);
      producersWaitingForSlot.push(onSlot);
    });

  const push = async (id: number): Promise<void> => {
    if ((queue.length >= QUEUE_SLOTS || producersWaitingForSlot.length > 0) && !(await waitForSlot())) {
      dropped += 1;
      return;
    }
    queue.push(id);
    idleWorkers.shift()?.();
  };

  const total = ratePerSecond * seconds;
  const started = performance.now();
  const pushes: Promise<void>[] = [];
  for (let id = 0; id < total; id += 1) {
    const wait = started + (id * 1000) / ratePerSecond - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pushes.push(push(id));
  }
  await Promise.all(pushes);
  producing = false;
  for (const wake of idleWorkers.splice(0)) wake();
  await Promise.all(workers);
  agent.destroy();
  return summarise(total, latencies, dropped, failed, (performance.now() - started) / 1000);
}

function summarise(sent: number, latencies: number[], dropped: number, failed: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { sent, completed: latencies.length, dropped, failed, seconds, perSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}
