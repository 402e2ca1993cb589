/**
 * `npm run bench:cold-start`: how long each synthesized Lambda bundle takes to initialise, against a
 * minimal bundle (a handler that returns a constant) built with the same bundling settings
 * (lambdaBundling) and environment. Each sample is a fresh Node process, started with exactly the
 * function's template environment (NODE_OPTIONS included) plus what Lambda's runtime sets (its
 * role's credentials included), that imports the bundle as Lambda's Node runtime does (RUNTIME_MODEL)
 * and reports:
 *   - ready: ms from the process's start until the runtime would ask for the first event, which is
 *     when Lambda's init ends (what the issue measures);
 *   - import: ms from the bundle's import until then;
 *   - CPU: ms the main thread ran, which a busy machine inflates less than wall time;
 *   - bare: ready in a process that only imports the bundle, as this bench measured until
 *     2026-12-04 (the figures in docs/benchmarks-history.md up to then).
 * Samples are taken round-robin over all bundles, so load that comes and goes hits each alike;
 * medians are printed with the ratio to the minimal bundle, and the before- and after-callback
 * bundles are marked against the bar (ready within 2x the minimal bundle's). A second reference, the
 * minimal handler that also starts one HTTPS request at init (cold-start-store-read-handler.ts), says
 * how much of the before-callback's ratio is its policy read's warm-up. `KiB` is the JavaScript a
 * cold start reads (index.mjs and the chunks it imports statically), `lazy KiB` the chunks it does not.
 * It synthesizes the app into a temporary directory unless given an existing assembly.
 * Options (env): BENCH_COLD_START_RUNS (15), BENCH_COLD_START_ASSEMBLY (a `cdk synth` output
 * directory, e.g. cdk.out; the references are still built), BENCH_COLD_START_SOURCE_MAPS
 * (`true`: synthesize with `-c sourceMaps=true`).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { execFile } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { lambdaBundling, REPO_ROOT, SOURCE_MAPS_CONTEXT_KEY } from '../infra/constructs/callback-function.ts';
import { filesReadAtStart } from '../infra/constructs/split-bundle.ts';
import { CloudAssembly } from '../test/infra/artifacts/cloud-assembly.ts';
import { deployedFunctions, lambdaEnvironment, type DeployedFunction } from '../test/infra/artifacts/deployed-functions.ts';
import { synthesize } from '../test/infra/artifacts/synthesize.ts';
import { scratchDirectory } from './scratch-directory.ts';

const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 15);
const GIVEN_ASSEMBLY = process.env.BENCH_COLD_START_ASSEMBLY;
const CONTEXT: Record<string, string> = process.env.BENCH_COLD_START_SOURCE_MAPS === 'true' ? { [SOURCE_MAPS_CONTEXT_KEY]: 'true' } : {};
/** The bar applies to these; every other function is reported alongside. */
const CALLBACKS = ['before-callback', 'after-callback'];
const BAR_RATIO = 2;
const MINIMAL = 'minimal bundle';
/** The minimal handler that also starts one HTTPS request at init: what a policy read at init costs any function. */
const MINIMAL_STORE_READ = 'minimal + HTTPS at init';

const run = promisify(execFile);

/** Lambda hands every function its role's credentials in the environment. */
const ROLE_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_SESSION_TOKEN: 'example' };

/**
 * What Lambda's Node runtime has loaded when it imports a handler, and when its init ends, as AWS's
 * published Node runtime interface client does it (aws-lambda-ric 3.3.0,
 * aws/aws-lambda-nodejs-runtime-interface-client, src/; the managed runtime's own code is not
 * published, so this is the model): its Runtime API client requires
 * node:http and makes a keep-alive Agent (RAPIDClient.js), its response stream requires node:net
 * (ResponseStream.js), its loader node:fs and node:path (UserFunction.js), its console patch
 * node:util (LogPatch.js), all with CommonJS `require`; it imports an .mjs handler with `import()`
 * (UserFunction.js) and then asks for the first event in a `setImmediate` (Runtime.js,
 * scheduleIteration), so what the import leaves queued before that runs within init.
 */
const RUNTIME_MODEL = `
const require = (await import('node:module')).createRequire(process.cwd() + '/');
const http = require('node:http');
new http.Agent({ keepAlive: true, maxSockets: 1 });
for (const name of ['node:net', 'node:fs', 'node:path', 'node:util']) require(name);
`;

