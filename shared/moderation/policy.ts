/**
 * The moderation policy document, as stored in the policy table and posted to the operator API.
 *
 * Lists accept `null` as well as a missing key (both become `[]`), so a policy written by a Go or
 * hand-rolled client loads. Regular-expression terms are compiled here so a bad pattern is rejected
 * when the policy is saved, not on the first message.
 */
import { z } from 'zod';
import { InvalidPolicyError } from '#shared/moderation/errors.ts';

/** Flags every regular-expression term is compiled with; the text it sees is already lower-case. */
export const TERM_REGEX_FLAGS = 'gu';

/** Longer terms are not words; the bound also keeps the matcher's per-term recursion shallow. */
export const MAX_TERM_LENGTH = 256;

const termText = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(MAX_TERM_LENGTH, `${what} must be at most ${MAX_TERM_LENGTH} characters`);

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

function describeTermObjectIssues(issues: readonly z.core.$ZodIssue[] | undefined): string {
  if (issues === undefined || issues.length === 0 || issues.some((issue) => issue.path.length === 0)) {
    return 'a term must be a non-empty string or { term, regex?, groupIDs?, sessionTypes? }';
  }
  return issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

/**
 * A word, a phrase or (with `regex: true`) a regular expression. A plain string is a global word or
 * phrase. With `groupIDs` and/or `sessionTypes` the term applies only where every given list contains
 * the message's value.
 */
export const TermSpec = z.union(
  [
    termText('a term'),
    z
      .object({
        term: termText('a term'),
        regex: z.boolean().optional(),
        groupIDs: z.array(z.string()).optional(),
        sessionTypes: z.array(z.number().int()).optional(),
      })
      .superRefine((spec, ctx) => {
        if (spec.regex !== true) return;
        try {
          new RegExp(spec.term, TERM_REGEX_FLAGS);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            path: ['term'],
            message: `not a valid regular expression: ${(error as Error).message}`,
          });
        }
      }),
  ],
  // A failed union says only "Invalid input"; for an object, say what was wrong inside it.
  { error: (issue) => (issue.code === 'invalid_union' ? describeTermObjectIssues(issue.errors[1]) : undefined) },
);
export type TermSpec = z.infer<typeof TermSpec>;

export const ModerationPolicy = z.object({
  version: z.number().int().nonnegative().default(0),
  /** The message is refused. */
  blocked: list(TermSpec),
  /** The message goes through with each match replaced by `*` (beforeMsgModify). */
  masked: list(TermSpec),
  /** The message goes through and is reported. */
  flagged: list(TermSpec),
  /** Words that never match: a match inside one of them is dropped. */
  allowed: list(termText('an allowed word')),
});
export type ModerationPolicy = z.infer<typeof ModerationPolicy>;
/** What a caller may write: every list optional and nullable. */
export type ModerationPolicyInput = z.input<typeof ModerationPolicy>;

/**
 * Validates a policy document.
 *
 * @throws InvalidPolicyError when `json` does not fit the schema; its message is `z.prettifyError`
 * output and `issues` holds the zod issues. Throwing (rather than returning the safeParse result) lets
 * the policy store and the operator API map one error class to a reply in one place.
 */
export function parseModerationPolicy(json: unknown): ModerationPolicy {
  const result = ModerationPolicy.safeParse(json);
  if (!result.success) throw new InvalidPolicyError(z.prettifyError(result.error), result.error.issues);
  return result.data;
}
