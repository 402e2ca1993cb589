/**
 * The moderation policy document, as stored in the policy table and posted to the operator API.
 *
 * Lists accept `null` as well as a missing key (both become `[]`), so a policy written by a Go or
 * hand-rolled client loads. Unknown keys are refused at every level: a typo (`"bloked"`) must not
 * save an empty policy. Regular-expression terms are compiled here so a bad pattern is rejected
 * when the policy is saved, not on the first message. Whether each term can be matched at all is
 * the compiler's to say (`validate-policy.ts`).
 */
import * as z from 'zod/mini';
import '#shared/config/zod-english.ts';
import { InvalidPolicyError } from '#shared/moderation/errors.ts';
import { problemsFromIssues } from '#shared/moderation/policy-problem.ts';
import { regexTermRefusal } from '#shared/moderation/regex-term.ts';
import { lazySchema } from '#shared/validation/lazy-schema.ts';

/** Longer terms are not words; the bound also keeps the matcher's per-term recursion shallow. */
export const MAX_TERM_LENGTH = 256;

/** Terms in all four lists together; a larger list is a data set, not a policy. */
export const MAX_POLICY_TERMS = 100_000;

/**
 * UTF-8 bytes of the policy's JSON: 100,000 terms of up to ~40 characters. Stored in chunks (the
 * store's 400 KB item limit), read and parsed whole by every callback instance on each change.
 */
export const MAX_POLICY_BYTES = 4 * 1024 * 1024;

/** The policy's lists, in the order they are compiled. */
export const POLICY_LISTS = ['blocked', 'masked', 'flagged', 'allowed'] as const;
export type PolicyList = (typeof POLICY_LISTS)[number];

const termText = (what: string) =>
  z.string().check(
    z.trim(),
    z.minLength(1, `${what} must not be empty`),
    z.maxLength(MAX_TERM_LENGTH, `${what} must be at most ${MAX_TERM_LENGTH} characters`),
  );

/** `schema`, or an empty list where the document leaves the list out or sets it to null. */
const emptyWhenAbsent = <T extends z.core.$ZodType<unknown[]>>(schema: T) =>
  z.pipe(
    z.nullish(schema),
    z.transform((value) => value ?? []),
  );

const list = <T extends z.core.$ZodType>(item: T) => emptyWhenAbsent(z.array(item));