/**
 * Imports the bundle named by argv[1] and prints when it was ready, measured inside the process:
 * as Lambda's runtime would (argv[2] = 'runtime') or in a process that only imports it ('bare').
 */
const IMPORTER = `
const asLambda = process.argv[2] === 'runtime';
if (asLambda) {${RUNTIME_MODEL}}
const started = performance.now();
await import(process.argv[1]);
if (asLambda) await new Promise((resolve) => setImmediate(resolve));
const ready = performance.now();
const cpu = process.threadCpuUsage();
// Exits once reported: work a bundle starts at import (the before-callback's policy read) would reach for AWS.
process.stdout.write(JSON.stringify({ ready, import: ready - started, cpu: (cpu.user + cpu.system) / 1000 }), () => process.exit(0));
`;

interface Sample {
  readonly ready: number;
  readonly import: number;
  readonly cpu: number;
}

interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly environment: Record<string, string>;
}

/** 'runtime': imported as Lambda's Node runtime imports it (the bar); 'bare': by a process that does nothing else. */
const MODELS = ['runtime', 'bare'] as const;
type Model = (typeof MODELS)[number];
const key = (name: string, model: Model) => `${model}:${name}`;

async function sample(bundle: Bundle, model: Model): Promise<Sample> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORTER, pathToFileURL(bundle.file).href, model], {
    env: bundle.environment,
    cwd: join(bundle.file, '..'),
  });
  return JSON.parse(stdout) as Sample;
}

/**
 * Secrets the functions read one JSON key of (`{{resolve:secretsmanager:<id>:SecretString:<key>::}}`)
 * get a stand-in JSON value with those keys, as the secrets an operator creates would have.
 */
