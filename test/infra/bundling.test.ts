/**
 * What CallbackFunction's bundling puts into a Lambda asset, read from a real synth (esbuild runs):
 * the settings that decide how long a cold start parses and compiles before the handler is ready.
 * bench:cold-start measures the time; these tests keep the settings from slipping back.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackFunction, SOURCE_MAPS_CONTEXT_KEY } from '../../infra/constructs/callback-function.ts';

interface SynthesizedFunction {
  readonly environment: Record<string, string>;
  /** The `sources` of the bundle's source map: every input file esbuild kept. */
  readonly sources: readonly string[];
  readonly map: Record<string, unknown>;
}

function callbackFunctionStack(context: Record<string, unknown>, outdir?: string): Stack {
  const app = new App({ context, ...(outdir ? { outdir } : {}) });
  const stack = new Stack(app, 'BundlingStack');
  new CallbackFunction(stack, 'AfterCallback', { entryName: 'after-callback', functionName: 'after-callback', serviceName: 'bundling-test' });
  return stack;
}

function environmentOf(stack: Stack): Record<string, string> {
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  return (fn!.Properties.Environment?.Variables ?? {}) as Record<string, string>;
}

describe('CallbackFunction bundling', () => {
  describe('by default', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'openim-hooks-bundling-'));
    let synthesized: SynthesizedFunction;

    beforeAll(() => {
      const stack = callbackFunctionStack({}, outdir);
      const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
      const assetHash = String((fn!.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
      const map = JSON.parse(readFileSync(join(outdir, `asset.${assetHash}`, 'index.mjs.map'), 'utf8')) as Record<string, unknown>;
      synthesized = { environment: environmentOf(stack), sources: map.sources as string[], map };
    }, 120_000);

    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('leaves NODE_OPTIONS unset, so no cold start reads and parses the source map', () => {
      expect(synthesized.environment.NODE_OPTIONS).toBeUndefined();
    });

    it('ships the source map with positions and names but without the sources', () => {
      expect(synthesized.map).toMatchObject({ version: 3, mappings: expect.any(String) });
      expect(synthesized.map.sourcesContent).toBeUndefined();
    });

    it("bundles only the parts of zod the code uses: of its ~50 locales, only the default English one", () => {
      const zod = synthesized.sources.filter((source) => source.includes('node_modules/zod/'));
      expect(zod.length).toBeGreaterThan(0);
      expect(zod.filter((source) => source.includes('/locales/'))).toEqual([expect.stringMatching(/\/locales\/en\.js$/)]);
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
