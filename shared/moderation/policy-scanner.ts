/**
 * Scans texts with a compiled policy: the trie walk over the normalised text, the regular-expression
 * terms, then `resolve-matches.ts`, with offsets mapped back to the original text.
 *
 * `scanSliced` does the same work in time slices and gives the event loop back between them, so a
 * large message holds the loop for one slice, not for its whole scan. Everything one scan needs lives
 * in its own `TextScan` (taken from a small pool), so scans of one compiled policy may interleave.
 */
import type { RE2JS } from 're2js';
import { NormaliseBuffer } from '#shared/moderation/normalise.ts';
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
   * Every match in `text` that applies in `scope`, ordered by start. Never throws; time is linear in
   * the text for every term (a regular-expression term costs in proportion to its size as well).
   */
  scan(text: string, scope?: MatchScope): TermMatch[];
  /**
   * The same matches, found in slices of about `slicer`'s slice time with the event loop let run
   * between them; a text that takes less than one slice is scanned without yielding.
   */
  scanSliced(text: string, scope?: MatchScope, slicer?: TimeSlicer): Promise<TermMatch[]>;
}

export interface RegexTerm {
  readonly entry: TermEntry;
  readonly regex: RE2JS;
}

/** Matches turned into `TermMatch`es between two questions to the slicer. */
const MATCHES_PER_CHECK = 16_384;
/** Idle scans kept for reuse; a scan's buffers grow with the largest text it saw. */
const IDLE_SCANS = 2;

/** The state of one text's scan. */
class TextScan {
  readonly buffer = new NormaliseBuffer();
  readonly found = new MatchList();
  readonly walk: TrieWalk;
  private scope: MatchScope = {};
  private readonly sink = (entry: number, start: number, end: number): void => {
    if (appliesIn(this.entries[entry]!, this.scope)) this.found.push(entry, start, end);
  };

  constructor(
    trie: TermTrie,
    private readonly entries: readonly TermEntry[],
  ) {
    this.walk = trie.newWalk();
  }

  begin(text: string, scope: MatchScope): void {
    this.scope = scope;
    this.found.clear();
    this.buffer.load(text);
    this.walk.begin(this.buffer, this.sink);
  }
}

export class PolicyScanner implements CompiledPolicy {
  /** Work done by the last trie walk (states plus units read): linear in the text. */
  lastScanSteps = 0;
  private readonly idle: TextScan[] = [];

  constructor(
    readonly version: number,
    private readonly trie: TermTrie,
    private readonly regexTerms: readonly RegexTerm[],
    private readonly entries: readonly TermEntry[],
  ) {}

  scan(text: string, scope: MatchScope = {}): TermMatch[] {
    const scan = this.take();
    try {
      scan.begin(text, scope);
      scan.walk.run();
      this.lastScanSteps = scan.walk.steps;
      let regexText: string | undefined;
      for (const term of this.regexTerms) regexText = this.findRegexTerm(scan, term, scope, regexText);
      return this.resolve(scan);
    } finally {
      this.give(scan);
    }
  }

  async scanSliced(text: string, scope: MatchScope = {}, slicer = new TimeSlicer()): Promise<TermMatch[]> {
    const scan = this.take();
    const due = () => slicer.due();
    try {
      scan.begin(text, scope);
      const { found, buffer } = scan;
      if (slicer.due()) await slicer.yield(); // normalising a large text may have used the slice
      while (!scan.walk.run(due)) await slicer.yield();
      this.lastScanSteps = scan.walk.steps;
      let regexText: string | undefined;
      for (const term of this.regexTerms) {
        if (slicer.due()) await slicer.yield();
        regexText = this.findRegexTerm(scan, term, scope, regexText);
      }
      if (found.length === 0) return [];
      const steps = resolveInSteps(found, this.entries, buffer.length);
      let step = steps.next();
      for (; step.done !== true; step = steps.next()) if (slicer.due()) await slicer.yield();
      const kept = step.value;
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

  private take(): TextScan {
    return this.idle.pop() ?? new TextScan(this.trie, this.entries);
  }

  private give(scan: TextScan): void {
    if (this.idle.length < IDLE_SCANS) this.idle.push(scan);
  }

  /** Adds the matches of one regular-expression term; returns the normalised text, made on first need. */
  private findRegexTerm(scan: TextScan, { entry, regex }: RegexTerm, scope: MatchScope, text: string | undefined): string | undefined {
    if (!appliesIn(entry, scope)) return text;
    text ??= scan.buffer.toText();
    // RE2's DFA answers "any match?" fastest; positions are worth finding only when there is one.
    if (!regex.test(text)) return text;
    const matcher = regex.matcher(text);
    while (matcher.find()) {
      if (matcher.end() > matcher.start()) scan.found.push(entry.id, matcher.start(), matcher.end());
    }
    return text;
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
