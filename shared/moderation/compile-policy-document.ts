/**
 * Compiles a policy document term by term, in time slices, collecting every term that cannot be used
 * instead of stopping at the first. The same walk serves both callers, so that what the operator API
 * accepts is exactly what the callbacks can compile:
 * - `validatePolicy` refuses a PUT when any problem is found;
 * - `ActivePolicy` compiles a stored document and drops the problem terms (logged and counted).
 * A term must pass its list's schema (`LIST_ITEMS`) and then the compiler's own check.
 */
import { PolicyCompiler, type CompiledPolicy } from './matcher.ts';
import { LIST_ITEMS, POLICY_LISTS, type ModerationPolicy, type PolicyDocument } from './policy.ts';
import { problemAt, problemsFromIssues, type PolicyProblem } from './policy-problem.ts';
import { TimeSlicer } from './time-slicer.ts';

export interface CompiledDocument {
  readonly compiled: CompiledPolicy;
  /** The document's usable terms, typed; the problem terms are left out. */
  readonly policy: ModerationPolicy;
  /** One per term left out, in list order. */
  readonly problems: readonly PolicyProblem[];
  /** Terms compiled. */
  readonly termCount: number;
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
  const policy: ModerationPolicy = { version, blocked: [], masked: [], flagged: [], allowed: [] };
  const problems: PolicyProblem[] = [];
  let termCount = 0;
  for (const list of POLICY_LISTS) {
    const items = document[list];
    const kept: unknown[] = policy[list];
    for (let index = 0; index < items.length; index++) {
      if (slicer.due()) {
        await slicer.yield();
        signal?.throwIfAborted();
      }
      const parsed = LIST_ITEMS[list].safeParse(items[index]);
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
  return { compiled: compiler.finish(), policy, problems, termCount };
}