function giveSecretsTheirKeys(assembly: CloudAssembly): void {
  const keys = new Map<string, Set<string>>();
  for (const { resource } of assembly.resourcesOfType('AWS::Lambda::Function')) {
    const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    for (const value of Object.values(variables)) {
      for (const [, id, key] of JSON.stringify(value).matchAll(/\{\{resolve:secretsmanager:(.+?):SecretString:([^:}]+)/g)) {
        keys.set(id!, (keys.get(id!) ?? new Set()).add(key!));
      }
    }
  }
  for (const [id, names] of keys) assembly.setSecretValue(id, JSON.stringify(Object.fromEntries([...names].map((name) => [name, 'stand-in']))));
}

/**
 * The references, synthesized through NodejsFunction with the app's bundling settings: a handler that
 * returns a constant, and the same with one HTTPS request started at init.
 */
function synthesizeReferences(outdir: string): { readonly minimal: DeployedFunction; readonly storeRead: DeployedFunction } {
  const app = new App({ outdir: join(outdir, 'assembly') });
  const stack = new Stack(app, 'ColdStartReferences');
  for (const [id, file] of [['Minimal', 'cold-start-minimal-handler.ts'], ['StoreRead', 'cold-start-store-read-handler.ts']] as const) {
    const entry = `${REPO_ROOT}bench/${file}`;
    new NodejsFunction(stack, id, {
      entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      bundling: lambdaBundling(entry),
    });
  }
  app.synth();
  const synthesizedFunctions = deployedFunctions(new CloudAssembly(join(outdir, 'assembly')));
  const named = (id: string) => synthesizedFunctions.find((fn) => fn.logicalId.startsWith(id))!;
  return { minimal: named('Minimal'), storeRead: named('StoreRead') };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const kib = (bytes: number) => String(Math.round(bytes / 1024));

/** The bundle's JavaScript: what a cold start reads (the entry and the chunks it imports statically) and the rest. */
function bundleBytes(entry: string): { readonly atStart: number; readonly lazy: number } {
  const directory = dirname(entry);
  const all = readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs') && !file.startsWith('node_modules'));
  const size = (files: Iterable<string>) => [...files].reduce((sum, file) => sum + statSync(file).size, 0);
  const atStart = size(filesReadAtStart(entry));
  return { atStart, lazy: size(all.map((file) => join(directory, file))) - atStart };
}
const shortName = (functionName: string) => functionName.replace(/^openim-hooks-[a-z]+-/, '');

const scratch = scratchDirectory('openim-hooks-cold-start-');
const synthesized = GIVEN_ASSEMBLY ? undefined : await synthesize(CONTEXT);
try {
  // Absolute, since each sample runs in its bundle's directory (LAMBDA_TASK_ROOT is derived from the path).
  const assembly = synthesized ?? new CloudAssembly(resolve(GIVEN_ASSEMBLY!));
  giveSecretsTheirKeys(assembly);
  const functions = deployedFunctions(assembly);
  const { minimal, storeRead } = synthesizeReferences(scratch);
  // A given assembly may have been synthesized with other NODE_OPTIONS: the references run with the app's.
  const { NODE_OPTIONS } = functions.find((fn) => shortName(fn.functionName) === CALLBACKS[0])!.environment;
  const bundles: Bundle[] = [
    ...[
      { name: MINIMAL, fn: minimal },
      { name: MINIMAL_STORE_READ, fn: storeRead },
    ].map(({ name, fn }) => ({ name, file: fn.file, environment: { ...lambdaEnvironment(fn), ...ROLE_CREDENTIALS, ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}) } })),
    ...functions.map((fn) => ({ name: shortName(fn.functionName), file: fn.file, environment: { ...lambdaEnvironment(fn), ...ROLE_CREDENTIALS } })),
  ];

  const samples = new Map<string, Sample[]>(bundles.flatMap((bundle) => MODELS.map((model) => [key(bundle.name, model), []])));
  const loadBefore = loadavg()[0]!;
  for (let round = 0; round < RUNS; round++) {
    // One at a time: concurrent imports would measure the machine, not the bundle.
    for (const bundle of bundles) for (const model of MODELS) samples.get(key(bundle.name, model))!.push(await sample(bundle, model));
  }
  const loadAfter = loadavg()[0]!;

  const medianOf = (name: string, field: keyof Sample, model: Model = 'runtime') => median(samples.get(key(name, model))!.map((s) => s[field]));
  const base = (field: keyof Sample, model: Model = 'runtime') => medianOf(MINIMAL, field, model);
  console.log(`Cold start: median of ${RUNS} fresh Node ${process.versions.node} processes per bundle and model, template environment (NODE_OPTIONS ${NODE_OPTIONS ?? 'unset'})`);
  console.log(`load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)} on ${cpus().length} cores: a busy machine inflates every figure, ratios less than times`);
  console.log("ready, import and CPU as Lambda's Node runtime imports a handler; bare: a process that only imports it");
  console.log(
    `${'bundle'.padEnd(26)}${'KiB'.padStart(7)}${'lazy KiB'.padStart(10)}${'map KiB'.padStart(9)}${'ready ms'.padStart(10)}${'import ms'.padStart(11)}${'CPU ms'.padStart(9)}` +
      `${'ready x'.padStart(9)}${'CPU x'.padStart(7)}${'bare ms'.padStart(9)}${'bare x'.padStart(8)}  bar`,
  );
  for (const bundle of bundles) {
    const of = (field: keyof Sample, model: Model = 'runtime') => medianOf(bundle.name, field, model);
    const ratio = of('ready') / base('ready');
    const bytes = bundleBytes(bundle.file);
    const bar = CALLBACKS.includes(bundle.name) ? (ratio <= BAR_RATIO ? `met (<= ${BAR_RATIO}x)` : `NOT met (> ${BAR_RATIO}x)`) : '';
    console.log(
      `${bundle.name.padEnd(26)}${kib(bytes.atStart).padStart(7)}${kib(bytes.lazy).padStart(10)}${kib(statSync(`${bundle.file}.map`).size).padStart(9)}` +
        `${of('ready').toFixed(0).padStart(10)}${of('import').toFixed(0).padStart(11)}${of('cpu').toFixed(0).padStart(9)}` +
        `${ratio.toFixed(2).padStart(9)}${(of('cpu') / base('cpu')).toFixed(2).padStart(7)}` +
        `${of('ready', 'bare').toFixed(0).padStart(9)}${(of('ready', 'bare') / base('ready', 'bare')).toFixed(2).padStart(8)}  ${bar}`,
    );
  }
  // The bar stays against the minimal bundle; this says how much of the before-callback's ratio is its policy read's warm-up.
  const readyOverStoreRead = medianOf(CALLBACKS[0]!, 'ready') / medianOf(MINIMAL_STORE_READ, 'ready');
  console.log(`${CALLBACKS[0]} ready ${readyOverStoreRead.toFixed(2)}x the ${MINIMAL_STORE_READ} reference (its policy read starts the same request at init)`);
} finally {
  if (synthesized) rmSync(synthesized.directory, { recursive: true, force: true });
}
