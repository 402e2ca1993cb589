/**
 * Compiles a moderation policy once and scans texts with it many times.
 *
 * Words and phrases (every action, plus the allowed words) go into one trie walked over the normalised
 * text (`term-trie.ts`). Regular-expression terms run on the normalised text as `normalise().text`
 * returns it (lower-case, separators as single spaces, leet symbols as written, so a pattern spells
 * out the variants it wants: `sh[i1!]t`), without implicit word boundaries. Then:
 * matches inside an allowed word are dropped, and where actions overlap the strongest wins
 * (blocked > masked > flagged). Offsets are mapped back to the original text.
 */
import { InvalidTermError } from '#shared/moderation/errors.ts';
import { SpanIndex } from '#shared/moderation/span-index.ts';
import { NormaliseBuffer, normalise } from '#shared/moderation/normalise.ts';
import { MAX_TERM_LENGTH, TERM_REGEX_FLAGS, type ModerationPolicy, type TermSpec } from '#shared/moderation/policy.ts';
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
   * the text for word and phrase terms (regular-expression terms are the operator's to keep linear).
   */
  scan(text: string, scope?: MatchScope): TermMatch[];
}

interface RegexTerm {
  readonly entry: TermEntry;
  readonly pattern: RegExp;
}

/** A match in normalised units, before suppression and mapping. */
interface UnitMatch {
  readonly entry: TermEntry;
  readonly start: number;
  readonly end: number;
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

/**
 * Builds a compiled policy one term at a time, so that a caller can compile incrementally and decide
 * itself what to do with a term that cannot be matched (refuse the policy, or drop the term and log).
 */
export class PolicyCompiler {
  private readonly trie = new TermTrie();
  private readonly regexTerms: RegexTerm[] = [];
  private nextID = 0;

  constructor(private readonly version: number) {}

  /** Adds one term; returns why it cannot be matched (never throws for a bad term), or undefined when added. */
  add(spec: TermSpec | string, action: TermAction): string | undefined {
    const term = typeof spec === 'string' ? spec : spec.term;
    // The schema enforces this too; checked again for policies that did not come through it.
    if (term.length > MAX_TERM_LENGTH) return `longer than ${MAX_TERM_LENGTH} characters`;
    if (typeof spec !== 'string' && spec.regex === true) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(spec.term, TERM_REGEX_FLAGS);
      } catch (error) {
        return `not a valid regular expression: ${(error as Error).message}`;
      }
      const { entry } = entryFor(this.nextID++, spec, action, false);
      this.regexTerms.push({ entry, pattern });
      return undefined;
    }
    const { entry, normalised } = entryFor(this.nextID++, spec, action, action !== 'allowed');
    if (!this.trie.add(normalised, entry)) return 'nothing is left to match after normalisation';
    return undefined;
  }

  /** The policy with every term added so far. */
  finish(): CompiledPolicy {
    return new PolicyScanner(this.version, this.trie, [...this.regexTerms]);
  }
}

/**
 * @throws InvalidTermError on the first term that is too long, leaves nothing to match after
 * normalisation (only punctuation or invisible characters) or is a regular expression that does not compile.
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
  private found: UnitMatch[] = [];
  private readonly sink = (entry: TermEntry, start: number, end: number): void => {
    if (appliesIn(entry, this.scope)) this.found.push({ entry, start, end });
  };

  constructor(
    readonly version: number,
    private readonly trie: TermTrie,
    private readonly regexTerms: readonly RegexTerm[],
  ) {}

  scan(text: string, scope: MatchScope = {}): TermMatch[] {
    const { buffer } = this;
    buffer.load(text);
    const found: UnitMatch[] = (this.found = []);
    this.scope = scope;
    this.trie.scan(buffer, this.sink);
    if (this.regexTerms.length > 0) this.scanRegexTerms(scope, found);
    if (found.length === 0) return [];
    return resolve(found).map(({ entry, start, end }) => ({
      term: entry.term,
      action: entry.action as ModerationAction,
      start: buffer.start[start]!,
      end: buffer.end[end - 1]!,
    }));
  }

  private scanRegexTerms(scope: MatchScope, found: UnitMatch[]): void {
    const text = this.buffer.toText();
    for (const { entry, pattern } of this.regexTerms) {
      if (!appliesIn(entry, scope)) continue;
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        if (match[0].length === 0) {
          pattern.lastIndex++; // an empty match would repeat forever
          continue;
        }
        found.push({ entry, start: match.index, end: match.index + match[0].length });
      }
    }
  }
}

/** Deduplicates, drops matches inside allowed words, and lets the strongest overlapping action win. */
function resolve(found: UnitMatch[]): UnitMatch[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end || b.entry.rank - a.entry.rank);
  // The same term found from several starts (`@@@ss` starts at each `@`): keep the longest.
  const seen = new Set<string>();
  const allowed: UnitMatch[] = [];
  const terms: UnitMatch[] = [];
  for (const match of found) {
    const key = `${match.entry.term}\u0000${match.entry.action}\u0000${match.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (match.entry.rank === ACTION_RANK.allowed ? allowed : terms).push(match);
  }
  const allowedSpans = new SpanIndex(allowed);
  const kept = allowed.length === 0 ? terms : terms.filter((match) => !allowedSpans.contains(match));
  const result: UnitMatch[] = [];
  for (const rank of [ACTION_RANK.blocked, ACTION_RANK.masked, ACTION_RANK.flagged]) {
    const stronger = new SpanIndex(result);
    result.push(...kept.filter((match) => match.entry.rank === rank && !stronger.overlaps(match)));
  }
  return result.sort((a, b) => a.start - b.start || b.end - a.end || b.entry.rank - a.entry.rank);
}
