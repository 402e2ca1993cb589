/**
 * The regular-expression terms of a policy run over one normalised text in windows, resumable between
 * windows (like `trie-walk.ts`), so that a large text holds the event loop for one window at a time.
 *
 * RE2 is linear in the text, but its slowest engine costs about (program size) steps per character, and
 * a match is found in one synchronous call: `(.*a){50}` took ~650 ms over 256 KiB in one piece. Here each
 * term searches windows of `span` units (fewer for a larger program, so one window is a few ms of work
 * at worst), overlapping by MAX_REGEX_MATCH_LENGTH, so that every match of up to that length lies whole in
 * some window. The documented rules that follow:
 * - a match is found when it spans at most MAX_REGEX_MATCH_LENGTH units of the normalised text; a longer
 *   one (an unbounded repetition such as `.*` running on) is cut at its window's end;
 * - the text past a window's end reads as a line break: `$` and `\z` match only at the text's real end,
 *   `\b` sees a non-word character there (the normalised text has no line breaks of its own);
 * - matches of one term do not overlap: a window searches on from where the last match ended.
 * A text no longer than one window is searched in one piece, exactly as RE2 would.
 */
import type { RE2JS } from 're2js';
import { appliesIn, type MatchScope, type TermEntry } from '#shared/moderation/term-entry.ts';
import type { SliceClock } from '#shared/moderation/time-slicer.ts';

export interface RegexTerm {
  readonly entry: TermEntry;
  readonly regex: RE2JS;
  /** Units a window moves on by; a window spans `stride + MAX_REGEX_MATCH_LENGTH` units. */
  readonly stride: number;
}

/** The longest match a regular-expression term is guaranteed to be found with, in normalised units. */
export const MAX_REGEX_MATCH_LENGTH = 256;

/**
 * Program size times window span: ~3.5 ms for one window where RE2's NFA costs ~27 ns per instruction
 * and character at worst, well inside a 10 ms time slice (`npm run bench:moderation`, hostile rows).
 */
const WINDOW_WORK = 2 ** 17;

/** Stands for the rest of the text after a window's end: no `$` there, a non-word character for `\b`. */
const PAST_WINDOW = '\n';

/** How far a term's windows move on: at least the overlap, so that no more than half of a window is repeated. */
export function windowStride(programSize: number): number {
  return Math.max(MAX_REGEX_MATCH_LENGTH, Math.floor(WINDOW_WORK / Math.max(1, programSize)) - MAX_REGEX_MATCH_LENGTH);
}

/** RE2 steps per text unit at worst for a term: its program size, times the units its windows read per unit. */
export function regexWorkPerUnit(programSize: number, stride: number): number {
  return (programSize * (stride + MAX_REGEX_MATCH_LENGTH)) / stride;
}

/** Receives every match: the entry id and the normalised range `[start, end)`. */
export type RegexMatchSink = (entry: number, start: number, end: number) => void;

export class RegexWalk {
  private text = '';
  private terms: readonly RegexTerm[] = [];
  private scope: MatchScope = {};
  private sink: RegexMatchSink = () => undefined;
  private term = 0;
  private windowStart = 0;
  /** Where the current term's next match may start: the end of its last match. */
  private searchFrom = 0;

  begin(text: string, terms: readonly RegexTerm[], scope: MatchScope, sink: RegexMatchSink): void {
    this.text = text;
    this.terms = terms;
    this.scope = scope;
    this.sink = sink;
    this.term = 0;
    this.windowStart = 0;
    this.searchFrom = 0;
  }

  /** Searches windows until every term is done (true) or `slice.due()` says to stop after a window (false). */
  run(slice?: SliceClock): boolean {
    const { terms } = this;
    while (this.term < terms.length) {
      const term = terms[this.term]!;
      if (appliesIn(term.entry, this.scope) && !this.searchWindow(term)) this.windowStart += term.stride;
      else {
        this.term++;
        this.windowStart = 0;
        this.searchFrom = 0;
      }
      if (this.term < terms.length && slice?.due() === true) return false;
    }
    this.text = '';
    return true;
  }

  /**
   * Reports the matches of `term` that start in the current window's stride (in the last window, all
   * the rest). Returns whether this was the term's last window.
   */
  private searchWindow({ entry, regex, stride }: RegexTerm): boolean {
    const { text, windowStart } = this;
    const strideEnd = windowStart + stride;
    const windowEnd = strideEnd + MAX_REGEX_MATCH_LENGTH;
    const last = windowEnd >= text.length;
    const from = Math.max(windowStart, this.searchFrom);
    if (from >= strideEnd && !last) return false; // a long match already covers this stride
    // One unit of context before the window, so `^` and `\b` see what really precedes it.
    const offset = windowStart > 0 ? windowStart - 1 : 0;
    const window = last ? (offset === 0 ? text : text.slice(offset)) : text.slice(offset, windowEnd) + PAST_WINDOW;
    // RE2's DFA answers "any match?" fastest; positions are worth finding only when there is one.
    if (!regex.test(window)) return last;
    const matcher = regex.matcher(window);
    if (!matcher.find(from - offset)) return last;
    do {
      const start = matcher.start() + offset;
      if (!last && start >= strideEnd) return false; // the next window finds it, with more text after it
      const end = Math.min(matcher.end() + offset, last ? text.length : windowEnd);
      if (end > start) {
        this.sink(entry.id, start, end);
        this.searchFrom = end;
      }
    } while (matcher.find());
    return last;
  }
}
