/**
 * Scans texts with a compiled policy: the trie walk over the normalised text, the regular-expression
 * terms in windows (`regex-walk.ts`), then `resolve-matches.ts`, with offsets mapped back to the original
 * text.
 *
 * `scanSliced` does the same work in time slices and gives the event loop back between them, so a
 * large message holds the loop for one slice, not for its whole scan. Everything one scan needs lives
 * in its own `TextScan` (taken from a small pool), so scans of one compiled policy may interleave.
 *
 * Regular-expression terms cost up to their program size per character, so a policy's regex terms
 * bound the text they can scan within a decision's budget (`regexTextLimit`); a longer text is refused
 * with `RegexWorkLimitError` before any work, for the caller's over-limit rule to decide.
 */
import { RegexWorkLimitError } from '#shared/moderation/errors.ts';
import { NormaliseBuffer } from '#shared/moderation/normalise.ts';
import { RegexWalk, regexWorkPerUnit, type RegexTerm } from '#shared/moderation/regex-walk.ts';
import { MatchList, resolveInSteps, resolveMatches } from '#shared/moderation/resolve-matches.ts';
import { appliesIn, type MatchScope, type ModerationAction, type TermEntry } from '#shared/moderation/term-entry.ts';
import type { TermTrie } from '#shared/moderation/term-trie.ts';
import { TimeSlicer } from '#shared/moderation/time-slicer.ts';
import type { TrieWalk } from '#shared/moderation/trie-walk.ts';

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
   * The longest text (UTF-16 units, as sent and once normalised) this policy's regular-expression
   * terms scan within MAX_REGEX_WORK; infinite without them.
   */
  readonly regexTextLimit: number;
  /** No term at all (no policy, or an empty one): every scan finds nothing, so a caller need not read the texts. */
  readonly matchesNothing: boolean;
  /**
   * Some term applies in some groups only: a beforeMsgModify, which carries no groupID, is then
   * masked in the group its before-send came from (the before-sends remember it only while this holds).
   */
  readonly scopedToGroups: boolean;
  /**
   * Every match in `text` that applies in `scope`, ordered by start. Time is linear in the text for
   * every term (a regular-expression term costs in proportion to its size as well).
   * @throws RegexWorkLimitError when the normalised text is longer than `regexTextLimit`.
   */
  scan(text: string, scope?: MatchScope): TermMatch[];
  /**
   * The same matches, found in slices of about `slicer`'s slice time with the event loop let run
   * between them: a promise of them once the scan needs a second slice; a text scanned within the
   * slice it started in (nearly every message) gets them at once.
   * @throws RegexWorkLimitError as `scan` does (or the promise rejects with it).
   */
  scanSliced(text: string, scope?: MatchScope, slicer?: TimeSlicer): TermMatch[] | Promise<TermMatch[]>;
}

export type { RegexTerm } from '#shared/moderation/regex-walk.ts';

/**
 * RE2 steps (program size times characters read) a scan may spend on regular-expression terms: ~55 ms
 * at the worst measured ~27 ns per step, ~150 ms when the 2-core bench machine is loaded far beyond its
 * cores; that leaves most of BEFORE_BUDGET_MS (300 ms) to the trie walk of a 256 KiB text and the reply.
 * `sh[i1!]+t` (7 instructions) scans any text under the 256 KiB limit; `(.*a){50}` (252) about 4,000
 * characters.
 */
export const MAX_REGEX_WORK = 2_000_000;

/**
 * Up to this many matches are resolved in one go: a few passes over a handful of matches take
 * microseconds, while the passes of a long list (a hostile text's thousands) each get a slice. A
 * message with a blocked term has one match or a few, and resolved in passes it cost ~6 µs more.
 */
const MATCHES_RESOLVED_AT_ONCE = 64;
/** Matches turned into `TermMatch`es between two questions to the slicer. */
const MATCHES_PER_CHECK = 16_384;
/** Idle scans kept for reuse; a scan's buffers grow with the largest text it saw. */
const IDLE_SCANS = 2;
/** No group, no session type: only the terms that apply everywhere. One object, not one per scan. */
const EVERYWHERE: MatchScope = Object.freeze({});

/** The state of one text's scan. */
class TextScan {
  readonly buffer = new NormaliseBuffer();
  readonly found = new MatchList();
  readonly walk: TrieWalk;
  readonly regexWalk = new RegexWalk();
  private scope: MatchScope = {};
  private readonly sink = (entry: number, start: number, end: number): void => {
    if (appliesIn(this.entries[entry]!, this.scope)) this.found.push(entry, start, end);
  };
  private readonly regexSink = (entry: number, start: number, end: number): void => {
    this.found.push(entry, start, end);
  };

  constructor(
    trie: TermTrie,
    private readonly entries: readonly TermEntry[],
  ) {
    this.walk = trie.newWalk();
  }

  /** @throws RegexWorkLimitError before any matching when the text is too long for the regex terms. */
  begin(text: string, scope: MatchScope, regexTerms: readonly RegexTerm[], regexTextLimit: number): void {
    this.scope = scope;
    this.found.clear();
    // Checked as sent first, so that a long text is refused without being normalised (a 1 MiB stall).
    if (text.length > regexTextLimit) throw new RegexWorkLimitError(text.length, regexTextLimit);
    this.buffer.load(text);
    if (this.buffer.length > regexTextLimit) throw new RegexWorkLimitError(this.buffer.length, regexTextLimit);
    this.walk.begin(this.buffer, this.sink);
    // The regex terms read the normalised text as a string (RE2's input); made only when there are some.
    this.regexWalk.begin(regexTerms.length > 0 ? this.buffer.toText() : '', regexTerms, scope, this.regexSink);
  }
}

