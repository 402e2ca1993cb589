/**
 * Synthesizes the whole app, bundles included, into a fresh directory the way the CDK CLI does:
 * it runs the app's entry (infra/app.ts) in a process of its own with CDK_OUTDIR and
 * CDK_CONTEXT_JSON (cdk.json's context with `-c key=value` over it, as the CLI sets it). A process of its own also keeps the
 * minutes of bundling off the test worker's event loop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cdkJsonContext } from '../cdk-json-context.ts';
import { CloudAssembly } from './cloud-assembly.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export async function synthesize(context: Record<string, string> = {}): Promise<CloudAssembly> {
  const outdir = mkdtempSync(join(tmpdir(), 'openim-hooks-assembly-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), ...context }) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => errors.push(chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`synth with ${JSON.stringify(context)} exited with ${code}: ${errors.join('').slice(-4000)}`);
  return new CloudAssembly(outdir);
}
