/**
 * Where the matched terms are in a flagged message, for the console to highlight. The event names
 * the terms but not their spans, and matching sees through obfuscation (`b.a.d`, `ｂａｄ`), so the
 * spans come from the same matcher: a policy of just those terms, scanned over the message's texts.
 * A term that no longer compiles as a word (a regular-expression term) is left unhighlighted.
 */
import { compilePolicy } from '../moderation/matcher.ts';
import { readMessageTexts } from '../moderation/message-text.ts';
import type { Highlight } from './review-item.ts';

const policyOf = (flagged: string[]) => ({ version: 0, blocked: [], masked: [], flagged, allowed: [] });

export function highlightTerms(contentType: number, content: string, terms: readonly string[]): { texts: string[]; highlights: Highlight[] } {
  const texts = readMessageTexts(contentType, content);
  const usable = terms.filter((term) => {
    try {
      compilePolicy(policyOf([term]));
      return true;
    } catch {
      return false;
    }
  });
  if (usable.length === 0) return { texts, highlights: [] };
  const compiled = compilePolicy(policyOf(usable));
  const highlights = texts.flatMap((text, index) => compiled.scan(text).map(({ term, start, end }) => ({ text: index, start, end, term })));
  return { texts, highlights };
}
