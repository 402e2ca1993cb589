/**
 * Regular-expression terms, run on re2js (a pure-JS port of RE2): matching time is linear in the text
 * for every pattern, so no pattern a moderator saves can freeze the event loop the way `(a+)+$` froze
 * `RegExp`. The price is RE2's syntax: no backreferences and no lookaround, refused when the policy is
 * saved with the reason. Patterns see the normalised text (lower-case), with RE2's Unicode semantics.
 *
 * Linear is not free: the slowest path (RE2's NFA, taken when the DFA gives up on a large pattern) costs
 * time in proportion to the compiled program's size, so that size is bounded too.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

/**
 * re2js is loaded with the first regex term, not at import: inside a bundle its ~150 KB cost every cold
 * start, with or without a policy. A Lambda bundle has the package beside it
 * (RUN_TIME_FILES in infra/constructs/split-bundle.ts), where esbuild leaves this require alone.
 */
const requireAtRunTime = createRequire(import.meta.url);
let re2js: typeof import('re2js') | undefined;
const loadRe2js = () => (re2js ??= requireAtRunTime('re2js') as typeof import('re2js'));

/** Instructions in one compiled pattern; `(.*a){20}` has 102, `sh[i1!]+t` 8. */
export const MAX_REGEX_PROGRAM_SIZE = 256;

export type RegexTermCompilation =
  | { readonly ok: true; readonly regex: RE2JS }
  | { readonly ok: false; readonly reason: string };

/** Syntax RE2 cannot run in linear time, named for the operator rather than by RE2's parse error. */
const UNSUPPORTED = [
  { syntax: /\\[1-9]|\\k</, reason: 'backreferences cannot be matched in linear time' },
  { syntax: /\(\?<?[=!]/, reason: 'lookahead and lookbehind cannot be matched in linear time' },
] as const;

export function compileRegexTerm(source: string): RegexTermCompilation {
  let regex: RE2JS;
  try {
    regex = loadRe2js().RE2JS.compile(source);
  } catch (error) {
    const unsupported = UNSUPPORTED.find(({ syntax }) => syntax.test(source));
    const reason = unsupported?.reason ?? (error as Error).message.replace(/^error parsing regexp: /, '');
    return { ok: false, reason: `not a supported regular expression (RE2 syntax): ${reason}` };
  }
  if (regex.programSize() > MAX_REGEX_PROGRAM_SIZE) {
    return {
      ok: false,
      reason: `regular expression too complex: ${regex.programSize()} instructions, at most ${MAX_REGEX_PROGRAM_SIZE}`,
    };
  }
  return { ok: true, regex };
}

/** Why `source` cannot be a regular-expression term, or undefined when it can. */
export function regexTermRefusal(source: string): string | undefined {
  const compiled = compileRegexTerm(source);
  return compiled.ok ? undefined : compiled.reason;
}
