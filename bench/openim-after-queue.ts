/**
 * OpenIM's after-callback queue, as OpenIM builds it, and a virtual-time model of it.
 *
 * Every OpenIM service process holds one webhook client with its own queue
 * (open-im-server pkg/common/webhook/http_client.go:40-41 and :51, `webhookWorkerCount = 2`,
 * `webhookBufferSize = 100`, `memamq.NewMemoryQueue(...)`; the same at tag v3.8.3-patch.15, :38-39).
 * `AsyncPost` pushes each after-callback (:66-70); a push into a full queue blocks the caller for
 * up to 3 s, then fails and the event is gone (openimsdk/tools mq/memamq/queue.go:17 `pushWait`,
 * :62-76 `Push`). AsyncPost ignores that error and OpenIM never retries an after-callback. A worker
 * waits for each request up to the callback's `timeout` (webhooks.yml; ours is AFTER_TIMEOUT_SECONDS).
 *
 * `simulateAfterQueue` runs that queue in virtual time, fed by Poisson arrivals at a rate per
 * process, each request taking a latency drawn from the receiver's distribution: fast and
 * deterministic for a seed, so a model can search for the highest rate without stalls or drops.
 */
import { AFTER_TIMEOUT_SECONDS } from '#shared/openim/webhooks-yml.ts';
import { seededRandom } from './seeded-random.ts';

export const QUEUE_WORKERS = 2;
export const QUEUE_SLOTS = 100;
export const PUSH_WAIT_MS = 3_000;

export interface AfterQueueRun {
  readonly ratePerSecond: number;
  readonly seconds: number;
  /** One receiver round trip in ms (drawn per request); capped at OpenIM's timeout. */
  readonly latencyMs: (random: () => number) => number;
  readonly seed: number;
  /** Stop at the first stall (a search only needs to know whether one happens). */
  readonly untilFirstStall?: boolean;
}

export interface AfterQueueOutcome {
  readonly sent: number;
  /** Pushes that found the queue full: the user's request waited. */
  readonly stalled: number;
  /** Pushes that waited the whole 3 s: the event was lost. */
  readonly dropped: number;
  readonly longestStallMs: number;
  /** Share of the time the two workers were busy. */
  readonly utilisation: number;
}

export function simulateAfterQueue(run: AfterQueueRun): AfterQueueOutcome {
  const random = seededRandom(run.seed);
  const timeoutMs = AFTER_TIMEOUT_SECONDS * 1000;
  const endMs = run.seconds * 1000;
  const workerFreeAt = Array.from({ length: QUEUE_WORKERS }, () => 0);
  let queued = 0;
  /** Arrival times of pushes blocked on a full queue, oldest first (Go serves blocked senders in order). */
  const blocked: number[] = [];
  let [sent, stalled, dropped, longestStallMs, busyMs] = [0, 0, 0, 0, 0];
  let nextArrival = exponential(random, run.ratePerSecond);

  const serve = (worker: number, at: number) => {
    const latency = Math.min(run.latencyMs(random), timeoutMs);
    workerFreeAt[worker] = at + latency;
    busyMs += latency;
  };
  /** Blocked pushes whose 3 s ran out before `at` are dropped. */
  const expire = (at: number) => {
    while (blocked.length > 0 && blocked[0]! + PUSH_WAIT_MS <= at) {
      blocked.shift();
      dropped += 1;
      longestStallMs = Math.max(longestStallMs, PUSH_WAIT_MS);
    }
  };

  for (;;) {
    const worker = workerFreeAt.indexOf(Math.min(...workerFreeAt));
    const freeAt = workerFreeAt[worker]!;
    const arrivalsLeft = nextArrival < endMs;
    if (!arrivalsLeft && queued === 0 && blocked.length === 0) break;
    if (arrivalsLeft && nextArrival <= freeAt) {
      // An after-callback is pushed.
      expire(nextArrival);
      sent += 1;
      const idle = workerFreeAt.findIndex((at) => at <= nextArrival);
      if (queued === 0 && idle >= 0) serve(idle, nextArrival);
      else if (queued < QUEUE_SLOTS && blocked.length === 0) queued += 1;
      else {
        stalled += 1;
        blocked.push(nextArrival);
        if (run.untilFirstStall) break;
      }
      nextArrival += exponential(random, run.ratePerSecond);
      continue;
    }
    // A worker finishes and takes the next event, if any; a slot frees for the oldest blocked push.
    expire(freeAt);
    if (queued > 0) {
      queued -= 1;
      serve(worker, freeAt);
      const admitted = blocked.shift();
      if (admitted !== undefined) {
        queued += 1;
        longestStallMs = Math.max(longestStallMs, freeAt - admitted);
      }
    } else {
      // Idle until the next arrival.
      workerFreeAt[worker] = arrivalsLeft ? nextArrival : Number.POSITIVE_INFINITY;
      if (!arrivalsLeft && workerFreeAt.every((at) => at === Number.POSITIVE_INFINITY)) break;
    }
  }
  return { sent, stalled, dropped, longestStallMs, utilisation: busyMs / (QUEUE_WORKERS * Math.max(endMs, 1)) };
}

/** The highest whole rate per second (up to `maxRate`) at which `run` neither stalls nor drops. */
export function highestCleanRate(run: Omit<AfterQueueRun, 'ratePerSecond'>, maxRate = 20_000): number {
  const clean = (rate: number) => {
    const outcome = simulateAfterQueue({ ...run, ratePerSecond: rate, untilFirstStall: true });
    return outcome.stalled === 0 && outcome.dropped === 0;
  };
  let [low, high] = [0, maxRate];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (clean(middle)) low = middle;
    else high = middle;
  }
  return low;
}

function exponential(random: () => number, ratePerSecond: number): number {
  return (-Math.log(1 - random()) * 1000) / ratePerSecond;
}
