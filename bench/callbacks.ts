/**
 * `npm run bench:callbacks`: this project's local server against a bare Node `http` server that
 * only parses the body and answers "continue", side by side in one run, each in a process of its
 * own, with a load generator lean enough (autocannon, bench/openim-load.ts) that the servers, not
 * the client, set the pace. Phases:
 *   bare node http   the baseline, BENCH_CONCURRENCY requests in flight, measured just before and
 *                    just after each closed-loop phase below (after that phase's events have been
 *                    handled), and each phase judged against those two runs (`Baseline`);
 *   before           group messages, the same load, with no moderation policy and with a 500-term
 *                    blocklist that about 5% of the messages hit (bench/moderation-corpus.ts);
 *   after            group after-sends, the same load, kept durably (the default: each event is
 *                    journaled under DATA_DIR before the answer and forwarded to fauxqs' on-disk
 *                    queues in the background) and consumed by the workers' process; the next
 *                    phase waits until the journal is forwarded and the audit queue drained, and
 *                    how long forwarding went on after the phase is printed;
 *   OpenIM's queue   after-sends at BENCH_AFTER_RATE/s through OpenIM's 2-worker, 100-slot queue,
 *                    with the send-path stalls it causes (waits for a slot over 10 ms), on the
 *                    bare server too, so that what the machine and the load generator cause
 *                    alone is seen beside the project's; nothing pinned (openLoop).
 * For each: requests/s, p50/p99, the event loop's CPU per request and how busy the event loop and
 * the load generator were (from /proc, on Linux), the bars, and whether each held; when the load
 * generator, not the bare server, set the bare runs' pace, the throughput bar is judged by CPU
 * per request instead of requests/s (`setByGenerator`). A phase that got any failed or non-JSON
 * answer fails the run.
 * Each server first takes BENCH_WARMUP_SECONDS of the same load, unmeasured: a fresh Node process
 * spends its first seconds compiling its hot paths, and what is measured is a server that has been
 * running. On Linux, in the closed-loop phases, each server's event loop gets a core of its own and
 * everything else shares the others (bench/event-loop-core.ts); BENCH_PIN=off leaves the scheduler
 * to place them.
 * Options (env): BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (5), BENCH_CONCURRENCY (32),
 * BENCH_AFTER_RATE (2000), BENCH_PIN (on), BENCH_EVENT_JOURNAL (true: `false` publishes each
 * callback's event before its answer, as without the journal; `both` adds the after phases of a
 * server without it, side by side in the same run), BENCH_QUEUE_ROUNDS (0: > 0 adds what durable queues cost
 * on the stand-in alone, bench/queue-durability-cost.ts, which takes a minute or more).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { journalBacklogBytes } from '../shared/events/event-journal.ts';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type CpuShares, startCpuShares } from './cpu-shares.ts';
import { canPinEventLoop, pinEventLoopApart, unpinAll, unpinLoadGenerator } from './event-loop-core.ts';
import { buildCorpus } from './moderation-corpus.ts';
import { PRODUCER_LATE_MS, runAfter, runBefore, STALL_MS, type LoadResult, type QueueResult } from './openim-load.ts';
import { waitForDrain } from './presence-stream.ts';
import { measureQueueDurabilityCost } from './queue-durability-cost.ts';
import { scratchDirectory } from './scratch-directory.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const PIN = process.env.BENCH_PIN !== 'off' && canPinEventLoop;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const AFTER_RATE = Number(process.env.BENCH_AFTER_RATE ?? 2000);
const QUEUE_ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 0);
const EVENT_JOURNAL = process.env.BENCH_EVENT_JOURNAL !== 'false';
const WITHOUT_JOURNAL_TOO = process.env.BENCH_EVENT_JOURNAL === 'both';
const SECRET = 'bench-callback-secret-0123456789';
const ROOT = join(import.meta.dirname, '..');

/** The issue's bars (#15): requests/s (or CPU per request) against the bare server's in the same run, and OpenIM's queue. */
const BARS = { beforeShare: 0.5, afterShare: 0.3, beforeP99Ratio: 2, queueDropped: 0, queueStalls: 0 } as const;
/** A load generator this busy (% of a core) next to an event loop less busy than this has set the pace. */
const SATURATED_PERCENT = 90;

