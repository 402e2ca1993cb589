/**
 * One line of the event journal (event-journal.ts): `<CRC-32 of the text, 8 hex digits> <text>\n`.
 * The text is an event's JSON, which never holds a raw newline. The checksum tells a whole line
 * from one a failed or interrupted write left behind: a line whose bytes do not match it, or the
 * bytes after a segment's last newline, were never acknowledged and are dropped on reading.
 */
import { crc32 } from 'node:zlib';

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CHECKSUM_DIGITS = 8;

export function encodeEntry(text: string): string {
  return `${crc32(text).toString(16).padStart(CHECKSUM_DIGITS, '0')} ${text}\n`;
}

export interface DecodedEntries {
  /** The texts of the whole lines whose checksum matched, in order. */
  readonly texts: string[];
  /** Bytes up to and including the last newline: what the next read starts after. */
  readonly consumed: number;
  /** Offsets in the chunk of lines that ended with a newline but failed their checksum. */
  readonly corruptAt: number[];
}

/** The entries of `chunk` up to its last newline; the bytes after it are left for the caller. */
export function decodeEntries(chunk: Buffer): DecodedEntries {
  const texts: string[] = [];
  const corruptAt: number[] = [];
  let start = 0;
  for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
    const text = entryText(chunk, start, end);
    if (text === undefined) corruptAt.push(start);
    else texts.push(text);
    start = end + 1;
  }
  return { texts, consumed: start, corruptAt };
}

function entryText(chunk: Buffer, start: number, end: number): string | undefined {
  if (end - start <= CHECKSUM_DIGITS || chunk[start + CHECKSUM_DIGITS] !== SPACE) return undefined;
  const expected = Number.parseInt(chunk.toString('latin1', start, start + CHECKSUM_DIGITS), 16);
  const text = chunk.subarray(start + CHECKSUM_DIGITS + 1, end);
  return crc32(text) === expected ? text.toString('utf8') : undefined;
}
