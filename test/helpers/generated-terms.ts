/**
 * Many distinct, matchable terms for policies at the size limit: letters only (no leetspeak digit, no
 * look-alike), 6 to 12 of them, and a one-space phrase every tenth term, as a real word list has.
 */
import { seededRandom } from '../../bench/seeded-random.ts';

export function generatedTerms(count: number, seed = 13): string[] {
  const random = seededRandom(seed);
  const letter = () => String.fromCharCode(97 + Math.floor(random() * 26));
  const word = (length: number) => Array.from({ length }, letter).join('');
  const terms = new Set<string>();
  while (terms.size < count) {
    const term = word(6 + Math.floor(random() * 7));
    terms.add(terms.size % 10 === 9 ? `${term} ${word(4)}` : term);
  }
  return [...terms];
}
