/**
 * Validates a policy document sent to the operator API, completely and without holding the event loop:
 * the frame (known keys only, lists, version), the number of terms, then every term through its
 * schema and the compiler (in time slices: 100,000 terms take seconds of CPU; the compiled policy is
 * not kept, so memory stays small). Every problem is collected, so one 400 lists them all.
 */
import { InvalidPolicyError } from './errors.ts';
import { MAX_POLICY_TERMS, POLICY_LISTS, PolicyDocument, StoredPolicyDocument, type ModerationPolicy } from './policy.ts';
import { problemAt, problemsFromIssues } from './policy-problem.ts';
import type { TimeSlicer } from './time-slicer.ts';

export interface ValidatedPolicy {
  readonly policy: ModerationPolicy;
  /** The `version` the document carried (the one it was edited from), `undefined` when it had none. */
  readonly basedOn: number | undefined;
}

/** @throws InvalidPolicyError listing every problem found. */
export async function validatePolicy(json: unknown, slicer?: TimeSlicer): Promise<ValidatedPolicy> {
  const frame = PolicyDocument.safeParse(json);
  const problems = frame.success ? [] : problemsFromIssues(frame.error.issues, json);
  // With only unknown keys wrong, the terms are still checked, so the one reply lists everything.
  const document = frame.success ? frame.data : StoredPolicyDocument.safeParse(json).data;
  if (document === undefined) throw new InvalidPolicyError(problems);
  const termCount = POLICY_LISTS.reduce((sum, list) => sum + document[list].length, 0);
  if (termCount > MAX_POLICY_TERMS) {
    problems.push(problemAt([], json, `a policy holds at most ${MAX_POLICY_TERMS} terms; this one has ${termCount}`));
    throw new InvalidPolicyError(problems);
  }
  // The compiler (~50 KiB with its word forms) loads with the first policy written, not at every
  // cold start of the operator API, whose other routes never compile a policy.
  const { checkPolicyDocument } = await import('./compile-policy-document.ts');
  const checked = await checkPolicyDocument(document, slicer);
  problems.push(...checked.problems);
  if (problems.length > 0) throw new InvalidPolicyError(problems);
  return { policy: checked.policy, basedOn: document.version };
}
