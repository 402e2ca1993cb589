/**
 * The longest event-loop stall while a large policy comes into force the way a callback instance
 * applies it: the stored body decoded and parsed, then compiled in time slices (ActivePolicy). The
 * callbacks answer between slices, so this stall is the longest any of them waits.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { compilePolicyDocument } from '#shared/moderation/compile-policy-document.ts';
import { parseModerationPolicy, StoredPolicyDocument } from '#shared/moderation/policy.ts';
import { TimeSlicer } from '#shared/moderation/time-slicer.ts';
import { decodePolicyBody, encodePolicyBody } from '#shared/store/policy-body.ts';
import { generatedTerms } from '../test/helpers/generated-terms.ts';

export interface CompileStall {
  readonly terms: number;
  readonly longestStallMs: number;
  readonly totalMs: number;
  readonly slices: number;
}

export async function measurePolicyCompileStall(termCount: number): Promise<CompileStall> {
  const body = encodePolicyBody(parseModerationPolicy({ blocked: generatedTerms(termCount) }));
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  const slicer = new TimeSlicer();
  stalls.enable();
  const started = performance.now();
  const document = StoredPolicyDocument.parse(decodePolicyBody(1, body.chunks, body));
  await compilePolicyDocument(document, 1, slicer);
  const totalMs = performance.now() - started;
  // One more turn, so that a stall at the very end is recorded too.
  await new Promise((resolve) => setTimeout(resolve, 10));
  stalls.disable();
  return { terms: termCount, longestStallMs: stalls.max / 1e6, totalMs, slices: slicer.yields + 1 };
}