const sample = (command: string) => readFileSync(join(ROOT, 'events', `${command}.json`), 'utf8');
const BEFORE_COMMAND = 'callbackBeforeSendGroupMsgCommand';
const AFTER_COMMAND = 'callbackAfterSendGroupMsgCommand';

const corpus = buildCorpus(4_000);
const POLICY_FILE = join(scratchDirectory('bench-policy-'), 'policy.json');
writeFileSync(POLICY_FILE, JSON.stringify({ blocked: corpus.terms }));
/** Distinct senders the messages are spread over. */
const SENDERS = 1_000;
/** Offsets of each phase's sequence numbers, so that every message ID in a run is new. */
const PHASE_OFFSET = 100_000_000;
const SEQUENCE = '@@sequence@@';
const SENDER = '@@sender@@';

/**
 * Group messages as OpenIM sends them, each carrying one corpus line as an at-text message, with
 * message IDs of its own and one of SENDERS senders, as real traffic has (repeated IDs would turn
 * every write keyed on the message into a duplicate).
 */
function groupMessages(command: string): (sequence: number) => string {
  const template = JSON.parse(sample(command)) as Record<string, unknown>;
  const lines = corpus.lines.map(({ text }) =>
    `${JSON.stringify({
      ...template,
      sendID: SENDER,
      clientMsgID: `bench-c-${SEQUENCE}`,
      serverMsgID: `bench-s-${SEQUENCE}`,
      content: JSON.stringify({ text, atUserList: [], isAtSelf: false }),
    })}\n`,
  );
  return (sequence) => lines[sequence % lines.length]!.replaceAll(SEQUENCE, String(sequence)).replace(SENDER, `bench-user-${sequence % SENDERS}`);
}

let phases = 0;
/** The messages of the next phase: IDs no earlier phase used. */
function nextPhase(command: string): (sequence: number) => string {
  const messages = groupMessages(command);
  const offset = (phases += 1) * PHASE_OFFSET;
  return (sequence) => messages(offset + sequence);
}

interface Measured extends LoadResult {
  /** The server's event loop (main thread) CPU per answered request, µs; undefined off Linux. */
  readonly eventLoopMicros: number | undefined;
  /** How busy the server's event loop and the load generator (this process) were, % of a core; undefined off Linux. */
  readonly eventLoopBusy: number | undefined;
  readonly loadGeneratorBusy: number | undefined;
  /** Where the CPU went while it was measured; undefined off Linux. */
  readonly cpu: CpuShares | undefined;
  readonly loadAverage: number;
}

/** Warms the server up on the same load, unmeasured, then measures it. */
async function closedLoop(server: ServerProcess, url: string, command: string): Promise<Measured> {
  const pid = server.child.pid!;
  if (PIN) pinEventLoopApart(pid);
  if (WARMUP_SECONDS > 0) await runBefore({ url, body: nextPhase(command) }, CONCURRENCY, WARMUP_SECONDS);
  // Again, for the threads the server started during the warm-up.
  if (PIN) pinEventLoopApart(pid);
  return measuredWhile(pid, () => runBefore({ url, body: nextPhase(command) }, CONCURRENCY, SECONDS));
}

type QueueMeasured = QueueResult & Omit<Measured, keyof LoadResult>;

/**
 * OpenIM's queue at AFTER_RATE, after WARMUP_SECONDS of the same unmeasured (the load generator's
 * HTTP client warms up too). Nothing is pinned: the pipeline (the stand-ins, the journal's
 * forwarder, the workers) shares both cores with the event loop, as in a deployment. Pinned, the
 * event loop kept a core of its own about half idle while the load generator, the stand-ins and
 * the workers crowded the other one, and the stalls measured that crowding.
 */
