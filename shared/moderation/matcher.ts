/**
 * Compiles a moderation policy once and scans texts with it many times.
 *
 * Words and phrases (every action, plus the allowed words) go into one trie walked over the normalised
 * text (`term-trie.ts`), one-word English terms with their inflections and splits (`word-forms.ts`).
 * Regular-expression terms run on RE2 (`regex-term.ts`) over the normalised text as `normalise().text`
 * returns it (lower-case, separators as single spaces, leet symbols as written, so a pattern spells
 * out the variants it wants: `sh[i1!]t`), without implicit word boundaries. Then `resolve-matches.ts`
 * drops matches inside an allowed word and lets the strongest action win where actions overlap.
 * Offsets are mapped back to the original text.
 */
import type { RE2JS } from 're2js';
import { InvalidTermError } from '#shared/moderation/errors.ts';
import { NormaliseBuffer, normalise } from '#shared/moderation/normalise.ts';
import { MAX_TERM_LENGTH, type ModerationPolicy, type TermSpec } from '#shared/moderation/policy.ts';
import { compileRegexTerm } from '#shared/moderation/regex-term.ts';
import { MatchList, resolveMatches } from '#shared/moderation/resolve-matches.ts';
import {
  ACTION_RANK,
  MODERATION_ACTIONS,
  appliesIn,
  type MatchScope,
  type ModerationAction,
  type TermEntry,
} from '#shared/moderation/term-entry.ts';
import { TermTrie } from '#shared/moderation/term-trie.ts';
import { UnitKind } from '#shared/moderation/unit-kind.ts';
import { inflectedForms, splitOffsets } from '#shared/moderation/word-forms.ts';

export interface TermMatch {
  /** The term as the policy wrote it (the pattern source for a regular-expression term). */
  readonly term: string;
  readonly action: ModerationAction;
  /** UTF-16 offsets in the original text, end exclusive, covering the whole obfuscated span. */
  readonly start: number;
  readonly end: number;
}

export interface CompiledPolicy {
  readonly version: number;
  /**
   * Every match in `text` that applies in `scope`, ordered by start. Never throws; time is linear in
   * the text for every term (a regular-expression term costs in proportion to its size as well).
   */
  scan(text: string, scope?: MatchScope): TermMatch[];
}

interface RegexTerm {
  readonly entry: TermEntry;
  readonly regex: RE2JS;
}

/** What a term does when it matches: an action, or (for an allowed word) suppress the matches inside it. */
export type TermAction = ModerationAction | 'allowed';

function entryFor(id: number, spec: TermSpec | string, action: TermAction, bounded: boolean) {
  const term = typeof spec === 'string' ? spec : spec.term;
  const groupIDs = typeof spec === 'string' || spec.groupIDs === undefined ? null : new Set(spec.groupIDs);
  const sessionTypes = typeof spec === 'string' || spec.sessionTypes === undefined ? null : new Set(spec.sessionTypes);
  const normalised = normalise(term);
  const edgeKind = (i: number) => normalised.kind[i];
  const first = normalised.kind.findIndex((kind) => kind !== UnitKind.Separator);
  const last = normalised.kind.findLastIndex((kind) => kind !== UnitKind.Separator);
  const entry: TermEntry = {
    id,
    term,
    action,
    rank: ACTION_RANK[action],
    groupIDs,
    sessionTypes,
    // CJK-like scripts have no spaces, so a term starting or ending in one needs no boundary there.
    boundedStart: bounded && edgeKind(first) !== UnitKind.UnspacedLetter,
    boundedEnd: bounded && edgeKind(last) !== UnitKind.UnspacedLetter,
  };
  return { entry, normalised };
}

/** The term's letters when it is one word of spaced-script letters (`Bastard` → `bastard`), else undefined. */
function oneWord(normalised: { readonly text: string; readonly kind: Uint8Array }): string | undefined {
  return normalised.text.length > 0 && normalised.kind.every((kind) => kind === UnitKind.Letter) ? normalised.text : undefined;
}