function describeTermObjectIssues(issues: readonly z.core.$ZodIssue[] | undefined): string {
  const notAnObject = (issue: z.core.$ZodIssue) => issue.path.length === 0 && issue.code !== 'unrecognized_keys';
  if (issues === undefined || issues.length === 0 || issues.some(notAnObject)) {
    return 'a term must be a non-empty string or { term, regex?, groupIDs?, sessionTypes?, inflections? }';
  }
  // An unknown key (`regx`) is named by zod's own message; a field's issue gets its path.
  return issues.map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`)).join('; ');
}

/**
 * The policy's schemas, built together the first time one is used: the before-callback imports this
 * module at its start and needs them only once its policy store has answered (~65 zod schemas off
 * every cold start: docs/benchmarks.md "Built on first use"). Built together, each nests the others
 * themselves, not their lazy stand-ins, which would cost a proxy trap per term parsed.
 */
function buildPolicySchemas() {
  /**
   * A word, a phrase or (with `regex: true`) a regular expression. A plain string is a global word or
   * phrase. With `groupIDs` and/or `sessionTypes` the term applies only where every given list contains
   * the message's value.
   */
  const TermSpec = z.union(
    [
      termText('a term'),
      z
        .strictObject({
          term: termText('a term'),
          regex: z.optional(z.boolean()),
          groupIDs: z.optional(z.array(z.string())),
          sessionTypes: z.optional(z.array(z.int())),
          /** One-word English terms also match `-s`, `-es`, `-ed`, `-ing` and `-er` forms unless this is false. */
          inflections: z.optional(z.boolean()),
        })
        .check(
          z.superRefine((spec, ctx) => {
            if (spec.regex !== true) return;
            const refusal = regexTermRefusal(spec.term);
            if (refusal !== undefined) ctx.addIssue({ code: 'custom', path: ['term'], message: refusal });
          }),
        ),
    ],
    // A failed union says only "Invalid input"; for an object, say what was wrong inside it.
    { error: (issue) => (issue.code === 'invalid_union' ? describeTermObjectIssues(issue.errors[1]) : undefined) },
  );

  /** A word that never matches: a match inside one of them is dropped. */
  const AllowedWord = termText('an allowed word');

  /** The version a stored document has, or (in a PUT) the version the change was based on. */
  const version = z.int().check(z.nonnegative());

  const ModerationPolicy = z.strictObject({
    version: z._default(version, 0),
    /** The message is refused. */
    blocked: list(TermSpec),
    /** The message goes through with each match replaced by `*` (beforeMsgModify). */
    masked: list(TermSpec),
    /** The message goes through and is reported. */
    flagged: list(TermSpec),
    /** Words that never match: a match inside one of them is dropped. */
    allowed: list(AllowedWord),
  });

  // Not z.array(z.unknown()): that visits every item, 25 ms at once for 100,000 terms.
  const uncheckedList = emptyWhenAbsent(z.custom<unknown[]>((value) => Array.isArray(value), 'Invalid input: expected array'));

  /**
   * A policy document's frame: its keys, version and lists, with the terms still unchecked, so that
   * they can be checked one at a time (and a large policy without holding the event loop). `version`
   * stays `undefined` when absent: `0` is a real version.
   */
  const documentShape = {
    version: z.optional(version),
    blocked: uncheckedList,
    masked: uncheckedList,
    flagged: uncheckedList,
    allowed: uncheckedList,
  };
  return {
    TermSpec,
    AllowedWord,
    ModerationPolicy,
    PolicyDocument: z.strictObject(documentShape),
    StoredPolicyDocument: z.object(documentShape),
  };
}

let policySchemas: ReturnType<typeof buildPolicySchemas> | undefined;
const built = () => (policySchemas ??= buildPolicySchemas());

/** A word, a phrase or (with `regex: true`) a regular expression, global or for some groups or sessions. */
export const TermSpec = lazySchema(() => built().TermSpec);
export type TermSpec = z.infer<typeof TermSpec>;
/** A word that never matches. */
export const AllowedWord = lazySchema(() => built().AllowedWord);

/** What each list holds: the built schemas themselves, for a loop over every term. */
export function listItemSchemas() {
  const { TermSpec, AllowedWord } = built();
  return { blocked: TermSpec, masked: TermSpec, flagged: TermSpec, allowed: AllowedWord } as const;
}

export const ModerationPolicy = lazySchema(() => built().ModerationPolicy);
export type ModerationPolicy = z.infer<typeof ModerationPolicy>;
/** What a caller may write: every list optional and nullable. */
export type ModerationPolicyInput = z.input<typeof ModerationPolicy>;

/** A policy document's frame, as an operator sends it: the terms unchecked, unknown keys refused. */
export const PolicyDocument = lazySchema(() => built().PolicyDocument);
export type PolicyDocument = z.infer<typeof PolicyDocument>;
/** As read back from the store: unknown keys ignored, so a key added by a newer release cannot stop moderation. */
export const StoredPolicyDocument = lazySchema(() => built().StoredPolicyDocument);

/**
 * Validates a whole policy document at once, terms included (but not whether each can be matched:
 * see `validatePolicy`). For small documents such as MODERATION_POLICY_FILE.
 *
 * @throws InvalidPolicyError listing every problem. Throwing (rather than returning the safeParse
 * result) lets the policy store and the operator API map one error class to a reply in one place.
 */
export function parseModerationPolicy(json: unknown): ModerationPolicy {
  const result = ModerationPolicy.safeParse(json);
  if (!result.success) throw new InvalidPolicyError(problemsFromIssues(result.error.issues, json));
  return result.data;
}
