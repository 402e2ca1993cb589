/**
 * Compiles a policy document term by term, in time slices, collecting every term that cannot be used
 * instead of stopping at the first. The same walk serves both callers, so that what the operator API
 * accepts is exactly what the callbacks can compile:
 * - `checkPolicyDocument` (for `validatePolicy`, which refuses a PUT when any problem is found);
 * - `compilePolicyDocument` (for `ActivePolicy`, which drops the problem terms, logged and counted).
 * A term must pass its list's schema (`listItemSchemas`) and then the compiler's own check.
 */
import { PolicyCompiler, type CompiledPolicy } from './matcher.ts';
import { listItemSchemas, POLICY_LISTS, type ModerationPolicy, type PolicyDocument } from './policy.ts';
import { problemAt, problemsFromIssues, type PolicyProblem } from './policy-problem.ts';
import { TimeSlicer } from './time-slicer.ts';

export interface CheckedDocument {
  /** The document's usable terms, typed; the problem terms are left out. */
  readonly policy: ModerationPolicy;
  /** One per term left out, in list order. */
  readonly problems: readonly PolicyProblem[];
  /** Usable terms. */
  readonly termCount: number;
}

export interface CompiledDocument extends CheckedDocument {
  readonly compiled: CompiledPolicy;
}

/**
 * @param signal stops a compile that a newer version has made pointless, at its next yield (it then
 * rejects with the signal's reason).
 */
export async function compilePolicyDocument(
  document: PolicyDocument,
  version: number,
  slicer: TimeSlicer = new TimeSlicer(),
  signal?: AbortSignal,
): Promise<CompiledDocument> {
  const compiler = new PolicyCompiler(version);
  const checked = await walkTerms(document, version, slicer, () => compiler, signal);
  return { ...checked, compiled: compiler.finish() };
}

/**
 * The same verdicts without keeping the compiled policy: a fresh compiler per slice (a term's verdict
 * does not depend on the other terms), so memory holds one slice's terms, not 100,000.
 */
export function checkPolicyDocument(document: PolicyDocument, slicer: TimeSlicer = new TimeSlicer()): Promise<CheckedDocument> {
  const version = document.version ?? 0;
  return walkTerms(document, version, slicer, () => new PolicyCompiler(version));
}

async function walkTerms(
  document: PolicyDocument,
  version: number,
  slicer: TimeSlicer,
  compilerForSlice: () => PolicyCompiler,
  signal?: AbortSignal,
): Promise<CheckedDocument> {
  let compiler = compilerForSlice();
  const policy: ModerationPolicy = { version, blocked: [], masked: [], flagged: [], allowed: [] };
  const problems: PolicyProblem[] = [];
  let termCount = 0;
  const itemSchemas = listItemSchemas();
  for (const list of POLICY_LISTS) {
    const items = document[list];
    const kept: unknown[] = policy[list];
    for (let index = 0; index < items.length; index++) {
      if (slicer.due()) {
        await slicer.yield();
        signal?.throwIfAborted();
        compiler = compilerForSlice();
      }
      const parsed = itemSchemas[list].safeParse(items[index]);
      if (!parsed.success) {
        problems.push(...problemsFromIssues(parsed.error.issues, document, [list, index]));
        continue;
      }
      const refusal = compiler.add(parsed.data, list);
      if (refusal !== undefined) {
        problems.push(problemAt([list, index], document, refusal));
        continue;
      }
      kept.push(parsed.data);
      termCount += 1;
    }
  }
  return { policy, problems, termCount };
}
