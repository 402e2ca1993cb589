/**
 * Load shaped like OpenIM's webhook client (../shared/openim-callbacks.md §1):
 * - before callbacks: synchronous, a fixed number of requests in flight (OpenIM's RPC handlers
 *   each wait for their reply), keep-alive connections. Sent by autocannon, which costs the
 *   machine a fraction of what Node's own http client does: with that client the load generator
 *   took a whole core and capped the bare server, so servers were compared at the client's pace.
 * - after callbacks: OpenIM's in-process queue (open-im-server pkg/common/webhook/http_client.go:
 *   `memamq.NewMemoryQueue(2, 100)`; openimsdk/tools mq/memamq/queue.go): a channel of 100 slots
 *   drained by 2 workers, each posting one callback at a time; `Push`, called on the user's send
 *   path, waits up to 3 s for a slot and then drops the event. A wait for a slot is a stall of
 *   that user's send.
 */
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { PUSH_WAIT_MS, QUEUE_SLOTS, QUEUE_WORKERS } from './openim-after-queue.ts';

export interface LoadResult {
  readonly sent: number;
  readonly completed: number;
  readonly dropped: number;
  /** Errors, non-2xx answers and answers that are not JSON. */
  readonly failed: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

/** The send path's side of OpenIM's after-callback queue. */
export interface QueueResult extends LoadResult {
  /** Pushes that waited for a slot longer than STALL_MS. */
  readonly stalls: number;
  /** The longest wait for a slot, ms (0 when the queue never filled). */
  readonly longestPushWaitMs: number;
  /** How far behind its schedule the producer pushed an event at worst, ms (the load generator's own pauses). */
  readonly longestProducerLateMs: number;
  /** Of `stalls`, those whose push the producer made more than PRODUCER_LATE_MS behind schedule. */
  readonly stallsAfterProducerLate: number;
}

/** A push that waits longer than this for a slot holds up the user's send noticeably. */
export const STALL_MS = 10;
/** A push made this far behind its schedule comes after a pause of the load generator itself. */
export const PRODUCER_LATE_MS = 5;

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
        // OpenIM judges only the body, but the bench fails a run on any non-2xx answer, as autocannon's count does in runBefore.
        if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) {
          res.resume();
          reject(new Error(`HTTP ${res.statusCode}`));
          return;
        }
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

/** Before callbacks: `concurrency` requests always in flight for `seconds`, each with its own body. */
export async function runBefore(target: Target, concurrency: number, seconds: number): Promise<LoadResult> {
  let sequence = 0;
  const latencies: number[] = [];
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections: concurrency,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              sequence += 1;
              return { ...req, body: target.body(sequence), headers: { 'content-type': 'application/json; charset=utf-8', operationID: `bench-${sequence}` } };
            },
          },
        ],
        // OpenIM judges only the body: it must be JSON.
        verifyBody: (body) => typeof body === 'string' && isJson(body),
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
    // autocannon's own histogram counts whole milliseconds; these are exact.
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  // `errors` already counts timeouts.
  const failed = result.errors + result.non2xx + result.mismatches;
  return summarise(result.requests.sent, latencies, 0, failed, (performance.now() - started) / 1000);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** After callbacks: `ratePerSecond` events produced for `seconds` into OpenIM's 2-worker, 100-slot queue. */
export async function runAfter(target: Target, ratePerSecond: number, seconds: number): Promise<QueueResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: QUEUE_WORKERS });
  const queue: number[] = [];
  const producersWaitingForSlot: Array<() => void> = [];
  const idleWorkers: Array<() => void> = [];
  const latencies: number[] = [];
  let dropped = 0;
  let failed = 0;
  let stalls = 0;
  let longestPushWaitMs = 0;
  let longestProducerLateMs = 0;
  let stallsAfterProducerLate = 0;
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

  const push = async (id: number, lateMs: number): Promise<void> => {
    if (queue.length >= QUEUE_SLOTS || producersWaitingForSlot.length > 0) {
      const waitStarted = performance.now();
      const gotSlot = await waitForSlot();
      const waitedMs = performance.now() - waitStarted;
      longestPushWaitMs = Math.max(longestPushWaitMs, waitedMs);
      if (waitedMs > STALL_MS) {
        stalls += 1;
        if (lateMs > PRODUCER_LATE_MS) stallsAfterProducerLate += 1;
      }
      if (!gotSlot) {
        dropped += 1;
        return;
      }
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
    const lateMs = Math.max(0, performance.now() - (started + (id * 1000) / ratePerSecond));
    longestProducerLateMs = Math.max(longestProducerLateMs, lateMs);
    pushes.push(push(id, lateMs));
  }
  await Promise.all(pushes);
  producing = false;
  for (const wake of idleWorkers.splice(0)) wake();
  await Promise.all(workers);
  agent.destroy();
  return { ...summarise(total, latencies, dropped, failed, (performance.now() - started) / 1000), stalls, longestPushWaitMs, longestProducerLateMs, stallsAfterProducerLate };
}

/** A run's counts and latencies (ms, in any order) as a LoadResult: p50, p99 and mean exact, NaN without any. */
export function summarise(sent: number, latencies: readonly number[], dropped: number, failed: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const meanMs = sorted.reduce((sum, latency) => sum + latency, 0) / sorted.length;
  return { sent, completed: latencies.length, dropped, failed, seconds, perSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), meanMs };
}
