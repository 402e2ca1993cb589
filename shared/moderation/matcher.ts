/**
 * Compiles a moderation policy once and scans texts with it many times.
 *
 * Words and phrases (every action, plus the allowed words) go into one trie walked over the normalised
 * text (`term-trie.ts`), one-word English terms with their inflections and splits (`word-forms.ts`).
 * Regular-expression terms run on RE2 (`regex-term.ts`) over the normalised text as `normalise().text`
 * returns it (lower-case, separators as single spaces, leet symbols as written, so a pattern spells
 * out the variants it wants: `sh[i1!]t`), without implicit word boundaries, in windows (`regex-walk.ts`). Then `resolve-matches.ts`
 * drops matches inside an allowed word and lets the strongest action win where actions overlap.
 * Offsets are mapped back to the original text.
 */
import { InvalidTermError } from '#shared/moderation/errors.ts';
import { NormaliseBuffer } from '#shared/moderation/normalise.ts';
import { PolicyScanner, type CompiledPolicy } from '#shared/moderation/policy-scanner.ts';
import { MAX_TERM_LENGTH, type ModerationPolicy, type TermSpec } from '#shared/moderation/policy.ts';
import { compileRegexTerm } from '#shared/moderation/regex-term.ts';
import { windowStride, type RegexTerm } from '#shared/moderation/regex-walk.ts';
import { ACTION_RANK, MODERATION_ACTIONS, type ModerationAction, type TermEntry } from '#shared/moderation/term-entry.ts';
import { TermTrie } from '#shared/moderation/term-trie.ts';
import { UnitKind } from '#shared/moderation/unit-kind.ts';
import { inflectedForms, splitOffsets } from '#shared/moderation/word-forms.ts';

export type { CompiledPolicy, TermMatch } from '#shared/moderation/policy-scanner.ts';

/** What a term does when it matches: an action, or (for an allowed word) suppress the matches inside it. */
export type TermAction = ModerationAction | 'allowed';

/**
 * The term's entry. `units` holds the normalised term; a term starting or ending in a letter of a
 * script without spaces (CJK) needs no word boundary there.
 */
function entryFor(id: number, spec: TermSpec | string, action: TermAction, bounded: boolean, units: NormaliseBuffer): TermEntry {
  const term = typeof spec === 'string' ? spec : spec.term;
  let first = 0;
  let last = units.length - 1;
  while (first < units.length && units.kind[first] === UnitKind.Separator) first++;
  while (last >= 0 && units.kind[last] === UnitKind.Separator) last--;
  return {
    id,
    term,
    action,
    rank: ACTION_RANK[action],
    groupIDs: typeof spec === 'string' || spec.groupIDs === undefined ? null : new Set(spec.groupIDs),
    sessionTypes: typeof spec === 'string' || spec.sessionTypes === undefined ? null : new Set(spec.sessionTypes),
    boundedStart: bounded && units.kind[first] !== UnitKind.UnspacedLetter,
    boundedEnd: bounded && units.kind[last] !== UnitKind.UnspacedLetter,
  };
}

/** The term's letters when it is one word of spaced-script letters (`Bastard` → `bastard`), else undefined. */
function oneWord(units: NormaliseBuffer): string | undefined {
  if (units.length === 0) return undefined;
  for (let i = 0; i < units.length; i++) if (units.kind[i] !== UnitKind.Letter) return undefined;
  return units.toText();
}

/**
 * Builds a compiled policy one term at a time, so that a caller can compile incrementally and decide
 * itself what to do with a term that cannot be matched (refuse the policy, or drop the term and log).
 */
export class PolicyCompiler {
  private readonly trie = new TermTrie();
  private readonly regexTerms: RegexTerm[] = [];
  private readonly entries: TermEntry[] = [];
  /** One buffer for every term, so that adding a term allocates little. */
  private readonly units = new NormaliseBuffer();

  constructor(private readonly version: number) {}

  /** Adds one term; returns why it cannot be matched (never throws for a bad term), or undefined when added. */
  add(spec: TermSpec | string, action: TermAction): string | undefined {
    const term = typeof spec === 'string' ? spec : spec.term;
    // The schema enforces this too; checked again for policies that did not come through it.
    if (term.length > MAX_TERM_LENGTH) return `longer than ${MAX_TERM_LENGTH} characters`;
    const id = this.entries.length;
    const { units } = this;
    units.load(term);
    if (typeof spec !== 'string' && spec.regex === true) {
      const compiled = compileRegexTerm(spec.term);
      if (!compiled.ok) return compiled.reason;
      const entry = entryFor(id, spec, action, false, units);
      this.regexTerms.push({ entry, regex: compiled.regex, stride: windowStride(compiled.regex.programSize()) });
      this.entries.push(entry);
      return undefined;
    }
    const entry = entryFor(id, spec, action, action !== 'allowed', units);
    const word = oneWord(units);
    // An allowed word is never split: it only has to cover what a blocked term matched inside it.
    const splits = word !== undefined && action !== 'allowed' ? splitOffsets(word) : null;
    if (!this.trie.add(units, entry, splits)) return 'nothing is left to match after normalisation';
    const inflections = typeof spec === 'string' || spec.inflections !== false;
    if (word !== undefined && inflections) {
      for (const form of inflectedForms(word)) {
        units.load(form);
        this.trie.add(units, entry);
      }
    }
    this.entries.push(entry);
    return undefined;
  }

  /** The policy with every term added so far. */
  finish(): CompiledPolicy {
    this.trie.trim();
    return new PolicyScanner(this.version, this.trie, [...this.regexTerms], this.entries);
  }
}

/**
 * @throws InvalidTermError on the first term that is too long, leaves nothing to match after
 * normalisation (only punctuation or invisible characters) or is a regular expression RE2 cannot run.
 */
export function compilePolicy(policy: ModerationPolicy): CompiledPolicy {
  const compiler = new PolicyCompiler(policy.version);
  const addOrThrow = (spec: TermSpec | string, action: TermAction) => {
    const refusal = compiler.add(spec, action);
    if (refusal !== undefined) throw new InvalidTermError(typeof spec === 'string' ? spec : spec.term, refusal);
  };
  for (const action of MODERATION_ACTIONS) for (const spec of policy[action]) addOrThrow(spec, action);
  for (const word of policy.allowed) addOrThrow(word, 'allowed');
  return compiler.finish();
}
