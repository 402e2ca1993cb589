/**
 * The load generator that judges OpenIM's queue bar (bench/openim-load.ts `runAfter`): a receiver
 * that stops answering for a while makes the send path stall, and is counted; a receiver that keeps
 * up does not; a pause of the load generator itself shows as a producer running late, so a stall it
 * causes is not taken for the receiver's; an error status fails the delivery, as a non-2xx answer
 * fails the closed-loop phases. The receiver is a real HTTP server on a thread of its own,
 * so that blocking it does not block the generator (and the other way round).
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { QUEUE_SLOTS } from '../../bench/openim-after-queue.ts';
import { runAfter, summarise } from '../../bench/openim-load.ts';

/**
 * Answers continue (with `status`); the request with operationID `after-<blockAt>` holds its
 * thread for `blockMs` first.
 */
const RECEIVER = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const server = createServer((req, res) => {
  req.resume().on('end', () => {
    if (req.headers.operationid === 'after-' + workerData.blockAt) {
      const until = performance.now() + workerData.blockMs;
      while (performance.now() < until);
    }
    res.statusCode = workerData.status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end('{"actionCode":0,"errCode":0,"errMsg":"","errDlt":"","nextCode":0}');
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

let receiver: Worker | undefined;
afterEach(async () => {
  await receiver?.terminate();
  receiver = undefined;
});

async function startReceiver(blockAt = -1, blockMs = 0, status = 200): Promise<string> {
  receiver = new Worker(RECEIVER, { eval: true, workerData: { blockAt, blockMs, status } });
  const port = await new Promise<number>((resolve, reject) => receiver!.once('message', resolve).once('error', reject));
  return `http://127.0.0.1:${port}/openim/secret/callbackAfterSendGroupMsgCommand`;
}

const body = (sequence: number) => JSON.stringify({ callbackCommand: 'callbackAfterSendGroupMsgCommand', clientMsgID: `c-${sequence}` });

describe('runAfter (OpenIM after-callback queue load)', () => {
  it('counts no stall while the receiver keeps up', async () => {
    const result = await runAfter({ url: await startReceiver(), body }, 200, 1);
    expect(result).toMatchObject({ sent: 200, completed: 200, dropped: 0, failed: 0, stalls: 0 });
  });

  it("counts the pushes that waited for a slot while the receiver stopped answering, and not as the generator's", async () => {
    // 300 ms without answers at 1,000/s: ~300 pushes, of which the 100 slots hold a third.
    const result = await runAfter({ url: await startReceiver(100, 300), body }, 1_000, 1);
    expect(result.dropped).toBe(0);
    expect(result.completed).toBe(1_000);
    expect(result.stalls).toBeGreaterThan(QUEUE_SLOTS);
    expect(result.longestPushWaitMs).toBeGreaterThan(100);
    expect(result.stallsAfterProducerLate).toBeLessThan(result.stalls);
  });

  it('counts an error status as a failed delivery, though its body is JSON', async () => {
    const result = await runAfter({ url: await startReceiver(-1, 0, 500), body }, 100, 1);
    expect(result).toMatchObject({ sent: 100, completed: 0, failed: 100 });
  });

  it('reports how far behind its schedule a paused generator pushed', async () => {
    const url = await startReceiver();
    // The generator's own thread stops for 150 ms half-way.
    setTimeout(() => {
      const until = performance.now() + 150;
      while (performance.now() < until);
    }, 250);
    const result = await runAfter({ url, body }, 200, 1);
    expect(result.longestProducerLateMs).toBeGreaterThanOrEqual(140);
    expect(result.completed).toBe(200);
  });
});

describe('summarise (a run as a LoadResult)', () => {
  it('gives the exact p50, p99 and mean of latencies in any order', () => {
    const latencies = [10, 1, 4, 2, 3, ...Array.from({ length: 95 }, () => 1)];
    expect(summarise(100, latencies, 0, 0, 2)).toMatchObject({ completed: 100, perSecond: 50, p50Ms: 1, p99Ms: 10, meanMs: 1.15 });
  });

  it('gives NaN, not 0, for a run that got no answer', () => {
    const result = summarise(5, [], 0, 5, 1);
    expect([result.p50Ms, result.p99Ms, result.meanMs]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });
});