async function openLoop(server: ServerProcess, url: string, command: string): Promise<QueueMeasured> {
  const pid = server.child.pid!;
  if (PIN) unpinAll(pid);
  if (WARMUP_SECONDS > 0) await runAfter({ url, body: nextPhase(command) }, AFTER_RATE, WARMUP_SECONDS);
  return measuredWhile(pid, () => runAfter({ url, body: nextPhase(command) }, AFTER_RATE, SECONDS));
}

async function measuredWhile<T extends LoadResult>(pid: number, run: () => Promise<T>): Promise<T & Omit<Measured, keyof LoadResult>> {
  const cpu = startCpuShares(pid);
  const started = performance.now();
  const result = await run();
  const shares = cpu.finish();
  const windowMs = performance.now() - started;
  const eventLoopMicros = shares && ((shares.eventLoop / 100) * windowMs * 1000) / Math.max(result.completed, 1);
  return { ...result, eventLoopMicros, eventLoopBusy: shares?.eventLoop, loadGeneratorBusy: shares?.loadGenerator, cpu: shares, loadAverage: loadavg()[0]! };
}

/**
 * What a phase of this server's is judged against: the bare server's runs just before and just
 * after it, averaged. This machine's speed moves by tens of percent within minutes (in one short
 * run the bare server fell from 23,370 to 12,235 requests/s across one phase: docs/benchmarks.md), and
 * judged against one bare run minutes before it (the 500-term phase came ~10 minutes after it,
 * behind the after phase's drain) a phase measured that drift as much as the server.
 */
interface Baseline {
  /** The bare runs' numbers (1-based, as in the table). */
  readonly runs: readonly [number, number];
  readonly bare: readonly [Measured, Measured];
  /** The two runs' figures that a phase is compared on, averaged. */
  readonly measured: Pick<Measured, 'perSecond' | 'p99Ms' | 'meanMs' | 'eventLoopMicros' | 'eventLoopBusy' | 'loadGeneratorBusy'>;
}

function baselineOf(before: number, after: number): Baseline {
  const bare = [bareRuns[before - 1]!, bareRuns[after - 1]!] as const;
  const mean = (pick: (run: Measured) => number | undefined) => {
    const [a, b] = bare.map(pick);
    return a === undefined || b === undefined ? undefined : (a + b) / 2;
  };
  const measured = {
    perSecond: mean((run) => run.perSecond)!,
    p99Ms: mean((run) => run.p99Ms)!,
    meanMs: mean((run) => run.meanMs)!,
    eventLoopMicros: mean((run) => run.eventLoopMicros),
    eventLoopBusy: mean((run) => run.eventLoopBusy),
    loadGeneratorBusy: mean((run) => run.loadGeneratorBusy),
  };
  return { runs: [before, after], bare, measured };
}

const requestShare = (result: Measured, { measured: bare }: Baseline) => result.perSecond / bare.perSecond;
/** The bare server's event-loop CPU per request over this server's: the share of its capacity, whoever set the pace. */
const cpuShare = (result: Measured, { measured: bare }: Baseline) =>
  result.eventLoopMicros && bare.eventLoopMicros ? bare.eventLoopMicros / result.eventLoopMicros : undefined;
/**
 * The load generator, not the bare server, set the bare server's pace when it used nearly all of
 * its core while the bare server's event loop still had time to spare (on a fast machine autocannon
 * needs about as much CPU per request as the bare server does): the bare server's requests/s then
 * fall short of what it can answer, and a share of them overstates this server's. The throughput
 * bars are then judged by event-loop CPU per request, the measure the issue states the cost in.
 */
const setByGenerator = ({ measured: bare }: Baseline) =>
  (bare.loadGeneratorBusy ?? 0) >= SATURATED_PERCENT && (bare.eventLoopBusy ?? 100) < SATURATED_PERCENT;