export class PolicyScanner implements CompiledPolicy {
  /** Work done by the last trie walk (states plus units read): linear in the text. */
  lastScanSteps = 0;
  readonly regexTextLimit: number;
  readonly matchesNothing: boolean;
  readonly scopedToGroups: boolean;
  private readonly idle: TextScan[] = [];

  constructor(
    readonly version: number,
    private readonly trie: TermTrie,
    private readonly regexTerms: readonly RegexTerm[],
    private readonly entries: readonly TermEntry[],
  ) {
    let work = 0;
    for (const term of regexTerms) work += regexWorkPerUnit(term.regex.programSize(), term.stride);
    this.regexTextLimit = work === 0 ? Number.POSITIVE_INFINITY : Math.floor(MAX_REGEX_WORK / work);
    // Allowed words only take matches away.
    this.matchesNothing = regexTerms.length === 0 && entries.every((entry) => entry.action === 'allowed');
    // `entries` holds every term, regular expressions included (PolicyCompiler adds each to it).
    this.scopedToGroups = entries.some((entry) => entry.groupIDs !== null);
  }

  scan(text: string, scope: MatchScope = EVERYWHERE): TermMatch[] {
    if (this.matchesNothing) return [];
    const scan = this.take();
    try {
      scan.begin(text, scope, this.regexTerms, this.regexTextLimit);
      scan.walk.run();
      this.lastScanSteps = scan.walk.steps;
      scan.regexWalk.run();
      return this.resolve(scan);
    } finally {
      this.give(scan);
    }
  }

  scanSliced(text: string, scope: MatchScope = EVERYWHERE, slicer = new TimeSlicer()): TermMatch[] | Promise<TermMatch[]> {
    if (this.matchesNothing) return [];
    const scan = this.take();
    let finishing: Promise<TermMatch[]> | undefined;
    try {
      scan.begin(text, scope, this.regexTerms, this.regexTextLimit);
      // Both walks done within the slice, with few matches to resolve: the matches now, without a promise.
      if (!slicer.due() && scan.walk.run(slicer) && !slicer.due() && scan.regexWalk.run(slicer) && scan.found.length <= MATCHES_RESOLVED_AT_ONCE) {
        this.lastScanSteps = scan.walk.steps;
        return this.resolve(scan);
      }
      finishing = this.finishSliced(scan, slicer);
      return finishing;
    } finally {
      if (finishing === undefined) this.give(scan);
    }
  }

  /** What `scanSliced` could not finish in its first slice, the event loop let run between slices. */
  private async finishSliced(scan: TextScan, slicer: TimeSlicer): Promise<TermMatch[]> {
    try {
      const { found, buffer } = scan;
      if (slicer.due()) await slicer.yield(); // normalising a large text may have used the slice
      // A walk already done returns true at once.
      while (!scan.walk.run(slicer)) await slicer.yield();
      this.lastScanSteps = scan.walk.steps;
      if (slicer.due()) await slicer.yield();
      while (!scan.regexWalk.run(slicer)) await slicer.yield();
      if (found.length === 0) return [];
      const kept = found.length <= MATCHES_RESOLVED_AT_ONCE ? resolveMatches(found, this.entries, buffer.length) : await this.resolveSliced(scan, slicer);
      const matches: TermMatch[] = [];
      for (let from = 0; from < kept.length; from += MATCHES_PER_CHECK) {
        if (slicer.due()) await slicer.yield();
        this.addMatches(scan, kept, from, Math.min(from + MATCHES_PER_CHECK, kept.length), matches);
      }
      return matches;
    } finally {
      this.give(scan);
    }
  }

  /** `resolveMatches` in passes, with the event loop let run between them when the slice is used up. */
  private async resolveSliced({ found, buffer }: TextScan, slicer: TimeSlicer): Promise<Int32Array> {
    const steps = resolveInSteps(found, this.entries, buffer.length);
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) if (slicer.due()) await slicer.yield();
    return step.value;
  }

  private take(): TextScan {
    return this.idle.pop() ?? new TextScan(this.trie, this.entries);
  }

  private give(scan: TextScan): void {
    if (this.idle.length < IDLE_SCANS) this.idle.push(scan);
  }

  private resolve(scan: TextScan): TermMatch[] {
    if (scan.found.length === 0) return [];
    const kept = resolveMatches(scan.found, this.entries, scan.buffer.length);
    const matches: TermMatch[] = [];
    this.addMatches(scan, kept, 0, kept.length, matches);
    return matches;
  }

  /** Appends the kept matches `[from, to)` to `matches`, with offsets in the original text. */
  private addMatches({ found, buffer }: TextScan, kept: Int32Array, from: number, to: number, matches: TermMatch[]): void {
    for (let i = from; i < to; i++) {
      const m = kept[i]!;
      const entry = this.entries[found.entry[m]!]!;
      matches.push({
        term: entry.term,
        action: entry.action as ModerationAction,
        start: buffer.start[found.start[m]!]!,
        end: buffer.end[found.end[m]! - 1]!,
      });
    }
  }
}
