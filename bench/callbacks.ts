/**
 * `npm run bench:callbacks`: this project's local server against a bare Node `http` server that
 * only parses the body and answers "continue", side by side in one run, under OpenIM-shaped load
 * (bench/openim-load.ts). Each server runs in its own process; the load runs in this one.
 * The project runs four times: with no moderation policy, with its queues kept in memory instead of
 * on disk (what durability costs, DURABLE_QUEUES=false), and with a 500-term blocklist on the
 * clean messages only and on all of them. The messages are group messages drawn from the
 * moderation benchmark's corpus (about 5% carry a blocked term, plain or evaded).
 * On Linux it also prints where the CPU went in each before phase (bench/cpu-shares.ts), and the
 * CPU each after-callback cost the server, from its answer until the audit queue has drained: a
 * figure that contention on a busy machine skews less than latency does. Last, what durable
 * queues cost each event on the stand-in alone (bench/queue-durability-cost.ts).
 * Each server first takes BENCH_WARMUP_SECONDS of the same before load, unmeasured: a fresh Node
 * process spends its first seconds compiling its hot paths (V8's optimising compiler, on helper
 * threads), and what is measured is a server that has been running, as OpenIM's receivers are.
 * On Linux each server's event loop gets a core of its own and everything else shares the others
 * (bench/event-loop-core.ts); BENCH_PIN=off leaves the scheduler to place them.
 * Options (env): BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (10), BENCH_CONCURRENCY (32), BENCH_AFTER_RATE (1000),
 * BENCH_PIN (on), BENCH_QUEUE_ROUNDS (5).
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { startCpuShares, type CpuShares } from './cpu-shares.ts';
import { canPinEventLoop, pinEventLoopApart, unpinLoadGenerator } from './event-loop-core.ts';
import { buildCorpus } from './moderation-corpus.ts';
import { runAfter, runBefore, type LoadResult } from './openim-load.ts';
import { waitForDrain } from './presence-stream.ts';
import { measureQueueDurabilityCost } from './queue-durability-cost.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const PIN = process.env.BENCH_PIN !== 'off' && canPinEventLoop;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const AFTER_RATE = Number(process.env.BENCH_AFTER_RATE ?? 1000);
const QUEUE_ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 5);
const SECRET = 'bench-callback-secret-0123456789';
const ROOT = join(import.meta.dirname, '..');

const sample = (command: string) => readFileSync(join(ROOT, 'events', `${command}.json`), 'utf8');
const BEFORE_COMMAND = 'callbackBeforeSendGroupMsgCommand';
const AFTER_COMMAND = 'callbackAfterSendGroupMsgCommand';

const corpus = buildCorpus(4_000);
const POLICY_FILE = join(mkdtempSync(join(tmpdir(), 'bench-policy-')), 'policy.json');
writeFileSync(POLICY_FILE, JSON.stringify({ blocked: corpus.terms }));
/** Distinct senders the messages are spread over. */
const SENDERS = 1_000;
/** Added to the warm-up's sequence numbers, so that the measured messages have IDs never sent before. */
const WARMUP_SEQUENCE_OFFSET = 1_000_000_000;
const SEQUENCE = '@@sequence@@';
const SENDER = '@@sender@@';

/**
 * Group messages as OpenIM sends them, each carrying one corpus line as an at-text message, with
 * message IDs of its own and one of SENDERS senders, as real traffic has (repeated IDs would turn
 * every write keyed on the message into a duplicate); `cleanOnly` leaves out the lines with a
 * blocked term, to tell scanning from blocking costs.
 */
function groupMessages(command: string, cleanOnly = false): (sequence: number) => string {
  const template = JSON.parse(sample(command)) as Record<string, unknown>;
  const lines = corpus.lines
    .filter((line) => !cleanOnly || line.term === undefined)
    .map(({ text }) =>
      `${JSON.stringify({
        ...template,
        sendID: SENDER,
        clientMsgID: `bench-c-${SEQUENCE}`,
        serverMsgID: `bench-s-${SEQUENCE}`,
        content: JSON.stringify({ text, atUserList: [], isAtSelf: false }),
      })}\n`,
    );
  return (sequence) =>
    lines[sequence % lines.length]!.replaceAll(SEQUENCE, String(sequence)).replace(SENDER, `bench-user-${sequence % SENDERS}`);
}

interface Started {
  readonly base: string;
  readonly server: ServerProcess;
  /** The project's SQS endpoint, to wait for its audit queue to drain. */
  readonly messagingEndpoint?: string;
}

async function startBare(): Promise<Started> {
  const server = await startServerProcess('bench/bare-server.ts', {}, /listening (\d+)/);
  return { base: `http://127.0.0.1:${server.match[1]}/openim/${SECRET}`, server };
}

