/**
 * `npm run bench:moderation`: this project's moderation engine against `obscenity` (RegExpMatcher, the
 * same 500 terms as custom words, English recommended transformers) and `leo-profanity` (list cleared,
 * the same terms added), side by side in one process on one deterministic corpus
 * (bench/moderation-corpus.ts). Prints throughput, recall per evasion style and false positives.
 * Options (env): BENCH_ROUNDS (3), BENCH_MIN_MS (1000, per engine per round).
 */
import leoProfanity from 'leo-profanity';
import { DataSet, RegExpMatcher, englishRecommendedTransformers, parseRawPattern } from 'obscenity';
import { compilePolicy, parseModerationPolicy } from '#shared/moderation/index.ts';
import { EVASION_STYLES, buildCorpus } from './moderation-corpus.ts';
import { measurePolicyCompileStall } from './policy-compile-stall.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 1000);

interface Engine {
  readonly name: string;
  readonly matches: (line: string) => boolean;
}

const corpus = buildCorpus();
const texts = corpus.lines.map((line) => line.text);
const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);

const compiled = compilePolicy(parseModerationPolicy({ blocked: corpus.terms }));

const dataset = new DataSet<{ originalWord: string }>();
for (const term of corpus.terms) {
  dataset.addPhrase((phrase) => phrase.setMetadata({ originalWord: term }).addPattern(parseRawPattern(term)));
}
const obscenity = new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers });

leoProfanity.clearList();
leoProfanity.add([...corpus.terms]);

const engines: Engine[] = [
  { name: 'openim-hooks', matches: (line) => compiled.scan(line).length > 0 },
  { name: 'obscenity', matches: (line) => obscenity.hasMatch(line) },
  { name: 'leo-profanity', matches: (line) => leoProfanity.check(line) },
];

/** One pass over the corpus; the hit count keeps the work observable so it is not optimised away. */
function pass(engine: Engine): number {
  let hits = 0;
  for (const text of texts) if (engine.matches(text)) hits++;
  return hits;
}

// Warm up every engine (JIT, lazy tables) before anything is timed.
for (const engine of engines) pass(engine);

