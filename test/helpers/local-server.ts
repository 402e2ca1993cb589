/**
 * Starts the real local server (`local/start.ts`, what `npm start` runs) in a child process on a
 * free port with its own DATA_DIR, and collects its output so tests can read the log lines.
 * On request the child leads a process group of its own (the server and its workers' process),
 * so that a test can signal the group as a terminal's Ctrl-C does, or kill all of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface RunningServer {
  readonly url: string;
  readonly webhookBase: string;
  readonly apiToken: string;
  readonly messagingEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly chatEventsTopicArn: string;
  readonly dataDir: string;
  /** What was started: `node` running local/start.ts, or `npm start` (npm, whose script execs the server's Node). */
  readonly process: ChildProcess;
  /** The server's own pid, read from the DATA_DIR lock it holds. */
  readonly serverPid: number;
  /** Every stdout line so far. */
  readonly output: string[];
  /** The structured (JSON) log lines so far. */
  logLines(): Record<string, unknown>[];
  /** The pids of the workers' processes started so far, oldest first (their "ready" log lines). */
  workerPids(): number[];
  /** Signals every process of its group (the server, its workers, npm's when started through npm); needs `processGroup`. */
  signalGroup(signal: NodeJS.Signals): void;
  /** Resolves with the exit code of what was started once it has exited. */
  readonly exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** `npm` runs `npm start` as a user would. @default 'node' */
  readonly launcher?: 'node' | 'npm';
  /**
   * A process group of its own, for signalGroup. Off by default: such a group outlives a test
   * run that is itself killed, where the test runner's group would have taken the server along.
   */
  readonly processGroup?: boolean;
}

export const TEST_SECRET = 'test-callback-secret-0123456789';
export const TEST_API_TOKEN = 'test-api-token-0123456789abcdef';

/** `env` overrides the test defaults; a value of `undefined` removes the variable. */
export async function startLocalServer(env: Record<string, string | undefined> = {}, options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'openim-hooks-'));
  const [command, args] = options.launcher === 'npm' ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'local/start.ts']];
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: options.processGroup ?? false,
    env: definedOnly({
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CALLBACK_SECRET: TEST_SECRET,
      API_TOKEN: TEST_API_TOKEN,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      // The tests read the JSON log lines from the output, not from DATA_DIR's log file.
      LOG_FILE: '-',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const errors: string[] = [];
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    output.push(...lines);
  });
  let pendingError = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errors.push(chunk);
    // Powertools writes warnings and errors to stderr; keep its JSON lines with the rest.
    const lines = (pendingError + chunk).split('\n');
    pendingError = lines.pop() ?? '';
    output.push(...lines.filter((line) => line.startsWith('{')));
  });

  const banner = await waitFor(output, child, errors, (lines) => lines.some((line) => line.startsWith('--- webhooks.yml')));
  const find = (prefix: string) => banner.find((line) => line.startsWith(prefix))?.slice(prefix.length).trim() ?? '';
  const messagingLine = find('Embedded SQS/SNS (fauxqs):');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logLines = () => output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    url: find('openim-hooks listening on'),
    webhookBase: find('Webhook base URL:'),
    apiToken: find('Operator API:').match(/Bearer (\S+)\)/)?.[1] ?? '',
    messagingEndpoint: messagingLine.split(/\s+/)[0] ?? '',
    dynamodbEndpoint: find('Embedded DynamoDB (dynalite):'),
    chatEventsTopicArn: messagingLine.split('chat-events topic:')[1]?.trim() ?? '',
    dataDir,
    process: child,
    serverPid: Number(readFileSync(join(dataDir, 'server.pid'), 'utf8')),
    output,
    logLines,
    workerPids: () => logLines().filter((line) => line.message === "workers' process ready").map((line) => Number(line.pid)),
    signalGroup: (signal) => {
      if (!options.processGroup) throw new Error('signalGroup needs a server started with { processGroup: true }');
      process.kill(-child.pid!, signal);
    },
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function waitFor(
  output: string[],
  child: ChildProcess,
  errors: string[],
  ready: (lines: string[]) => boolean,
  // Generous: a loaded 2-core machine has taken over 20 s to start the stand-ins and both processes.
  timeoutMs = 60_000,
): Promise<string[]> {
  const started = Date.now();
  while (!ready(output)) {
    if (child.exitCode !== null) throw new Error(`local server exited with ${child.exitCode}: ${errors.join('')}`);
    if (Date.now() - started > timeoutMs) throw new Error(`local server not ready after ${timeoutMs} ms: ${errors.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return [...output];
}
