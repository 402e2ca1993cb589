/**
 * `npx tsx bench/callback-parts.ts`: the CPU each per-request part of the local callback path costs
 * when timed alone, in this process: the API Gateway event the adapter builds (URL parsing
 * included), the Lambda context, and the before-callback's time budget. Timed alone, garbage
 * collection and compilation count, and a busy machine's scheduling barely does: each figure is the
 * median of 5 rounds of 100,000 calls, after 50,000 unmeasured.
 */
import type { IncomingMessage } from 'node:http';
import { localContext, requestTarget, toApiGatewayEvent } from '../local/apigw-adapter.ts';
import { TimeBudget, withinBudget } from '#shared/callbacks/time-budget.ts';

const CALLS = 100_000;
const ROUNDS = 5;
const REQUEST = {
  url: '/openim/bench-callback-secret-0123456789/callbackBeforeSendGroupMsgCommand',
  method: 'POST',
  httpVersion: '1.1',
  socket: { remoteAddress: '127.0.0.1' },
  headers: { host: '127.0.0.1:8080', 'content-type': 'application/json; charset=utf-8', operationid: 'op-1', 'content-length': '900', connection: 'keep-alive' },
} as unknown as IncomingMessage;
const ROUTE = { resource: '/openim/{secret}/{command}', pathParameters: { secret: 's', command: 'c' } };

/** Keeps results alive so that the compiler cannot drop the work. */
let kept = 0;
const PARTS: Record<string, () => unknown> = {
  'API Gateway event': () => (kept += toApiGatewayEvent(REQUEST, requestTarget(REQUEST.url), '{}', ROUTE).path.length),
  'Lambda context': () => (kept += localContext('before-callback', 15_000).awsRequestId.length),
  'time budget, decided at once': () => withinBudget(new TimeBudget(300), 1),
  'time budget, awaited': () => withinBudget(new TimeBudget(300), Promise.resolve(1)),
};

async function microsPerCall(part: () => unknown): Promise<number> {
  const run = async (calls: number) => {
    for (let call = 0; call < calls; call += 1) await part();
  };
  await run(CALLS / 2);
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const cpu = process.cpuUsage();
    await run(CALLS);
    const used = process.cpuUsage(cpu);
    rounds.push((used.user + used.system) / CALLS);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

for (const [name, part] of Object.entries(PARTS)) {
  process.stdout.write(`${name.padEnd(Math.max(...Object.keys(PARTS).map((key) => key.length)))} ${(await microsPerCall(part)).toFixed(2)} µs CPU per call\n`);
}
if (kept === 0) process.stdout.write('\n');