const shareOf = (result: Measured, baseline: Baseline) =>
  (setByGenerator(baseline) ? cpuShare(result, baseline) : undefined) ?? requestShare(result, baseline);
const p99Ratio = (result: Measured, { measured: bare }: Baseline) => result.p99Ms / bare.p99Ms;
/**
 * A closed loop's p99 ratio in its two factors: the mean latency's ratio, which with a fixed number
 * of requests in flight is the inverse of the requests/s ratio (Little's law: mean = in flight over
 * requests/s), and the ratio of the tails' shapes (p99 over mean). At 50% of the bare server's
 * requests/s the first alone is 2x, so the p99 bar holds there only with a tail narrower than its.
 */
const meanRatio = (result: Measured, { measured: bare }: Baseline) => result.meanMs / bare.meanMs;
const p99Factors = (result: Measured, baseline: Baseline) =>
  `mean ${number(meanRatio(result, baseline), 2)}x (requests in flight over requests/s), ` +
  `p99 over mean ${number(p99Ratio(result, baseline) / meanRatio(result, baseline), 2)}x the bare server's`;

async function stop(server: ServerProcess): Promise<void> {
  await server.stop();
  if (PIN) unpinLoadGenerator();
}

/**
 * Waits until the server's event journal has been forwarded (its checkpoint, written every
 * 100 ms, has reached its end) and returns how long that took; 0 without a journal.
 */
