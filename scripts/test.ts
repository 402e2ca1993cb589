/**
 * `npm test`: the whole suite in parts, each run even when an earlier one failed, then a line per
 * part and the totals as "N passed, N failed". The parts:
 *   1. the browser the console's test drives, Debian's Chromium: installed when missing and this
 *      process may (root, apt-get), otherwise the run stops at once saying what to install;
 *   2. the type check;
 *   3. the tests;
 *   4. the CDK tests, after the others, so their long synchronous synths never compete with servers.
 * `npm test -- <vitest filters>` runs only the matching tests. With CI set, output has no colour.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';

interface PartResult {
  readonly name: string;
  readonly ok: boolean;
  readonly passed?: number;
  readonly failed?: number;
  readonly skipped?: number;
}

const colourless = process.env.CI ? { NO_COLOR: '1', FORCE_COLOR: '0' } : {};
const env = { ...process.env, ...colourless };
const filters = process.argv.slice(2);

ensureChromium();
const results: PartResult[] =
  filters.length > 0
    ? [vitest('tests', filters)]
    : [command('type check', 'tsc', ['--noEmit', '-p', '.']), vitest('tests', ['--exclude', 'test/infra/**']), vitest('CDK tests', ['test/infra'])];

const total = (key: 'passed' | 'failed' | 'skipped') => results.reduce((sum, part) => sum + (part[key] ?? 0), 0);
process.stdout.write('\nSummary\n');
for (const part of results) {
  const counts = part.passed === undefined ? '' : ` (${part.passed} passed, ${part.failed} failed${part.skipped ? `, ${part.skipped} skipped` : ''})`;
  process.stdout.write(`  ${part.ok ? 'ok    ' : 'FAILED'} ${part.name}${counts}\n`);
}
process.stdout.write(`tests: ${total('passed')} passed, ${total('failed')} failed${total('skipped') ? `, ${total('skipped')} skipped` : ''}\n`);
process.exitCode = results.every((part) => part.ok) ? 0 : 1;

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const mayInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (mayInstall) {
    process.stdout.write(`npm test: installing Debian's Chromium for the console's browser test\n`);
    const installed = spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium'], { stdio: 'inherit', env });
    if (installed.status === 0 && existsSync(CHROMIUM)) return;
  }
  process.stderr.write(`npm test: the console's browser test needs Debian's Chromium at ${CHROMIUM}: install it (sudo apt-get install chromium) and run npm test again\n`);
  process.exit(1);
}

function command(name: string, program: string, args: readonly string[]): PartResult {
  process.stdout.write(`\n== ${name}\n`);
  const run = spawnSync(program, args, { stdio: 'inherit', env });
  return { name, ok: run.status === 0 };
}

/** A vitest run whose counts come from its JSON report. */
function vitest(name: string, args: readonly string[]): PartResult {
  const reportDirectory = mkdtempSync(join(tmpdir(), 'openim-hooks-test-'));
  const report = join(reportDirectory, 'report.json');
  const part = command(name, 'vitest', ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const reportText = existsSync(report) ? readFileSync(report, 'utf8') : undefined;
  rmSync(reportDirectory, { recursive: true, force: true });
  if (reportText === undefined) return part;
  const counts = JSON.parse(reportText) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  // A run that executed no test has proved nothing.
  const executed = counts.numPassedTests + counts.numFailedTests > 0;
  return { ...part, ok: part.ok && executed, passed: counts.numPassedTests, failed: counts.numFailedTests, skipped: counts.numPendingTests + counts.numTodoTests };
}
