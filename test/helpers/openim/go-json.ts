/**
 * Go's encoding/json as OpenIM uses it, for contract tests: the encoder that writes callback bodies
 * (json.NewEncoder: HTML-escaped, trailing newline) and the decoder that reads our reply into a fresh
 * response struct (json.Unmarshal: keys matched case-insensitively, the last duplicate wins, unknown
 * keys ignored, null leaves a value field at its zero value and a pointer nil, and a value of the
 * wrong type fails the whole reply, which OpenIM turns into 90007).
 */

/** Go's json.NewEncoder(w).Encode(v) for values built from JS objects (no NaN, no undefined). */
export function goEncode(value: unknown): string {
  const escaped = JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${escaped}\n`;
}

/** A Go type in a response struct. Objects are nested structs; pointers decode `null` as nil. */
export type GoType =
  | 'string'
  | 'int32'
  | 'bool'
  | '*string'
  | '*int32'
  | '*int64'
  | '*bool'
  | '[]string'
  | '*[]string'
  | '*map[string]bool'
  | '*[]byte'
  | 'wrapperString'
  | 'wrapperInt32'
  | { readonly pointer: boolean; readonly struct: GoStruct }
  | { readonly slice: { readonly pointer: boolean; readonly struct: GoStruct } };

export type GoStruct = Readonly<Record<string, GoType>>;

export class GoDecodeError extends Error {
  constructor(path: string, why: string) {
    super(`json: cannot unmarshal ${path}: ${why}`);
    this.name = 'GoDecodeError';
  }
}

const VALUE_TYPES: ReadonlySet<GoType> = new Set<GoType>(['string', 'int32', 'bool']);

function isValueType(type: GoType): boolean {
  return VALUE_TYPES.has(type) || (typeof type === 'object' && 'struct' in type && !type.pointer);
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** json.Unmarshal(body, &fresh) of a response struct; nil pointers are `null` in the result. */
export function goDecode(body: string, struct: GoStruct): Record<string, unknown> {
  if (body.trim() === '') throw new GoDecodeError('body', 'unexpected end of JSON input');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new GoDecodeError('body', (error as Error).message);
  }
  if (parsed === null) return zeroStruct(struct);
  return decodeStruct(parsed, struct, '');
}

function zeroStruct(struct: GoStruct): Record<string, unknown> {
  return Object.fromEntries(Object.entries(struct).map(([key, type]) => [key, zeroOf(type)]));
}

function zeroOf(type: GoType): unknown {
  if (type === 'string') return '';
  if (type === 'int32') return 0;
  if (type === 'bool') return false;
  return null;
}

function decodeStruct(value: unknown, struct: GoStruct, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GoDecodeError(path || 'body', 'not an object');
  const result = zeroStruct(struct);
  // encoding/json folds case; with several spellings of one key the last in the body wins.
  for (const [key, raw] of Object.entries(value)) {
    const field = Object.keys(struct).find((name) => name.toLowerCase() === key.toLowerCase());
    if (field === undefined) continue;
    if (raw === null) {
      // null leaves a value at its zero value and makes a pointer, slice or wrapper nil.
      if (!isValueType(struct[field]!)) result[field] = null;
      continue;
    }
    result[field] = decodeValue(raw, struct[field]!, `${path}${field}`);
  }
  return result;
}

function decodeValue(raw: unknown, type: GoType, path: string): unknown {
  if (typeof type === 'object') {
    if ('slice' in type) {
      if (!Array.isArray(raw)) throw new GoDecodeError(path, 'not an array');
      return raw.map((item, index) => (item === null ? (type.slice.pointer ? null : zeroStruct(type.slice.struct)) : decodeStruct(item, type.slice.struct, `${path}[${index}].`)));
    }
    return decodeStruct(raw, type.struct, `${path}.`);
  }
  switch (type) {
    case 'string':
    case '*string':
    case 'wrapperString':
      if (typeof raw !== 'string') throw new GoDecodeError(path, 'not a string');
      return raw;
    case 'int32':
    case '*int32':
    case 'wrapperInt32':
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < INT32.min || raw > INT32.max) throw new GoDecodeError(path, 'not an int32');
      return raw;
    case '*int64':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw new GoDecodeError(path, 'not an int64');
      return raw;
    case 'bool':
    case '*bool':
      if (typeof raw !== 'boolean') throw new GoDecodeError(path, 'not a bool');
      return raw;
    case '[]string':
    case '*[]string':
      if (!Array.isArray(raw) || raw.some((item) => item !== null && typeof item !== 'string')) throw new GoDecodeError(path, 'not a list of strings');
      return raw.map((item) => item ?? '');
    case '*map[string]bool':
      if (typeof raw !== 'object' || Array.isArray(raw) || Object.values(raw as object).some((item) => typeof item !== 'boolean')) throw new GoDecodeError(path, 'not a map of bools');
      return raw;
    case '*[]byte':
      if (typeof raw === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(raw) && raw.length % 4 === 0) return raw;
      if (Array.isArray(raw) && raw.every((item) => Number.isInteger(item) && item >= 0 && item <= 255)) return raw;
      throw new GoDecodeError(path, 'not base64 bytes');
  }
}
