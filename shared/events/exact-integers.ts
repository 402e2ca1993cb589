/**
 * JSON numbers are IEEE doubles in JavaScript, so an int64 above 2^53 that a Go sender wrote
 * (a client-chosen `sendTime`, for one) loses its last digits in JSON.parse. This parse keeps
 * them: it returns the usual value and, for each integer that a double cannot hold exactly, its
 * digits as written, by JSON Pointer (RFC 6901) into that value. Uses JSON.parse's source text
 * access (the reviver's third argument, Node 21+).
 */

/** Digits as written, by JSON Pointer, of every integer beyond 2^53 in magnitude. */
export type ExactIntegers = Record<string, string>;

const INTEGER_LITERAL = /^-?\d+$/;

/** Stands in for an unsafe integer until the walk records where it was. */
class UnsafeInteger {
  constructor(
    readonly digits: string,
    readonly value: number,
  ) {}
}

/**
 * 2^53 has 16 digits, and a JSON number starts the text or follows `:`, `[` or `,`: a text with no
 * run of 16 digits there holds no unsafe integer. Digits inside strings do not count, since
 * OpenIM's operationID (19 digits) in every body would otherwise send each one the slow way;
 * a string that happens to hold `:` and 16 digits only costs that one body the reviver.
 */
const SIXTEEN_DIGIT_NUMBER = /(?:^|[:,[])\s*-?\d{16}/;

/** JSON.parse, plus the exact digits of its unsafe integers (empty when there are none). Throws as JSON.parse does. */
export function parseJsonWithExactIntegers(text: string): { value: unknown; exactIntegers: ExactIntegers } {
  // The reviver costs a call per value and its source text: most bodies can do without it.
  if (!SIXTEEN_DIGIT_NUMBER.test(text)) return { value: JSON.parse(text), exactIntegers: {} };
  let found = false;
  const value: unknown = JSON.parse(text, (_key, parsed: unknown, context?: { source?: string }) => {
    if (typeof parsed !== 'number' || Number.isSafeInteger(parsed) || !context?.source || !INTEGER_LITERAL.test(context.source)) return parsed;
    found = true;
    return new UnsafeInteger(context.source, parsed);
  });
  const exactIntegers: ExactIntegers = {};
  return { value: found ? replaceUnsafeIntegers(value, '', exactIntegers) : value, exactIntegers };
}

function replaceUnsafeIntegers(value: unknown, pointer: string, exactIntegers: ExactIntegers): unknown {
  if (value instanceof UnsafeInteger) {
    exactIntegers[pointer] = value.digits;
    return value.value;
  }
  if (Array.isArray(value)) return value.map((item, index) => replaceUnsafeIntegers(item, `${pointer}/${index}`, exactIntegers));
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) object[key] = replaceUnsafeIntegers(object[key], `${pointer}/${escapePointerToken(key)}`, exactIntegers);
  }
  return value;
}

/** RFC 6901: `~` becomes `~0` and `/` becomes `~1`. */
function escapePointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
