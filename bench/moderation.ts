/**
 * `npm run bench:moderation`: this project's moderation engine against `obscenity` (RegExpMatcher, the
 * same 500 terms as custom words, English recommended transformers) and `leo-profanity` (list cleared,
 * the same terms added), side by side in one process on one deterministic corpus
 * (bench/moderation-corpus.ts). Prints throughput, recall per evasion style and false positives.
 * Options (env): BENCH_ROUNDS (3), BENCH_MIN_MS (1000, per engine per round).
 */
import leoProfanity from 'leo-profanity';
import { DataSet, RegExpMatcher, englishRecommendedTransformers, parseRawPattern } from 'obscenity';
import { RE2JS } from 're2js';
import { RegexWorkLimitError } from '#shared/moderation/errors.ts';
import { compilePolicy, parseModerationPolicy } from '#shared/moderation/index.ts';
import { EVASION_STYLES, buildCorpus } from './moderation-corpus.ts';
import { generatedTerms } from '../test/helpers/generated-terms.ts';
import { retainedBytes } from '../test/helpers/retained-bytes.ts';
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
const largePolicy = parseModerationPolicy({ blocked: generatedTerms(100_000) });
const beforeCompile = retainedBytes();
const compileStarted = performance.now();
const largeCompiled = compilePolicy(largePolicy);
const largeMatches = largeCompiled.scan(largePolicy.blocked.join(' ').slice(0, 10_000)).length; // keeps it alive past the measurement
const compileMs = performance.now() - compileStarted;
const retainedMB = (retainedBytes() - beforeCompile) / 1e6;
console.log(
  `policy of ${format(largePolicy.blocked.length)} terms compiled in one go: ${format(compileMs)} ms, ` +
    `retains ${format(retainedMB, 1)} MB (heap and typed arrays, after gc); ${format(largeMatches)} matches in its first 10,000 characters`,
);

// Hostile inputs: 1 MiB each, against a policy with the corpus terms plus the words repeated below.
// Best of three, so a loaded machine's pauses count less. "scan" is one synchronous scan (CompiledPolicy.scan)
// in ms per MiB; "stall" is the longest the event loop waited during scanSliced (what the callbacks do),
// per MiB, and must stay under 50; "256 KiB" is scanSliced's whole time for the first 256 KiB
// (MODERATION_MAX_TEXT_BYTES by default), which must stay within the 300 ms budget.
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
  { name: 'emoji and marks', text: fill('😀é̶ｂ'), policy: hostilePolicy },
  { name: 'chat, 20,000 terms', text: fill(texts.slice(0, 200).join(' ')), policy: bigPolicy },
];

// Hostile regular-expression terms, each with the corpus terms, over a text that keeps RE2's NFA busy.
// A policy's regex terms scan at most `regexTextLimit` units (longer texts go to the over-limit rule), so
// each row scans up to that limit and reports its longest stall in ms (one window at most), not per MiB.
const hostileRegexes: { name: string; pattern: string; text: string }[] = [
  { name: 'nested (.*a){50}', pattern: '(.*a){50}', text: fill('ba ') },
  { name: 'nested (.*a){50}, few a', pattern: '(.*a){50}', text: fill('abcdefghijklmnopqrstuvwxy ') },
  { name: 'nested (a+)+$', pattern: '(a+)+$', text: fill('a') },
  { name: 'nested (x+x+)+y', pattern: '(x+x+)+y', text: fill('x') },
  { name: 'alternation (a|aa|aaa|b|ab)*c', pattern: '(a|aa|aaa|b|ab)*c', text: fill('ab') },
  { name: 'alternation 12 words', pattern: '(bad|bat|bar|ban|bag|bay|cad|cat|car|can|cap|caw)+z', text: fill('badbatcatcar') },
  { name: 'counted [a-z]{1,100}q', pattern: '[a-z]{1,100}q', text: fill('abcdefghijklmnopq') },
  { name: 'counted (.{1,20}){6}!', pattern: '(.{1,20}){6}!', text: fill('hello there ') },
];