async function waitForJournal(dataDir: string, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  while (journalBacklogBytes(join(dataDir, 'event-journal')) > 0) {
    if (performance.now() - started > timeoutMs) throw new Error(`the event journal was not forwarded within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

async function startProject(policyFile: string | undefined, eventJournal = EVENT_JOURNAL) {
  const dataDir = scratchDirectory('bench-');
  const server = await startServerProcess(
    'local/start.ts',
    {
      PORT: '0',
      DATA_DIR: dataDir,
      EVENT_JOURNAL: String(eventJournal),
      CALLBACK_SECRET: SECRET,
      API_TOKEN: 'bench-api-token-0123456789',
      ...(policyFile ? { MODERATION_POLICY_FILE: policyFile } : {}),
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
    /Webhook base URL: (\S+)/,
  );
  const messagingEndpoint = /Embedded SQS\/SNS \(fauxqs\): (\S+)/.exec(server.banner)?.[1];
  if (!messagingEndpoint) throw new Error('the local server did not print its fauxqs endpoint');
  return { server, base: server.match[1]!, messagingEndpoint, dataDir };
}

process.stdout.write(
  `bench:callbacks: ${SECONDS}s per phase after ${WARMUP_SECONDS}s of warm-up, ${CONCURRENCY} requests in flight (autocannon)` +
    `${PIN ? `; each server's event loop on a core of its own` : ''}; OpenIM's queue at ${AFTER_RATE}/s\n` +
    `moderation: ${corpus.terms.length} blocked terms; ${corpus.lines.filter((line) => line.term).length} of ${corpus.lines.length} messages carry one; load average at start ${loadavg()[0]!.toFixed(1)}\n`,
);

// The bare server runs throughout: it is measured just before and just after each closed-loop phase of this one's.
const bareServer = await startServerProcess('bench/bare-server.ts', {}, /listening (\d+)/);
const bareBase = `http://127.0.0.1:${bareServer.match[1]}/openim/${SECRET}`;
const bareRuns: Measured[] = [];
/** Measures the bare server once more; its number in the table is its place in `bareRuns`. */
async function measureBare(): Promise<number> {
  bareRuns.push(await closedLoop(bareServer, `${bareBase}/${BEFORE_COMMAND}`, BEFORE_COMMAND));
  return bareRuns.length;
}
const bareFirst = await measureBare();
const bareQueue = await openLoop(bareServer, `${bareBase}/${AFTER_COMMAND}`, AFTER_COMMAND);

const unmoderated = await startProject(undefined);
const beforeNoPolicy = await closedLoop(unmoderated.server, `${unmoderated.base}/${BEFORE_COMMAND}`, BEFORE_COMMAND);
const bareBetween = await measureBare();
const after = await closedLoop(unmoderated.server, `${unmoderated.base}/${AFTER_COMMAND}`, AFTER_COMMAND);
// Until the journal is forwarded the topic has not seen every event, so the audit queue may look drained.
const afterForwardedMs = await waitForJournal(unmoderated.dataDir);
await waitForDrain(unmoderated.messagingEndpoint, 'audit', 600_000);
const bareAfterDrain = await measureBare();
const queue = await openLoop(unmoderated.server, `${unmoderated.base}/${AFTER_COMMAND}`, AFTER_COMMAND);
const queueForwardedMs = await waitForJournal(unmoderated.dataDir);
await waitForDrain(unmoderated.messagingEndpoint, 'audit', 600_000);
await stop(unmoderated.server);

let withoutJournal: { after: Measured; queue: QueueMeasured } | undefined;
if (WITHOUT_JOURNAL_TOO) {
  const direct = await startProject(undefined, false);
  const directAfter = await closedLoop(direct.server, `${direct.base}/${AFTER_COMMAND}`, AFTER_COMMAND);
  await waitForDrain(direct.messagingEndpoint, 'audit', 600_000);
  const directQueue = await openLoop(direct.server, `${direct.base}/${AFTER_COMMAND}`, AFTER_COMMAND);
  await waitForDrain(direct.messagingEndpoint, 'audit', 600_000);
  await stop(direct.server);
  withoutJournal = { after: directAfter, queue: directQueue };
}

const moderated = await startProject(POLICY_FILE);
const bareBeforePolicy = await measureBare();
const beforePolicy = await closedLoop(moderated.server, `${moderated.base}/${BEFORE_COMMAND}`, BEFORE_COMMAND);
// The blocked messages' events go to the review queue: the bare server is measured once they are handled.
await waitForJournal(moderated.dataDir);
await waitForDrain(moderated.messagingEndpoint, 'review', 600_000);
const bareAfterPolicy = await measureBare();
await stop(moderated.server);
await stop(bareServer);

const baselines = {
  beforeNoPolicy: baselineOf(bareFirst, bareBetween),
  after: baselineOf(bareBetween, bareAfterDrain),
  beforePolicy: baselineOf(bareBeforePolicy, bareAfterPolicy),
};

const number = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));
const percent = (share: number | undefined) => (share === undefined ? '' : `${(share * 100).toFixed(0)}%`);
const row = (name: string, result: Measured, baseline?: Baseline) =>
  `${name.padEnd(26)}${number(result.perSecond).padStart(8)}${percent(baseline ? requestShare(result, baseline) : undefined).padStart(8)}` +
  `${number(result.p50Ms, 2).padStart(9)}${number(result.p99Ms, 2).padStart(9)}${number(result.meanMs, 2).padStart(9)}${number(result.eventLoopMicros).padStart(12)}` +
  `${percent(baseline ? cpuShare(result, baseline) : undefined).padStart(8)}${number(result.eventLoopBusy).padStart(7)}${number(result.loadGeneratorBusy).padStart(6)}` +
  `${String(result.completed).padStart(10)}${String(result.failed).padStart(8)}${result.loadAverage.toFixed(1).padStart(7)}\n`;
