/**
 * Starts a server for a benchmark in a process of its own (the load runs in the benchmark's
 * process), with the V8 flags `npm start` uses, and waits for the line that says it is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopOnSignal } from './end-on-signal.ts';

const ROOT = join(import.meta.dirname, '..');

/**
 * The flags of `npm start` (package.json), given to every server alike: a larger young
 * generation, since with V8's default semi-space frequent scavenges showed up as tail latency.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

export interface ServerProcess {
  readonly child: ChildProcess;
  /** The first match of the readiness pattern. */
  readonly match: RegExpExecArray;
  /** What the server printed up to and including the readiness line. */
  readonly banner: string;
  /** Stops it with SIGTERM and waits for it to exit. */
  stop(): Promise<void>;
}

export async function startServerProcess(script: string, env: Record<string, string>, ready: RegExp): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  // A signal that ends the benchmark, even while this server starts, stops the server too instead of leaving it running.
  const withdraw = stopOnSignal(stop);
  let banner = '';
  const stdout = child.stdout!.setEncoding('utf8');
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (chunk: string) => {
      banner += chunk;
      const found = ready.exec(banner);
      if (!found) return;
      // From here on the output (EMF metric lines, mostly) is read and dropped: keeping and
      // searching it would cost this process, the load generator, CPU in proportion to it.
      stdout.off('data', onData).resume();
      resolve(found);
    };
    stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    child,
    match,
    banner,
    stop: () => {
      withdraw();
      return stop();
    },
  };
}
