/**
 * `npm run doctor -- <webhooks.yml | OpenIM config directory> [--server <origin>] [--env-file <file>] [--openim main|v3.8.3]`
 * Reads OpenIM's webhook settings as OpenIM will (the file, then `IMENV_WEBHOOKS_*` from this
 * environment and --env-file), posts the self-test to the configured URL (--server swaps in another
 * origin, for a URL that only resolves inside OpenIM's containers), and prints every problem with
 * its fix. Exits 1 when any problem is an error.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { SELF_TEST_COMMAND, type SelfTestReport } from '#shared/callbacks/self-test.ts';
import { diagnoseWebhooksConfig, type OpenimTarget, type Problem, type SelfTestOutcome } from '#shared/openim/webhooks-doctor.ts';
import { reportFailure } from '../local/failure-line.ts';

const SELF_TEST_TIMEOUT_MS = 5_000;

class UsageError extends Error {}
const ICONS = { error: '✖', warning: '!', note: '·' } as const;

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { server: { type: 'string' }, 'env-file': { type: 'string' }, openim: { type: 'string' } },
  });
  const file = locateConfig(positionals[0]);
  const config: unknown = parse(readFileSync(file, 'utf8'));
  const environment = { ...webhookVariables(process.env), ...(values['env-file'] ? readEnvFile(values['env-file']) : {}) };
  const targets = (values.openim ? [values.openim] : ['main', 'v3.8.3']) as OpenimTarget[];
  if (targets.some((target) => target !== 'main' && target !== 'v3.8.3')) throw new UsageError('--openim takes main or v3.8.3');
  const url = environment.IMENV_WEBHOOKS_URL ?? urlOf(config);
  const selfTest = url ? await runSelfTest(url, values.server) : ({ kind: 'unreachable', reason: 'no url' } as const);
  const problems = diagnoseWebhooksConfig({ config, environment, selfTest, targets });
  process.stdout.write(report(file, selfTest, problems));
  process.exitCode = problems.some((problem) => problem.severity === 'error') ? 1 : 0;
} catch (error) {
  // A usage mistake says so itself; anything else gets failure-line's one line (stack with DEBUG=1).
  if (error instanceof UsageError) process.stderr.write(`doctor: ${error.message}\n`);
  else reportFailure('doctor', error);
  process.exitCode = 2;
}

function locateConfig(path: string | undefined): string {
  if (!path) throw new UsageError('usage: npm run doctor -- <webhooks.yml | OpenIM config directory> [--server <origin>] [--env-file <file>] [--openim main|v3.8.3]');
  if (!existsSync(path)) throw new UsageError(`${path} does not exist`);
  if (!statSync(path).isDirectory()) return path;
  // v3.7 and later: config/webhooks.yml; before that, a `callback:` section of config.yaml.
  const candidate = ['webhooks.yml', 'webhooks.yaml', 'config.yaml', 'config.yml'].map((name) => join(path, name)).find((file) => existsSync(file));
  if (!candidate) throw new UsageError(`${path} has no webhooks.yml (nor a config.yaml)`);
  return candidate;
}

function urlOf(config: unknown): string | undefined {
  const url = (config as { url?: unknown } | null)?.url;
  return typeof url === 'string' ? url : undefined;
}

function webhookVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('IMENV_WEBHOOKS_') && entry[1] !== undefined));
}

/** docker compose's `.env` syntax: KEY=VALUE lines, # comments, optional quotes. */
function readEnvFile(path: string): Record<string, string> {
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => [match[1]!, match[2]!.replace(/^(['"])(.*)\1$/, '$2')] as const);
  return webhookVariables(Object.fromEntries(entries));
}

async function runSelfTest(url: string, server: string | undefined): Promise<SelfTestOutcome> {
  let target: URL;
  try {
    target = new URL(`${url.replace(/\/+$/, '')}/${SELF_TEST_COMMAND}`);
    if (server) {
      const origin = new URL(server);
      target.protocol = origin.protocol;
      target.host = origin.host;
    }
  } catch {
    return { kind: 'unreachable', reason: `${url} is not a URL` };
  }
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', operationID: 'openim-hooks-doctor' },
      body: '{}',
      signal: AbortSignal.timeout(SELF_TEST_TIMEOUT_MS),
    });
    const text = await response.text();
    const body = safeJson(text) as { selfTest?: SelfTestReport; error?: string } | undefined;
    if (body?.selfTest?.service === 'openim-hooks') {
      const { beforeBudgetMs, pushBudgetMs, decides } = body.selfTest;
      return { kind: 'answered', budgets: { beforeBudgetMs, pushBudgetMs }, decides };
    }
    if (response.status === 404 && body?.error === 'not found') return { kind: 'wrongSecret' };
    return { kind: 'notThisService', status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'unreachable', reason: `${target.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function report(file: string, selfTest: SelfTestOutcome, problems: readonly Problem[]): string {
  const lines = [`Checked ${file}`];
  if (selfTest.kind === 'answered') {
    lines.push(`Self-test: openim-hooks answered (budgets ${selfTest.budgets.beforeBudgetMs} ms, push ${selfTest.budgets.pushBudgetMs} ms; decides ${selfTest.decides.join(', ')})`);
  }
  for (const severity of ['error', 'warning', 'note'] as const) {
    for (const problem of problems.filter((p) => p.severity === severity)) {
      lines.push(`${ICONS[severity]} ${severity} ${problem.where}: ${problem.problem}`, `    fix: ${problem.fix}`);
    }
  }
  const count = (severity: Problem['severity']) => problems.filter((p) => p.severity === severity).length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${count('note')} note(s)`);
  return `${lines.join('\n')}\n`;
}