// Interleaved rounds, so drift in machine load hits every engine alike.
const timing = new Map(engines.map((engine) => [engine.name, { lines: 0, ms: 0 }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const engine of engines) {
    const total = timing.get(engine.name)!;
    const started = performance.now();
    let elapsed = 0;
    do {
      pass(engine);
      total.lines += texts.length;
      elapsed = performance.now() - started;
    } while (elapsed < MIN_MS);
    total.ms += elapsed;
  }
}

const dirty = corpus.lines.filter((line) => line.style !== undefined);
const clean = corpus.lines.filter((line) => line.style === undefined);
const quality = engines.map((engine) => ({
  name: engine.name,
  recall: Object.fromEntries(
    EVASION_STYLES.map((style) => {
      const lines = dirty.filter((line) => line.style === style);
      return [style, { found: lines.filter((line) => engine.matches(line.text)).length, of: lines.length }];
    }),
  ),
  cleanFalsePositives: clean.filter((line) => engine.matches(line.text)).length,
  innocentFalsePositives: corpus.innocentWords.filter((word) => engine.matches(word)),
}));

const format = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (text: string, width: number) => text.padStart(width);
const rate = (name: string) => {
  const { lines, ms } = timing.get(name)!;
  return { linesPerSecond: (lines * 1000) / ms, megabytesPerSecond: (((lines / texts.length) * bytes) / 1e6 / ms) * 1000 };
};
const baseline = rate('obscenity').linesPerSecond;

console.log(
  `corpus: ${format(texts.length)} lines (${format(dirty.length)} with a blocked term, ${format(clean.length)} clean), ` +
    `${format(bytes / 1e6, 2)} MB UTF-8; blocklist ${corpus.terms.length} terms; node ${process.version}`,
);
console.log('');
console.log(`${'engine'.padEnd(16)}${pad('lines/s', 13)}${pad('MB/s', 9)}${pad('vs obscenity', 14)}${pad('FP clean', 10)}${pad('FP innocent', 13)}`);
for (const result of quality) {
  const { linesPerSecond, megabytesPerSecond } = rate(result.name);
  console.log(
    result.name.padEnd(16) +
      pad(format(linesPerSecond), 13) +
      pad(format(megabytesPerSecond, 2), 9) +
      pad(`${format(linesPerSecond / baseline, 1)}x`, 14) +
      pad(format(result.cleanFalsePositives), 10) +
      pad(`${result.innocentFalsePositives.length}/${corpus.innocentWords.length}`, 13),
  );
}
console.log('');
console.log(`${'recall by style'.padEnd(16)}${quality.map((result) => pad(result.name, 16)).join('')}`);
for (const style of EVASION_STYLES) {
  const cells = quality.map((result) => {
    const { found, of } = result.recall[style]!;
    return pad(`${format((100 * found) / of, 1)}% (${found}/${of})`, 16);
  });
  console.log(style.padEnd(16) + cells.join(''));
}
const overall = quality.map((result) => {
  const found = Object.values(result.recall).reduce((sum, { found }) => sum + found, 0);
  return pad(`${format((100 * found) / dirty.length, 1)}%`, 16);
});
console.log('all'.padEnd(16) + overall.join(''));
console.log('');
for (const result of quality) {
  if (result.innocentFalsePositives.length > 0) {
    console.log(`${result.name} matched innocent words: ${result.innocentFalsePositives.join(', ')}`);
  }
}

// The longest event-loop stall while a 100,000-term policy comes into force (the callbacks answer between slices).
const stall = await measurePolicyCompileStall(100_000);
console.log('');
console.log(
  `policy of ${format(stall.terms)} terms coming into force: longest event-loop stall ${format(stall.longestStallMs, 1)} ms ` +
    `(${format(stall.totalMs)} ms in ${format(stall.slices)} slices)`,
);

// Hostile inputs: 1 MiB each, against a policy with the corpus terms plus the words repeated below.
// Reported as milliseconds per MiB of text (best of three, so a loaded machine's pauses count less):
// the event loop is held for that long, and the budget is 50 ms per MiB.
const MiB = 1024 * 1024;
const hostilePolicy = compilePolicy(
  parseModerationPolicy({
    blocked: [...corpus.terms, 'badword', 'ilililil', 'kill', 'bastard', 'abcdefghijklmnopqrstuvwxyz'],
    masked: ['darn'],
    flagged: ['meh'],
    allowed: ['darnation'],
  }),
);
const fill = (pattern: string) => pattern.repeat(Math.ceil(MiB / pattern.length)).slice(0, MiB);
const bigPolicy = compilePolicy(parseModerationPolicy({ blocked: Array.from({ length: 20_000 }, (_, i) => `term${i.toString(36)}x`) }));
const hostile: { name: string; text: string; policy: typeof compiled }[] = [
  { name: 'blocked word repeated', text: fill('badword '), policy: hostilePolicy },
  { name: 'flagged word repeated', text: fill('meh '), policy: hostilePolicy },
  { name: 'masked word repeated', text: fill('darn '), policy: hostilePolicy },
  { name: 'spaced letters b a d', text: fill('b a d w o r d '), policy: hostilePolicy },
  { name: 'ones 1111…', text: fill('1'), policy: hostilePolicy },
  { name: 'leet runs', text: fill('8@dw0rd 4$$ '), policy: hostilePolicy },
  { name: 'separator run', text: fill('!?.,;- '), policy: hostilePolicy },
  { name: 'near misses', text: fill('abcdefghijklmnopqrstuvwxy '), policy: hostilePolicy },
  { name: 'split word repeated', text: fill('bas tard '), policy: hostilePolicy },
  { name: 'chat, 20,000 terms', text: fill(texts.slice(0, 200).join(' ')), policy: bigPolicy },
];
console.log('');
console.log(`${'hostile input (1 MiB)'.padEnd(26)}${pad('ms/MiB', 10)}${pad('matches', 10)}`);
let worst = 0;
for (const { name, text, policy } of hostile) {
  let best = Number.POSITIVE_INFINITY;
  let found = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    found = policy.scan(text).length;
    best = Math.min(best, performance.now() - started);
  }
  worst = Math.max(worst, best);
  console.log(`${name.padEnd(26)}${pad(format(best, 1), 10)}${pad(format(found), 10)}`);
}
console.log(`${'worst'.padEnd(26)}${pad(format(worst, 1), 10)}`);