const bareRow = (run: number) => row(`bare node http (${run})`, bareRuns[run - 1]!);
/** Where the CPU went, % of a core: the pipeline behind the answers shares the machine with the event loop. */
const cpuLine = (cpu: CpuShares | undefined) => {
  if (!cpu) return '';
  const threads = Object.entries(cpu.threadsByName)
    .filter(([, share]) => share >= 0.5)
    .sort(([, a], [, b]) => b - a)
    .map(([name, share]) => `${name} ${number(share)}`);
  return (
    `; CPU, % of a core: event loop ${number(cpu.eventLoop)}, the server's other threads ${number(cpu.otherThreads)} (${threads.join(', ')}), ` +
    `its workers' process ${number(cpu.childProcesses)}, load generator ${number(cpu.loadGenerator)}, idle ${number(cpu.idle)}`
  );
};
const queueLine = (name: string, result: QueueMeasured) =>
  `${name}: ${result.sent} events, ${result.dropped} dropped, ${result.stalls} pushes waited over ${STALL_MS} ms for a slot (longest ${result.longestPushWaitMs.toFixed(1)} ms); ` +
  `the load generator pushed up to ${result.longestProducerLateMs.toFixed(1)} ms behind its schedule, ${result.stallsAfterProducerLate} of the stalls after a push over ${PRODUCER_LATE_MS} ms late` +
  `${cpuLine(result.cpu)}\n`;
const baselineLine = (name: string, baseline: Baseline) => {
  const [before, after] = baseline.bare;
  return (
    `${name}: against bare runs ${baseline.runs.join(' and ')} (${number(before.perSecond)} and ${number(after.perSecond)} requests/s, ` +
    `${number(before.eventLoopMicros)} and ${number(after.eventLoopMicros)} loop µs/req, p99 ${number(before.p99Ms, 2)} and ${number(after.p99Ms, 2)} ms)` +
    (setByGenerator(baseline)
      ? `; the load generator set the bare server's pace (${number(baseline.measured.loadGeneratorBusy)}% of its core, the bare event loop ${number(baseline.measured.eventLoopBusy)}% busy), ` +
        `so its requests/s fall short of what it can answer (and its p99 holds the generator's own delays): the throughput bar is judged by CPU per request`
      : '') +
    '\n'
  );
};

process.stdout.write(
  `\n${'phase'.padEnd(26)}${'req/s'.padStart(8)}${'of bare'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'mean ms'.padStart(9)}${'loop µs/req'.padStart(12)}${'by CPU'.padStart(8)}${'loop%'.padStart(7)}${'gen%'.padStart(6)}` +
    `${'answered'.padStart(10)}${'failed'.padStart(8)}${'load'.padStart(7)}\n` +
    bareRow(bareFirst) +
    row(`OpenIM's queue, bare`, bareQueue) +
    row('before, no policy', beforeNoPolicy, baselines.beforeNoPolicy) +
    bareRow(bareBetween) +
    row('after, durable', after, baselines.after) +
    bareRow(bareAfterDrain) +
    row(`OpenIM's queue, ${AFTER_RATE}/s`, queue) +
    (withoutJournal
      ? row('after, no journal', withoutJournal.after, baselines.after) + row(`OpenIM's queue, no journal`, withoutJournal.queue)
      : '') +
    bareRow(bareBeforePolicy) +
    row('before, 500 terms, 5% hit', beforePolicy, baselines.beforePolicy) +
    bareRow(bareAfterPolicy) +
    `mean ms: the mean latency; loop µs/req: the server's event loop (main thread) CPU per answered request; of bare, by CPU: requests/s and the bare server's loop µs/req over this one's, ` +
    `against the bare server's runs just before and after the phase (averaged); loop%, gen%: how busy the server's event loop and the load generator were, % of a core; ` +
    `load: the machine's 1-minute load average after the phase\n` +
    baselineLine('before, no policy', baselines.beforeNoPolicy) +
    baselineLine('after, durable', baselines.after) +
    baselineLine('before, 500 terms', baselines.beforePolicy) +
    queueLine(`OpenIM's queue, bare server`, bareQueue) +
    queueLine(`OpenIM's queue, this server`, queue) +
    `callback events ${EVENT_JOURNAL ? 'journaled, then forwarded' : 'published before each answer (BENCH_EVENT_JOURNAL=false)'}; ` +
    `forwarding went on ${(afterForwardedMs / 1000).toFixed(1)} s after the after phase (warm-up and measured) and ${(queueForwardedMs / 1000).toFixed(1)} s after OpenIM's queue\n` +
    (withoutJournal
      ? queueLine(`OpenIM's queue, no journal`, withoutJournal.queue)
      : ''),
);