async function startProject(policyFile: string | undefined, durableQueues = true): Promise<Started> {
  const server = await startServerProcess(
    'local/start.ts',
    {
      PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-')),
      CALLBACK_SECRET: SECRET,
      API_TOKEN: 'bench-api-token-0123456789',
      ...(policyFile ? { MODERATION_POLICY_FILE: policyFile } : {}),
      DURABLE_QUEUES: String(durableQueues),
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
    /Webhook base URL: (\S+)/,
  );
  const messagingEndpoint = /Embedded SQS\/SNS \(fauxqs\): (\S+)/.exec(server.banner)?.[1];
  return { base: server.match[1]!, server, ...(messagingEndpoint ? { messagingEndpoint } : {}) };
}

async function measureBefore(server: Started, cleanOnly: boolean) {
  const pid = server.server.child.pid!;
  const url = `${server.base}/${BEFORE_COMMAND}`;
  const body = groupMessages(BEFORE_COMMAND, cleanOnly);
  if (PIN) pinEventLoopApart(pid);
  if (WARMUP_SECONDS > 0) await runBefore({ url, body: (sequence) => body(WARMUP_SEQUENCE_OFFSET + sequence) }, CONCURRENCY, WARMUP_SECONDS);
  // Again, for the threads the server started during the warm-up.
  if (PIN) pinEventLoopApart(pid);
  const cpu = startCpuShares(pid);
  const before = await runBefore({ url, body }, CONCURRENCY, SECONDS);
  const shares = cpu.finish();
  return { before, shares };
}

/** Stops the server; the next one starts from a load generator free to use every core. */
async function stop(server: Started): Promise<void> {
  await server.server.stop();
  if (PIN) unpinLoadGenerator();
}

/** `cleanOnly`: only the messages without a blocked term. */
async function measure(name: string, server: Started, cleanOnly = false) {
  const { before, shares } = await measureBefore(server, cleanOnly);
  const afterStarted = performance.now();
  const afterCpu = startCpuShares(server.server.child.pid!);
  const after = await runAfter({ url: `${server.base}/${AFTER_COMMAND}`, body: groupMessages(AFTER_COMMAND, cleanOnly) }, AFTER_RATE, SECONDS);
  if (server.messagingEndpoint) await waitForDrain(server.messagingEndpoint, 'audit', 120_000);
  const afterShares = afterCpu.finish();
  const afterCpuMs = afterShares && cpuMsPerEvent(afterShares, performance.now() - afterStarted, after.completed);
  await stop(server);
  return { name, before, after, shares, afterCpuMs };
}

/** CPU milliseconds per answered event, from shares (% of one core) over a window of `windowMs`. */
function cpuMsPerEvent(shares: CpuShares, windowMs: number, events: number) {
  const perEvent = (share: number) => (share / 100) * (windowMs / Math.max(events, 1));
  const eventLoop = perEvent(shares.eventLoop);
  const otherThreads = perEvent(shares.otherThreads);
  const workers = perEvent(shares.childProcesses);
  return { eventLoop, otherThreads, workers, total: eventLoop + otherThreads + workers };
}

const row = (name: string, kind: string, r: LoadResult) =>
  `${name.padEnd(16)} ${kind.padEnd(7)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(2).padStart(8)} ${r.p99Ms.toFixed(2).padStart(8)} ${String(r.completed).padStart(9)} ${String(r.dropped).padStart(7)} ${String(r.failed).padStart(6)}`;

process.stdout.write(
  `bench:callbacks — ${SECONDS}s per phase after ${WARMUP_SECONDS}s of warm-up${PIN ? `; each server's event loop on a core of its own` : ''}; before: ${CONCURRENCY} in flight; after: ${AFTER_RATE}/s into a 2-worker, 100-slot queue (3 s push wait)\n` +
    `moderation on: ${corpus.terms.length} blocked terms; ${corpus.lines.filter((line) => line.term).length} of ${corpus.lines.length} messages carry one\n`,
);
const bare = await measure('bare node http', await startBare());
const unmoderated = await measure('hooks, no policy', await startProject(undefined));
const inMemory = await measure('queues in memory', await startProject(undefined, false));
const scanning = await measure('500 terms, clean', await startProject(POLICY_FILE), true);
const project = await measure('hooks, 500 terms', await startProject(POLICY_FILE));

process.stdout.write(`\n${'server'.padEnd(16)} ${'phase'.padEnd(7)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'completed'.padStart(9)} ${'dropped'.padStart(7)} ${'failed'.padStart(6)}\n`);
for (const result of [bare, unmoderated, inMemory, scanning, project]) {
  process.stdout.write(`${row(result.name, 'before', result.before)}\n${row(result.name, 'after', result.after)}\n`);
}
const share = (value: number) => value.toFixed(0).padStart(11);
const cpuRow = (name: string, shares: CpuShares | undefined) =>
  shares
    ? `${name.padEnd(16)}${share(shares.loadGenerator)}${share(shares.eventLoop)}${share(shares.otherThreads)}${share(shares.childProcesses)}${share(shares.idle)}${share(shares.eventLoopWaiting)}\n`
    : '';
const cpuRows = [bare, unmoderated, inMemory, scanning, project].map((result) => cpuRow(result.name, result.shares)).join('');
if (cpuRows) {
  process.stdout.write(
    `\nwhere the CPU went in the before phases, % of one core (${cpus().length} cores: ${cpus().length * 100}% in all)\n` +
      `${'server'.padEnd(16)}${'load gen'.padStart(11)}${'event loop'.padStart(11)}${'threads*'.padStart(11)}${'workers'.padStart(11)}${'idle'.padStart(11)}${'loop waits'.padStart(11)}\n` +
      cpuRows +
      `* the server's other threads: the AWS stand-ins (dynalite, fauxqs) and V8's (garbage collection, compilation)\n` +
      `loop waits: % of the phase the event loop was ready to run but waited for a core\n`,
  );
}

const ms = (value: number) => value.toFixed(3).padStart(11);
const afterCpuRows = [unmoderated, inMemory, scanning, project]
  .map((result) => (result.afterCpuMs ? `${result.name.padEnd(16)}${ms(result.afterCpuMs.eventLoop)}${ms(result.afterCpuMs.otherThreads)}${ms(result.afterCpuMs.workers)}${ms(result.afterCpuMs.total)}\n` : ''))
  .join('');
if (afterCpuRows) {
  process.stdout.write(
    `\nCPU per after-callback, ms, from its answer until the audit queue drained\n` +
      `${'server'.padEnd(16)}${'event loop'.padStart(11)}${'threads*'.padStart(11)}${'workers'.padStart(11)}${'total'.padStart(11)}\n` +
      afterCpuRows,
  );
}

const percentOfBare = (result: typeof bare) => ((result.before.perSecond / bare.before.perSecond) * 100).toFixed(1);
const p99Ratio = (result: typeof bare) => (result.before.p99Ms / bare.before.p99Ms).toFixed(2);
process.stdout.write(
  [
    '',
    `before, no policy: ${percentOfBare(unmoderated)}% of the bare server's throughput (bar: >= 60%), p99 ${p99Ratio(unmoderated)}x (bar: <= 2x)`,
    `before, 500 terms, clean messages only (the cost of scanning): ${percentOfBare(scanning)}%, p99 ${p99Ratio(scanning)}x`,
    `before, 500 terms, 5% of messages blocked (scanning, publishing each block, and the review and audit workers on the same cores): ${percentOfBare(project)}% of the bare server's throughput (bar: >= 50%), p99 ${p99Ratio(project)}x`,
    `after: dropped ${unmoderated.after.dropped} (no policy) and ${project.after.dropped} (500 terms) of ${project.after.sent} at ${AFTER_RATE}/s (bar: 0); bare dropped ${bare.after.dropped}`,
    `after, what durable queues cost (no policy, on disk vs in memory): p50 ${unmoderated.after.p50Ms.toFixed(2)} vs ${inMemory.after.p50Ms.toFixed(2)} ms, p99 ${unmoderated.after.p99Ms.toFixed(2)} vs ${inMemory.after.p99Ms.toFixed(2)} ms, dropped ${unmoderated.after.dropped} vs ${inMemory.after.dropped}` +
      (unmoderated.afterCpuMs && inMemory.afterCpuMs ? `, CPU ${unmoderated.afterCpuMs.total.toFixed(3)} vs ${inMemory.afterCpuMs.total.toFixed(3)} ms per event` : ''),
    '',
  ].join('\n'),
);

// Alone, with no server running, so that the two sides differ by the SQLite writes and little else.
const chatEvent = JSON.stringify({ eventType: AFTER_COMMAND, valid: true, payload: JSON.parse(sample(AFTER_COMMAND)) as unknown });
const queueCost = await measureQueueDurabilityCost(QUEUE_ROUNDS, chatEvent);
process.stdout.write(
  `durable queues on the stand-in alone (Publish fanned out to a queue, receive, delete; median of ${QUEUE_ROUNDS} rounds of 5,000 events): ` +
    `CPU ${queueCost.onDisk.cpuMsPerEvent.toFixed(3)} vs ${queueCost.inMemory.cpuMsPerEvent.toFixed(3)} ms per event in memory ` +
    `(+${(queueCost.onDisk.cpuMsPerEvent - queueCost.inMemory.cpuMsPerEvent).toFixed(3)}), Publish p50 ${queueCost.onDisk.publishP50Ms.toFixed(2)} vs ${queueCost.inMemory.publishP50Ms.toFixed(2)} ms\n`,
);
