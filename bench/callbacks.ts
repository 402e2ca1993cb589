/**
 * `npm run bench:callbacks`: this project's local server against a bare Node `http` server that
 * only parses the body and answers "continue", side by side in one run, under OpenIM-shaped load
 * (bench/openim-load.ts). Each server runs in its own process; the load runs in this one.
 * Options (env): BENCH_SECONDS (10), BENCH_CONCURRENCY (32), BENCH_AFTER_RATE (1000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { runAfter, runBefore, type LoadResult } from './openim-load.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const AFTER_RATE = Number(process.env.BENCH_AFTER_RATE ?? 1000);
const SECRET = 'bench-callback-secret-0123456789';
const ROOT = join(import.meta.dirname, '..');

const sample = (command: string) => readFileSync(join(ROOT, 'events', `${command}.json`), 'utf8');
const BEFORE_COMMAND = 'callbackBeforeSendGroupMsgCommand';
const AFTER_COMMAND = 'callbackAfterSendGroupMsgCommand';

interface Started {
  readonly base: string;
  readonly child: ChildProcess;
}

async function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = ready.exec(output);
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  child.stdout!.resume();
  return { child, match };
}

async function startBare(): Promise<Started> {
  const { child, match } = await startProcess(['bench/bare-server.ts'], {}, /listening (\d+)/);
  return { base: `http://127.0.0.1:${match[1]}/openim/${SECRET}`, child };
}

async function startProject(): Promise<Started> {
  const { child, match } = await startProcess(
    ['local/start.ts'],
    { PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-')), CALLBACK_SECRET: SECRET, API_TOKEN: 'bench-api-token-0123456789', POWERTOOLS_LOG_LEVEL: 'WARN' },
    /Webhook base URL: (\S+)/,
  );
  return { base: match[1]!, child };
}

async function measure(name: string, server: Started) {
  const before = await runBefore({ url: `${server.base}/${BEFORE_COMMAND}`, body: sample(BEFORE_COMMAND) }, CONCURRENCY, SECONDS);
  const after = await runAfter({ url: `${server.base}/${AFTER_COMMAND}`, body: sample(AFTER_COMMAND) }, AFTER_RATE, SECONDS);
  server.child.kill('SIGTERM');
  return { name, before, after };
}

const row = (name: string, kind: string, r: LoadResult) =>
  `${name.padEnd(16)} ${kind.padEnd(7)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(2).padStart(8)} ${r.p99Ms.toFixed(2).padStart(8)} ${String(r.completed).padStart(9)} ${String(r.dropped).padStart(7)} ${String(r.failed).padStart(6)}`;

process.stdout.write(`bench:callbacks — ${SECONDS}s per phase; before: ${CONCURRENCY} in flight; after: ${AFTER_RATE}/s into a 2-worker, 100-slot queue (3 s push wait)\n`);
const bare = await measure('bare node http', await startBare());
const project = await measure('openim-hooks', await startProject());

process.stdout.write(`\n${'server'.padEnd(16)} ${'phase'.padEnd(7)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'completed'.padStart(9)} ${'dropped'.padStart(7)} ${'failed'.padStart(6)}\n`);
for (const result of [bare, project]) {
  process.stdout.write(`${row(result.name, 'before', result.before)}\n${row(result.name, 'after', result.after)}\n`);
}
const throughputRatio = project.before.perSecond / bare.before.perSecond;
const p99Ratio = project.before.p99Ms / bare.before.p99Ms;
process.stdout.write(
  [
    '',
    `before: openim-hooks reaches ${(throughputRatio * 100).toFixed(1)}% of the bare server's throughput (bar: >= 60%), p99 ${p99Ratio.toFixed(2)}x (bar: <= 2x)`,
    `after:  openim-hooks dropped ${project.after.dropped} of ${project.after.sent} at ${AFTER_RATE}/s (bar: 0); bare dropped ${bare.after.dropped}`,
    '',
  ].join('\n'),
);
