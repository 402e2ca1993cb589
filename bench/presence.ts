/**
 * `npm run bench:presence`: presence and audit through the real local server (`local/start.ts`).
 *  1. Presence: 10,000 OpenIM online/offline/kick-off callbacks for 1,000 users (3 platforms
 *     each, with duplicates), shuffled, sent by two concurrent senders; prints events/s (answered,
 *     and applied once the presence queue drained) and checks the final state of every user
 *     against the expected one computed independently (bench/presence-stream.ts).
 *  2. After-callback latency while the audit writer works: after-sends at BENCH_AFTER_RATE
 *     (1,000/s) for BENCH_SECONDS (10) through OpenIM's 2-worker, 100-slot queue model
 *     (bench/openim-load.ts), against a bare Node http server (bench/bare-server.ts) in the same
 *     run; then checks that every answered event has exactly one audit record.
 * Exits 1 when presence is not exact or an audit record is missing or duplicated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inTurn, runAfter, type LoadResult } from './openim-load.ts';
import { buildPresenceStream, presenceMismatches, readPresence, sendConcurrently, waitForDrain } from './presence-stream.ts';
import { scratchDirectory } from './scratch-directory.ts';
import { startServerProcess } from './server-process.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const AFTER_RATE = Number(process.env.BENCH_AFTER_RATE ?? 1000);
const SECRET = 'bench-callback-secret-0123456789';
const API_TOKEN = 'bench-api-token-0123456789';
const ROOT = join(import.meta.dirname, '..');
const AFTER_COMMAND = 'callbackAfterSendSingleMsgCommand';

function line(output: string, prefix: string): string {
  return output.split('\n').find((l) => l.startsWith(prefix))?.slice(prefix.length).trim() ?? '';
}

const fmt = (n: number) => n.toFixed(1);
const describeLoad = (name: string, r: LoadResult) =>
  `${name.padEnd(14)} sent ${r.sent}  answered ${r.completed}  dropped ${r.dropped}  failed ${r.failed}  ${fmt(r.perSecond)}/s  p50 ${fmt(r.p50Ms)} ms  p99 ${fmt(r.p99Ms)} ms`;

const project = await startServerProcess(
  'local/start.ts',
  { PORT: '0', DATA_DIR: scratchDirectory('bench-presence-'), CALLBACK_SECRET: SECRET, API_TOKEN, POWERTOOLS_LOG_LEVEL: 'WARN' },
  /--- webhooks.yml/,
);
const { banner } = project;
const webhookBase = line(banner, 'Webhook base URL:');
const api = `${line(banner, 'openim-hooks listening on')}/api`;
const messagingEndpoint = line(banner, 'Embedded SQS/SNS (fauxqs):').split(/\s+/)[0]!;
let exact = true;

try {
  // 1. Presence.
  const stream = buildPresenceStream({
    users: 1_000,
    platformsPerUser: 3,
    eventsPerPlatform: 3,
    duplicateShare: 0,
    totalEvents: 10_000,
    kickOffShare: 0.05,
    startAt: Date.now() - 15 * 60_000,
    userPrefix: 'bench-user-',
    seed: 10_000,
  });
  const started = performance.now();
  const failed = await sendConcurrently(webhookBase, stream.events, 2);
  const answeredSeconds = (performance.now() - started) / 1000;
  await waitForDrain(messagingEndpoint, 'presence', 300_000);
  const appliedSeconds = (performance.now() - started) / 1000;
  const served = await readPresence(api, API_TOKEN, [...stream.expected.keys()]);
  const mismatches = presenceMismatches(stream.expected, served);
  exact &&= mismatches.length === 0 && failed === 0 && served.length === stream.expected.size;
  console.log('presence: %d events for %d users (shuffled, duplicates, kick-offs), two concurrent senders', stream.events.length, stream.expected.size);
  console.log('  answered: %s events/s (%s s), failed %d', fmt(stream.events.length / answeredSeconds), fmt(answeredSeconds), failed);
  console.log('  applied:  %s events/s (%s s until the presence queue drained)', fmt(stream.events.length / appliedSeconds), fmt(appliedSeconds));
  console.log('  final state: %s (%d of %d users match; %d online)', mismatches.length === 0 ? 'EXACT' : 'WRONG', served.length - mismatches.length, served.length, served.filter((u) => u.online).length);
  for (const mismatch of mismatches.slice(0, 5)) console.log('  mismatch', JSON.stringify(mismatch));

  // 2. After-callback latency while the audit writer works, against the bare baseline.
  const template = JSON.parse(readFileSync(join(ROOT, 'events', `${AFTER_COMMAND}.json`), 'utf8')) as Record<string, unknown>;
  const sender = `bench-sender-${Date.now()}`;
  const bodies = Array.from({ length: AFTER_RATE * SECONDS }, (_, i) => `${JSON.stringify({ ...template, sendID: sender, serverMsgID: `bench-${i}`, clientMsgID: `bench-c-${i}`, sendTime: Date.now() })}\n`);
  const bare = await startServerProcess('bench/bare-server.ts', {}, /listening (\d+)/);
  const barePort = bare.match[1];
  const baseline = await runAfter({ url: `http://127.0.0.1:${barePort}/openim/${SECRET}/${AFTER_COMMAND}`, body: inTurn(bodies) }, AFTER_RATE, SECONDS);
  await bare.stop();
  const withAudit = await runAfter({ url: `${webhookBase}/${AFTER_COMMAND}`, body: inTurn(bodies) }, AFTER_RATE, SECONDS);
  const drainStarted = performance.now();
  await waitForDrain(messagingEndpoint, 'audit', 300_000);
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const ids: string[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const response = await fetch(`${api}/audit?sendID=${sender}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    const page = (await response.json()) as { items: { serverMsgID: string }[]; cursor: string | null };
    ids.push(...page.items.map((item) => item.serverMsgID));
    cursor = page.cursor;
  }
  const auditExact = ids.length === withAudit.completed && new Set(ids).size === ids.length;
  exact &&= auditExact && withAudit.dropped === 0;
  console.log('after-callbacks at %d/s for %d s (OpenIM queue model: 2 workers, 100 slots, drop after 3 s):', AFTER_RATE, SECONDS);
  console.log('  %s', describeLoad('bare server', baseline));
  console.log('  %s', describeLoad('with audit', withAudit));
  console.log('  p50 ratio %s, p99 ratio %s (this server / bare)', fmt(withAudit.p50Ms / baseline.p50Ms), fmt(withAudit.p99Ms / baseline.p99Ms));
  console.log('  audit: %d records for %d answered events, %d duplicates (%s); queue drained %s s after the load', ids.length, withAudit.completed, ids.length - new Set(ids).size, auditExact ? 'EXACT' : 'WRONG', fmt(drainSeconds));
} finally {
  await project.stop();
}
process.exit(exact ? 0 : 1);