/**
 * Builds a compiled policy one term at a time, so that a caller can compile incrementally and decide
 * itself what to do with a term that cannot be matched (refuse the policy, or drop the term and log).
 */
export class PolicyCompiler {
  private readonly trie = new TermTrie();
  private readonly regexTerms: RegexTerm[] = [];
  private readonly entries: TermEntry[] = [];

  constructor(private readonly version: number) {}

  /** Adds one term; returns why it cannot be matched (never throws for a bad term), or undefined when added. */
  add(spec: TermSpec | string, action: TermAction): string | undefined {
    const term = typeof spec === 'string' ? spec : spec.term;
    // The schema enforces this too; checked again for policies that did not come through it.
    if (term.length > MAX_TERM_LENGTH) return `longer than ${MAX_TERM_LENGTH} characters`;
    const id = this.entries.length;
    if (typeof spec !== 'string' && spec.regex === true) {
      const compiled = compileRegexTerm(spec.term);
      if (!compiled.ok) return compiled.reason;
      const { entry } = entryFor(id, spec, action, false);
      this.regexTerms.push({ entry, regex: compiled.regex });
      this.entries.push(entry);
      return undefined;
    }
    const { entry, normalised } = entryFor(id, spec, action, action !== 'allowed');
    const word = oneWord(normalised);
    // An allowed word is never split: it only has to cover what a blocked term matched inside it.
    const splits = word !== undefined && action !== 'allowed' ? splitOffsets(word) : null;
    if (!this.trie.add(normalised, entry, splits)) return 'nothing is left to match after normalisation';
    const inflections = typeof spec === 'string' || spec.inflections !== false;
    if (word !== undefined && inflections) for (const form of inflectedForms(word)) this.trie.add(normalise(form), entry);
    this.entries.push(entry);
    return undefined;
  }

  /** The policy with every term added so far. */
  finish(): CompiledPolicy {
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

class PolicyScanner implements CompiledPolicy {
  private readonly buffer = new NormaliseBuffer();
  // Per-scan state on the instance, so the trie's sink is one function made once (scans are synchronous).
  private scope: MatchScope = {};
  private readonly found = new MatchList();
  private readonly sink = (entry: TermEntry, start: number, end: number): void => {
    if (appliesIn(entry, this.scope)) this.found.push(entry.id, start, end);
  };

  constructor(
    readonly version: number,
    private readonly trie: TermTrie,
    private readonly regexTerms: readonly RegexTerm[],
    private readonly entries: readonly TermEntry[],
  ) {}

  /** Work done by the last scan's trie walk (states plus units read): linear in the text. */
  get lastScanSteps(): number {
    return this.trie.lastScanSteps;
  }

  scan(text: string, scope: MatchScope = {}): TermMatch[] {
    const { buffer, found } = this;
    buffer.load(text);
    found.clear();
    this.scope = scope;
    this.trie.scan(buffer, this.sink);
    if (this.regexTerms.length > 0) this.scanRegexTerms(scope);
    if (found.length === 0) return [];
    const kept = resolveMatches(found, this.entries, buffer.length);
    const matches: TermMatch[] = new Array<TermMatch>(kept.length);
    for (let i = 0; i < kept.length; i++) {
      const m = kept[i]!;
      const entry = this.entries[found.entry[m]!]!;
      matches[i] = {
        term: entry.term,
        action: entry.action as ModerationAction,
        start: buffer.start[found.start[m]!]!,
        end: buffer.end[found.end[m]! - 1]!,
      };
    }
    return matches;
  }

  private scanRegexTerms(scope: MatchScope): void {
    let text: string | undefined;
    for (const { entry, regex } of this.regexTerms) {
      if (!appliesIn(entry, scope)) continue;
      text ??= this.buffer.toText();
      // RE2's DFA answers "any match?" fastest; positions are worth finding only when there is one.
      if (!regex.test(text)) continue;
      const matcher = regex.matcher(text);
      while (matcher.find()) {
        if (matcher.end() > matcher.start()) this.found.push(entry.id, matcher.start(), matcher.end());
      }
    }
  }
}
