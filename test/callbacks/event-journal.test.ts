/**
 * The local event journal on a real directory: appends come back in order across segments and
 * restarts; what the checkpoint has passed is removed (the journal does not grow while it is
 * forwarded); a torn or corrupt line, the marks of a write that was cut short, is dropped while
 * every whole line around it is kept.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalClosedError } from '#shared/events/errors.ts';
import { EventJournal, journalBacklogBytes, type JournalPosition } from '#shared/events/event-journal.ts';
import { decodeEntries, encodeEntry } from '#shared/events/journal-entry.ts';

const opened: EventJournal[] = [];
async function openJournal(directory: string, options: Parameters<typeof EventJournal.open>[1] = {}): Promise<EventJournal> {
  const journal = await EventJournal.open(directory, options);
  opened.push(journal);
  return journal;
}

afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close();
});

/** Every entry from `from` to the journal's end, and where they end. */
async function readAll(journal: EventJournal, from: JournalPosition = journal.resumeAt, maxBytes?: number) {
  const texts: string[] = [];
  let position = from;
  let droppedBytes = 0;
  let corruptLines = 0;
  for (;;) {
    const read = await journal.read(position, maxBytes);
    texts.push(...read.texts);
    droppedBytes += read.droppedBytes;
    corruptLines += read.corruptLines;
    if (read.texts.length === 0 && read.next.segment === position.segment && read.next.offset === position.offset) break;
    position = read.next;
  }
  return { texts, position, droppedBytes, corruptLines };
}

const event = (index: number) => JSON.stringify({ eventId: `event-${index}`, payload: { text: `message ${index} ü` } });
const segments = (directory: string) => readdirSync(directory).filter((name) => name.startsWith('segment-')).sort();

describe('Function: decodeEntries()', () => {
  it('returns whole lines and leaves the bytes after the last newline when a write was cut short', () => {
    // Prepare
    const whole = encodeEntry(event(1)) + encodeEntry(event(2));
    const chunk = Buffer.from(whole + encodeEntry(event(3)).slice(0, 20));

    // Act
    const decoded = decodeEntries(chunk);

    // Assess
    expect(decoded).toEqual({ texts: [event(1), event(2)], consumed: Buffer.byteLength(whole), corruptAt: [] });
  });

  it('skips a line whose checksum does not match and keeps the lines after it', () => {
    // Prepare
    const damaged = encodeEntry(event(1)).replace('message 1', 'message X');
    const chunk = Buffer.from(damaged + encodeEntry(event(2)));

    // Act
    const decoded = decodeEntries(chunk);

    // Assess
    expect(decoded.texts).toEqual([event(2)]);
    expect(decoded.corruptAt).toEqual([0]);
  });
});

describe('Class: EventJournal', () => {
  it('reads back every appended entry in order, across segments and a reopen', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'journal-'));
    const first = await openJournal(directory, { segmentBytes: 1_000 });
    for (let index = 0; index < 50; index += 1) await first.append(event(index));
    await first.close();

    // Act
    const second = await openJournal(directory, { segmentBytes: 1_000 });
    await second.append(event(50));
    const { texts } = await readAll(second, second.resumeAt, 300);

    // Assess
    expect(texts).toEqual(Array.from({ length: 51 }, (_, index) => event(index)));
    expect(segments(directory).length).toBeGreaterThan(3);
  });

  it('resumes at its checkpoint after a reopen and removes the segments forwarded before it', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'journal-'));
    const first = await openJournal(directory, { segmentBytes: 500, checkpointIntervalMs: 1 });
    for (let index = 0; index < 20; index += 1) await first.append(event(index));
    const forwarded = await readAll(first);
    first.forwarded(forwarded.position);
    for (let index = 20; index < 25; index += 1) await first.append(event(index));
    await first.close();

    // Act
    const second = await openJournal(directory);
    const { texts } = await readAll(second);

    // Assess
    expect(texts).toEqual(Array.from({ length: 5 }, (_, index) => event(20 + index)));
    expect(Number(segments(directory)[0]!.slice(8, 20))).toBe(second.resumeAt.segment);
    expect(journalBacklogBytes(directory)).toBe(Buffer.byteLength([20, 21, 22, 23, 24].map((index) => encodeEntry(event(index))).join('')));
  });

  it('keeps nothing but the segment it appends to once everything has been forwarded', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'journal-'));
    const journal = await openJournal(directory, { segmentBytes: 400, checkpointIntervalMs: 1 });
    let position = journal.resumeAt;

    // Act
    for (let round = 0; round < 20; round += 1) {
      await Promise.all(Array.from({ length: 10 }, (_, index) => journal.append(event(round * 10 + index))));
      position = (await readAll(journal, position)).position;
      journal.forwarded(position);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await journal.close();

    // Assess
    expect(segments(directory)).toHaveLength(1);
    expect(journalBacklogBytes(directory)).toBe(0);
  });

  it('drops a last line cut short by a crash and keeps every whole line before it', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'journal-'));
    const first = await openJournal(directory);
    for (let index = 0; index < 3; index += 1) await first.append(event(index));
    await first.close();
    const segment = join(directory, segments(directory)[0]!);
    const torn = encodeEntry(event(3)).slice(0, 25);
    appendFileSync(segment, torn);

    // Act
    const second = await openJournal(directory);
    await second.append(event(4));
    const read = await readAll(second);

    // Assess
    expect(read.texts).toEqual([event(0), event(1), event(2), event(4)]);
    expect(read.droppedBytes).toBe(Buffer.byteLength(torn));
  });

  it('skips a corrupt line in the middle of a segment and counts it', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'journal-'));
    const first = await openJournal(directory);
    for (let index = 0; index < 3; index += 1) await first.append(event(index));
    await first.close();
    const segment = join(directory, segments(directory)[0]!);
    writeFileSync(segment, readFileSync(segment, 'utf8').replace('message 1', 'message X'));

    // Act
    const read = await readAll(await openJournal(directory));

    // Assess
    expect(read.texts).toEqual([event(0), event(2)]);
    expect(read.corruptLines).toBe(1);
  });

  it('reads an entry larger than the read size whole', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'journal-'));
    const journal = await openJournal(directory);
    const large = JSON.stringify({ eventId: 'large', payload: 'x'.repeat(300_000) });
    await journal.append(event(0));
    await journal.append(large);

    // Act
    const { texts } = await readAll(journal, journal.resumeAt, 1_024);

    // Assess
    expect(texts).toEqual([event(0), large]);
  });

  it('refuses appends once closed', async () => {
    // Prepare
    const journal = await openJournal(mkdtempSync(join(tmpdir(), 'journal-')));
    await journal.close();

    // Act
    const appended = journal.append(event(0));

    // Assess
    await expect(appended).rejects.toBeInstanceOf(JournalClosedError);
  });

  it('starts from the oldest segment again when the checkpoint is not one it wrote', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'journal-'));
    const first = await openJournal(directory);
    await first.append(event(0));
    await first.close();
    writeFileSync(join(directory, 'checkpoint.json'), '{"segm');

    // Act
    const { texts } = await readAll(await openJournal(directory));

    // Assess
    expect(texts).toEqual([event(0)]);
    expect(existsSync(join(directory, 'checkpoint.json'))).toBe(true);
  });
});
