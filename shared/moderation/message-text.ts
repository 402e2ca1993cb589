/**
 * The texts an OpenIM message carries, and masking them inside the message's content JSON.
 * Content shapes: ../shared/openim-callbacks.md §4 ("`content` shapes").
 */
import { decodeJsonString, topLevelStringFields, type DecodedJsonString } from '#shared/moderation/json-string.ts';
import type { CompiledPolicy, TermMatch } from '#shared/moderation/matcher.ts';
import { scanTexts } from '#shared/moderation/scan-texts.ts';
import type { MatchScope } from '#shared/moderation/term-entry.ts';
import { TimeSlicer } from '#shared/moderation/time-slicer.ts';

/** Top-level content keys that hold user text, per content type; other types carry no text. */
export const TEXT_FIELDS: Readonly<Record<number, readonly string[]>> = {
  101: ['content'], // Text
  106: ['text'], // AtText
  // Custom: `data` is often a JSON string of the app's own; it is read (and masked) as plain text.
  110: ['data', 'description', 'extension'],
  114: ['text'], // Quote
  117: ['text'], // AdvancedText
  118: ['content'], // MarkdownText
};

const fieldSets = new Map(Object.entries(TEXT_FIELDS).map(([type, keys]) => [Number(type), new Set(keys)]));

function parseObject(content: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(content);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The texts of a message, in field order; [] for unparseable content and types without text. */
export function readMessageTexts(contentType: number, content: string): string[] {
  const fields = TEXT_FIELDS[contentType];
  if (fields === undefined) return [];
  const parsed = parseObject(content);
  if (parsed === undefined) return [];
  const texts: string[] = [];
  for (const field of fields) {
    const value = Object.hasOwn(parsed, field) ? parsed[field] : undefined;
    if (typeof value === 'string') texts.push(value);
  }
  return texts;
}

export interface MaskedContent {
  /** `content` with every masked character replaced by `*`; every other character kept as it was. */
  readonly content: string;
  /** The `masked` matches, with start/end as UTF-16 offsets in the input `content` (escapes included). */
  readonly masked: TermMatch[];
}

/**
 * Replaces each character of every `masked` match inside the text fields of `content` with `*`: one
 * `*` per code point, so an escape (`\u0062`, `\n`) or an escaped surrogate pair becomes a single `*`.
 * Nothing is re-serialised, so the result is valid JSON whenever `content` was. Unparseable content
 * and types without text come back unchanged. The texts are scanned in time slices (`scanTexts`):
 * the result comes at once when they fit in their slices, else as a promise.
 * @throws RegexWorkLimitError as `scanSliced` does (or the promise rejects with it).
 */
export function maskMessageContent(
  contentType: number,
  content: string,
  compiled: CompiledPolicy,
  scope: MatchScope = {},
  slicer = new TimeSlicer(),
): MaskedContent | Promise<MaskedContent> {
  const keys = fieldSets.get(contentType);
  if (keys === undefined || parseObject(content) === undefined) return { content, masked: [] };
  const decoded = topLevelStringFields(content, keys).map((token) => decodeJsonString(content, token));
  const scanned = scanTexts(compiled, decoded.map((text) => text.value), scope, slicer);
  if (scanned instanceof Promise) return scanned.then((matches) => maskedIn(content, decoded, matches));
  return maskedIn(content, decoded, scanned);
}

/** `content` with each decoded text's `masked` matches (`scanned`, per text) replaced. */
function maskedIn(content: string, decoded: readonly DecodedJsonString[], scanned: readonly TermMatch[][]): MaskedContent {
  const masked: TermMatch[] = [];
  const replaced: [start: number, end: number][] = [];
  for (let index = 0; index < decoded.length; index++) {
    const text = decoded[index]!;
    const matches = scanned[index]!.filter((match) => match.action === 'masked');
    if (matches.length === 0) continue;
    const hit = new Uint8Array(text.value.length);
    for (const match of matches) {
      hit.fill(1, match.start, match.end);
      masked.push({ ...match, start: text.rawStart[match.start]!, end: text.rawEnd[match.end - 1]! });
    }
    for (let i = 0; i < hit.length; i++) {
      if (hit[i] === 0) continue;
      const pair = isHighSurrogate(text.value, i) && i + 1 < hit.length && isLowSurrogate(text.value, i + 1);
      replaced.push([text.rawStart[i]!, text.rawEnd[pair ? ++i : i]!]);
    }
  }
  if (replaced.length === 0) return { content, masked };
  let result = '';
  let from = 0;
  for (const [start, end] of replaced) {
    result += `${content.slice(from, start)}*`;
    from = end;
  }
  return { content: result + content.slice(from), masked };
}

const isHighSurrogate = (text: string, i: number) => (text.charCodeAt(i) & 0xfc00) === 0xd800;
const isLowSurrogate = (text: string, i: number) => (text.charCodeAt(i) & 0xfc00) === 0xdc00;