/** The longest gap between two turns of the event loop while `work` runs, and its whole time. */
async function longestStall(work: () => Promise<unknown>): Promise<{ stallMs: number; totalMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  let running = true;
  const turn = () => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  const started = performance.now();
  await work();
  const totalMs = performance.now() - started;
  running = false;
  return { stallMs: Math.max(stallMs, performance.now() - last), totalMs };
}

const bestOfThree = async (measure: () => Promise<number> | number) => {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) best = Math.min(best, await measure());
  return best;
};

console.log('');
console.log(`${'hostile input (1 MiB)'.padEnd(30)}${pad('scan ms/MiB', 13)}${pad('stall ms/MiB', 14)}${pad('256 KiB ms', 12)}${pad('matches', 10)}`);
let worstScan = 0;
let worstStall = 0;
let worstQuarter = 0;
for (const { name, text, policy } of hostile) {
  const mebibytes = text.length / MiB;
  const found = policy.scan(text).length;
  const scanMs =
    (await bestOfThree(() => {
      const started = performance.now();
      policy.scan(text);
      return performance.now() - started;
    })) / mebibytes;
  const stallMs = (await bestOfThree(async () => (await longestStall(async () => policy.scanSliced(text))).stallMs)) / mebibytes;
  const quarter = text.slice(0, MiB / 4);
  const quarterMs = await bestOfThree(async () => (await longestStall(async () => policy.scanSliced(quarter))).totalMs);
  worstScan = Math.max(worstScan, scanMs);
  worstStall = Math.max(worstStall, stallMs);
  worstQuarter = Math.max(worstQuarter, quarterMs);
  console.log(`${name.padEnd(30)}${pad(format(scanMs, 1), 13)}${pad(format(stallMs, 1), 14)}${pad(format(quarterMs, 1), 12)}${pad(format(found), 10)}`);
}
console.log(`${'worst'.padEnd(30)}${pad(format(worstScan, 1), 13)}${pad(format(worstStall, 1), 14)}${pad(format(worstQuarter, 1), 12)}`);

console.log('');
console.log(
  `${'hostile regex term'.padEnd(34)}${pad('instr.', 8)}${pad('limit KiB', 11)}${pad('scan ms', 10)}${pad('stall ms', 10)}${pad('1 MiB refused ms', 18)}${pad('matches', 9)}`,
);
let worstRegexScan = 0;
let worstRegexStall = 0;
for (const { name, pattern, text } of hostileRegexes) {
  const policy = compilePolicy(parseModerationPolicy({ blocked: [...corpus.terms, { term: pattern, regex: true }] }));
  const scanned = text.slice(0, Math.min(text.length, policy.regexTextLimit));
  const found = (await policy.scanSliced(scanned)).length;
  const scanMs = await bestOfThree(async () => (await longestStall(async () => policy.scanSliced(scanned))).totalMs);
  const stallMs = await bestOfThree(async () => (await longestStall(async () => policy.scanSliced(scanned))).stallMs);
  // A whole MiB is over the limit: refused before any matching, for the over-limit rule to decide.
  const refusedMs = await bestOfThree(async () => {
    const started = performance.now();
    try {
      await policy.scanSliced(text);
    } catch (error) {
      if (!(error instanceof RegexWorkLimitError)) throw error;
    }
    return performance.now() - started;
  });
  worstRegexScan = Math.max(worstRegexScan, scanMs);
  worstRegexStall = Math.max(worstRegexStall, stallMs);
  const instructions = RE2JS.compile(pattern).programSize();
  const limitKiB = Number.isFinite(policy.regexTextLimit) ? format(policy.regexTextLimit / 1024, 1) : '-';
  console.log(
    `${name.padEnd(34)}${pad(format(instructions), 8)}${pad(limitKiB, 11)}${pad(format(scanMs, 1), 10)}${pad(format(stallMs, 1), 10)}` +
      `${pad(format(refusedMs, 1), 18)}${pad(format(found), 9)}`,
  );
}
console.log(`${'worst'.padEnd(34)}${pad('', 8)}${pad('', 11)}${pad(format(worstRegexScan, 1), 10)}${pad(format(worstRegexStall, 1), 10)}`);
