/**
 * Finds and decodes JSON string values in place, so that characters can be replaced in the original
 * JSON text without re-serialising it (`JSON.stringify` would change escapes, spacing and key order).
 * The JSON text must already be known to be valid (`JSON.parse` succeeded); these helpers do not validate.
 */

/** A string token in a JSON text: `[start, end)` includes the quotes. */
export interface JsonStringToken {
  readonly start: number;
  readonly end: number;
}

/** A decoded string with, per UTF-16 unit of `value`, the raw range in the JSON text it came from. */
export interface DecodedJsonString {
  readonly value: string;
  readonly rawStart: Int32Array;
  readonly rawEnd: Int32Array;
}

const isWhitespace = (char: string | undefined) => char === ' ' || char === '\t' || char === '\n' || char === '\r';

function skipWhitespace(json: string, i: number): number {
  while (isWhitespace(json[i])) i++;
  return i;
}

/** `i` is at the opening quote; returns the index after the closing quote. */
function skipString(json: string, i: number): number {
  for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
  return i + 1;
}

function skipValue(json: string, i: number): number {
  const first = json[i];
  if (first === '"') return skipString(json, i);
  if (first !== '{' && first !== '[') {
    while (i < json.length && !isWhitespace(json[i]) && json[i] !== ',' && json[i] !== '}' && json[i] !== ']') i++;
    return i;
  }
  let depth = 0;
  do {
    const char = json[i];
    if (char === '"') {
      i = skipString(json, i);
      continue;
    }
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    i++;
  } while (depth > 0);
  return i;
}

/**
 * The string values of the top-level object's members whose (decoded) key is in `keys`, in document
 * order. Every member is returned, duplicates included, so that masking covers whichever one a reader
 * keeps. Returns [] when the top level is not an object.
 */
export function topLevelStringFields(json: string, keys: ReadonlySet<string>): JsonStringToken[] {
  const tokens: JsonStringToken[] = [];
  let i = skipWhitespace(json, 0);
  if (json[i] !== '{') return tokens;
  i = skipWhitespace(json, i + 1);
  while (json[i] === '"') {
    const keyEnd = skipString(json, i);
    const key = JSON.parse(json.slice(i, keyEnd)) as string;
    i = skipWhitespace(json, skipWhitespace(json, keyEnd) + 1); // past the colon
    const valueEnd = skipValue(json, i);
    if (json[i] === '"' && keys.has(key)) tokens.push({ start: i, end: valueEnd });
    i = skipWhitespace(json, valueEnd);
    if (json[i] === ',') i = skipWhitespace(json, i + 1);
  }
  return tokens;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Decodes one string token; an escape (`\n`, `\u0062`) is one unit whose raw range is the whole escape. */
export function decodeJsonString(json: string, token: JsonStringToken): DecodedJsonString {
  const capacity = token.end - token.start;
  const rawStart = new Int32Array(capacity);
  const rawEnd = new Int32Array(capacity);
  const units: number[] = [];
  for (let i = token.start + 1; i < token.end - 1; ) {
    const from = i;
    let unit: number;
    if (json[i] === '\\') {
      const escape = json[i + 1]!;
      if (escape === 'u') {
        unit = Number.parseInt(json.slice(i + 2, i + 6), 16);
        i += 6;
      } else {
        unit = SIMPLE_ESCAPES[escape]!.charCodeAt(0);
        i += 2;
      }
    } else unit = json.charCodeAt(i++);
    rawStart[units.length] = from;
    rawEnd[units.length] = i;
    units.push(unit);
  }
  let value = '';
  for (let k = 0; k < units.length; k += 4096) value += String.fromCharCode(...units.slice(k, k + 4096));
  return { value, rawStart: rawStart.subarray(0, units.length), rawEnd: rawEnd.subarray(0, units.length) };
}
