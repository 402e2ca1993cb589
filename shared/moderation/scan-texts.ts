/**
 * One message's texts scanned in turn with one slicer, so that the message as a whole holds the
 * event loop for one slice at a time. The matches come at once, not as a promise, when every text
 * was scanned within its slice (nearly every message); otherwise from the first text that needed
 * another slice on, as a promise.
 */
import type { CompiledPolicy, TermMatch } from './matcher.ts';
import type { MatchScope } from './term-entry.ts';
import { TimeSlicer } from './time-slicer.ts';

/**
 * Each text's matches, in the order of `texts`.
 * @throws RegexWorkLimitError as `scanSliced` does (or the promise rejects with it).
 */
export function scanTexts(
  compiled: CompiledPolicy,
  texts: readonly string[],
  scope: MatchScope,
  slicer: TimeSlicer = new TimeSlicer(),
): TermMatch[][] | Promise<TermMatch[][]> {
  return scanFrom(compiled, texts, 0, scope, slicer, []);
}

function scanFrom(
  compiled: CompiledPolicy,
  texts: readonly string[],
  index: number,
  scope: MatchScope,
  slicer: TimeSlicer,
  scanned: TermMatch[][],
): TermMatch[][] | Promise<TermMatch[][]> {
  for (let next = index; next < texts.length; next++) {
    const found = compiled.scanSliced(texts[next]!, scope, slicer);
    if (found instanceof Promise) {
      return found.then((matches) => {
        scanned.push(matches);
        return scanFrom(compiled, texts, next + 1, scope, slicer, scanned);
      });
    }
    scanned.push(found);
  }
  return scanned;
}