const shareMeasure = (baseline: Baseline) =>
  setByGenerator(baseline) ? "of the bare server's capacity by event-loop CPU per request" : "of the bare server's requests/s";
const shareBar = (phase: string, result: Measured, baseline: Baseline, bar: number): [string, boolean] => {
  const share = shareOf(result, baseline);
  return [`${phase}: ${number(share * 100, 1)}% ${shareMeasure(baseline)} (bar: >= ${bar * 100}%)`, share >= bar];
};
const p99Bar = (phase: string, result: Measured, baseline: Baseline): [string, boolean] => {
  const ratio = p99Ratio(result, baseline);
  return [`${phase}: p99 ${number(ratio, 2)}x the bare server's (bar: <= ${BARS.beforeP99Ratio}x; ${p99Factors(result, baseline)})`, ratio <= BARS.beforeP99Ratio];
};
const bars: [string, boolean][] = [
  shareBar('before, no policy', beforeNoPolicy, baselines.beforeNoPolicy, BARS.beforeShare),
  p99Bar('before, no policy', beforeNoPolicy, baselines.beforeNoPolicy),
  shareBar('before, 500 terms, 5% blocked', beforePolicy, baselines.beforePolicy, BARS.beforeShare),
  p99Bar('before, 500 terms, 5% blocked', beforePolicy, baselines.beforePolicy),
  shareBar('after, durable', after, baselines.after, BARS.afterShare),
  [`OpenIM's queue at ${AFTER_RATE}/s: ${queue.dropped} dropped (bar: ${BARS.queueDropped})`, queue.dropped <= BARS.queueDropped],
  [
    `OpenIM's queue at ${AFTER_RATE}/s: ${queue.stalls} send-path stalls over ${STALL_MS} ms (bar: ${BARS.queueStalls}; the bare server's in this run: ${bareQueue.stalls})`,
    queue.stalls <= BARS.queueStalls,
  ],
];
process.stdout.write(`\n${bars.map(([text, held]) => `${held ? 'held  ' : 'MISSED'} ${text}`).join('\n')}\n`);

const failedPhases = [...bareRuns, bareQueue, beforeNoPolicy, beforePolicy, after, queue, ...(withoutJournal ? [withoutJournal.after, withoutJournal.queue] : [])].filter((result) => result.failed > 0).length;
if (failedPhases > 0) {
  // Speed depends on the machine; a wrong answer does not.
  process.stdout.write(`${failedPhases} phase(s) got failed or non-JSON answers\n`);
  process.exitCode = 1;
}

if (QUEUE_ROUNDS > 0) {
  // Alone, with no server running, so that the two sides differ by the SQLite writes and little else.
  const chatEvent = JSON.stringify({ eventType: AFTER_COMMAND, valid: true, payload: JSON.parse(sample(AFTER_COMMAND)) as unknown });
  const queueCost = await measureQueueDurabilityCost(QUEUE_ROUNDS, chatEvent);
  process.stdout.write(
    `durable queues on the stand-in alone (Publish fanned out to a queue, receive, delete; median of ${QUEUE_ROUNDS} rounds of 5,000 events): ` +
      `CPU ${queueCost.onDisk.cpuMsPerEvent.toFixed(3)} vs ${queueCost.inMemory.cpuMsPerEvent.toFixed(3)} ms per event in memory ` +
      `(+${(queueCost.onDisk.cpuMsPerEvent - queueCost.inMemory.cpuMsPerEvent).toFixed(3)}), Publish p50 ${queueCost.onDisk.publishP50Ms.toFixed(2)} vs ${queueCost.inMemory.publishP50Ms.toFixed(2)} ms\n`,
  );
}
