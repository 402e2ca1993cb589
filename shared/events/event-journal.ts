/**
 * An append-only journal of events in a directory of its own: numbered segment files of lines
 * (journal-entry.ts) and a checkpoint that says how far they have been forwarded.
 *
 *   segment-000000000001.log   forwarded, deleted once the checkpoint has passed it
 *   segment-000000000002.log   <- checkpoint.json {"segment":2,"offset":81920}: forwarding resumes here
 *   segment-000000000003.log   <- appends go to the segment this process opened (a new one per open)
 *
 * An append resolves once its line has been written to the file (the OS has it: it survives the
 * process, as fauxqs' SQLite writes do; the disk gets it when the OS writes back). The appends of
 * one turn of the event loop leave together in one `write` at its end (group commit), made on the
 * event loop itself: a write into the page cache takes microseconds, and the answer then does not
 * also wait for one of libuv's pool threads to be scheduled. After a failed write
 * the file is cut back to its last whole line, or, if that fails too, appends go on in a new
 * segment, so a line that was never acknowledged is only ever at the end of a segment, where
 * reading drops it (with its checksum, a line in the middle that does not match is skipped too).
 */
import { closeSync, existsSync, ftruncateSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../observability/logger.ts';
import { decodeEntries, encodeEntry } from './journal-entry.ts';
import { JournalClosedError } from './errors.ts';

export interface JournalPosition {
  readonly segment: number;
  /** Bytes into the segment. */
  readonly offset: number;
}

export interface EventJournalOptions {
  /** A segment is closed, and a new one begun, once it holds this many bytes. @default 8 MiB */
  readonly segmentBytes?: number;
  /** How often at most the checkpoint is written while entries are being forwarded. @default 100 */
  readonly checkpointIntervalMs?: number;
}

export interface JournalRead {
  /** The texts of whole entries, in order. */
  readonly texts: string[];
  /** Where the next read starts: after these entries. */
  readonly next: JournalPosition;
  /** Bytes dropped: a closed segment's unterminated tail, and lines that failed their checksum. */
  readonly droppedBytes: number;
  readonly corruptLines: number;
}

const SEGMENT_NAME = /^segment-(\d{12})\.log$/;
const CHECKPOINT_FILE = 'checkpoint.json';
const segmentName = (segment: number) => `segment-${String(segment).padStart(12, '0')}.log`;

interface PendingAppend {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class EventJournal {
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private appendWaiters: (() => void)[] = [];
  private closed = false;
  /** Bytes of whole lines in the segment being appended to. */
  private size = 0;
  private forwardedTo: JournalPosition;
  private checkpointed: JournalPosition;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private checkpointing: Promise<void> = Promise.resolve();
  private reader: { readonly segment: number; readonly handle: FileHandle } | undefined;
  private readonly segmentBytes: number;
  private readonly checkpointIntervalMs: number;

  private constructor(
    readonly directory: string,
    private segment: number,
    /** The file descriptor of the segment appended to. */
    private fd: number,
    /** Where forwarding resumes: the checkpoint, or the oldest segment. */
    readonly resumeAt: JournalPosition,
    options: EventJournalOptions,
  ) {
    this.forwardedTo = resumeAt;
    this.checkpointed = resumeAt;
    this.segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 100;
  }

  /** Opens the journal in `directory` (created if missing) and begins a new segment to append to. */
  static async open(directory: string, options: EventJournalOptions = {}): Promise<EventJournal> {
    await mkdir(directory, { recursive: true });
    const segments = await listSegments(directory);
    const checkpoint = await readCheckpoint(directory);
    const resumeAt = resumePosition(segments, checkpoint);
    // Segments before the checkpoint were forwarded; a crash came between the checkpoint and their removal.
    for (const segment of segments.filter((number) => number < resumeAt.segment)) await rm(join(directory, segmentName(segment)), { force: true });
    const unforwarded = segments.some((number) => number >= resumeAt.segment);
    const segment = Math.max(segments.at(-1) ?? 0, checkpoint?.segment ?? 0) + 1;
    const fd = openSync(join(directory, segmentName(segment)), 'wx');
    return new EventJournal(directory, segment, fd, unforwarded ? resumeAt : { segment, offset: 0 }, options);
  }

  /** Where the entries written so far end. */
  get end(): JournalPosition {
    return { segment: this.segment, offset: this.size };
  }

  /** Resolves once the entry is in the file; rejects with why it is not (nothing of it is then read back). */
  append(text: string): Promise<void> {
    if (this.closed) return Promise.reject(new JournalClosedError(this.directory));
    return new Promise((resolve, reject) => {
      this.pending.push({ line: encodeEntry(text), resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.writePending());
    });
  }

  /** Resolves at the next append that reaches the file, or when the journal closes. */
  nextAppend(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.appendWaiters.push(resolve));
  }

  /** Reads whole entries from `from`, about `maxBytes` of them (more when one entry is larger). */
  async read(from: JournalPosition, maxBytes = 256 * 1024): Promise<JournalRead> {
    let position = from;
    let droppedBytes = 0;
    for (;;) {
      const isCurrent = position.segment === this.segment;
      const handle = await this.readHandle(position.segment);
      if (!handle) {
        // A segment that is gone (removed by hand): the next one.
        if (position.segment >= this.segment) return { texts: [], next: position, droppedBytes, corruptLines: 0 };
        position = { segment: position.segment + 1, offset: 0 };
        continue;
      }
      const available = isCurrent ? this.size - position.offset : Number.POSITIVE_INFINITY;
      let chunkBytes = Math.min(maxBytes, available);
      for (;;) {
        if (chunkBytes <= 0) return { texts: [], next: position, droppedBytes, corruptLines: 0 };
        const buffer = Buffer.allocUnsafe(chunkBytes);
        const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position.offset);
        const chunk = buffer.subarray(0, bytesRead);
        const decoded = decodeEntries(chunk);
        const atSegmentEnd = bytesRead < chunkBytes;
        if (decoded.consumed === 0 && !atSegmentEnd) {
          // One entry longer than the chunk: read it whole.
          chunkBytes = Math.min(chunkBytes * 2, available);
          continue;
        }
        const corruptBytes = decoded.corruptAt.length > 0 ? corruptLineBytes(chunk, decoded.corruptAt) : 0;
        if (decoded.consumed > 0) {
          return {
            texts: decoded.texts,
            next: { segment: position.segment, offset: position.offset + decoded.consumed },
            droppedBytes: droppedBytes + corruptBytes,
            corruptLines: decoded.corruptAt.length,
          };
        }
        // The end of a closed segment: bytes after its last newline were never acknowledged.
        droppedBytes += bytesRead;
        position = { segment: position.segment + 1, offset: 0 };
        break;
      }
    }
  }

  /** Records that everything before `position` has been forwarded; the checkpoint follows within checkpointIntervalMs. */
  forwarded(position: JournalPosition): void {
    this.forwardedTo = position;
    this.checkpointTimer ??= setTimeout(() => {
      this.checkpointTimer = undefined;
      this.checkpointing = this.checkpointing.then(() => this.writeCheckpointOrWarn());
    }, this.checkpointIntervalMs).unref();
  }

  /** Writes what is pending, then the checkpoint, and closes the files; later appends are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writePending();
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    await this.checkpointing.then(() => this.writeCheckpointOrWarn());
    for (const resolve of this.appendWaiters.splice(0)) resolve();
    await this.reader?.handle.close();
    closeSync(this.fd);
  }

  /** Writes what this turn appended, in one `write`; answers each append after it. */
  private writePending(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const data = Buffer.from(batch.map((entry) => entry.line).join(''), 'utf8');
    try {
      writeAll(this.fd, data, this.size);
    } catch (error) {
      this.afterFailedWrite();
      for (const entry of batch) entry.reject(error as Error);
      return;
    }
    this.size += data.length;
    // Before the answers: a reader that reaches this segment's end finds the next one begun.
    if (this.size >= this.segmentBytes) this.tryBeginSegment();
    for (const entry of batch) entry.resolve();
    for (const resolve of this.appendWaiters.splice(0)) resolve();
  }

  /** Cuts off what the failed write left; where that fails, later appends go to a new segment. */
  private afterFailedWrite(): void {
    try {
      ftruncateSync(this.fd, this.size);
    } catch {
      this.tryBeginSegment();
    }
  }

  /** Closes the segment being appended to and opens the next; on failure appends stay where they were. */
  private tryBeginSegment(): void {
    let next: number;
    try {
      next = openSync(join(this.directory, segmentName(this.segment + 1)), 'wx');
    } catch {
      return;
    }
    const previous = this.fd;
    this.fd = next;
    this.segment += 1;
    this.size = 0;
    try {
      closeSync(previous);
    } catch {
      // Nothing more is written to it either way.
    }
  }

  private async readHandle(segment: number): Promise<FileHandle | undefined> {
    if (this.reader?.segment === segment) return this.reader.handle;
    await this.reader?.handle.close();
    this.reader = undefined;
    try {
      this.reader = { segment, handle: await open(join(this.directory, segmentName(segment)), 'r') };
      return this.reader.handle;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** A checkpoint that cannot be written (disk full) only means more is forwarded again after a crash. */
  private async writeCheckpointOrWarn(): Promise<void> {
    try {
      await this.writeCheckpoint();
    } catch (error) {
      logger.warn('the event journal checkpoint could not be written; the next one tries again', { directory: this.directory, error: error as Error });
    }
  }

  private async writeCheckpoint(): Promise<void> {
    const position = this.forwardedTo;
    if (position.segment === this.checkpointed.segment && position.offset === this.checkpointed.offset) return;
    const file = join(this.directory, CHECKPOINT_FILE);
    // Written beside it and renamed over it: a checkpoint is whole, the old one or the new.
    await writeFile(`${file}.tmp`, JSON.stringify(position));
    await rename(`${file}.tmp`, file);
    for (let segment = this.checkpointed.segment; segment < position.segment; segment += 1) {
      await rm(join(this.directory, segmentName(segment)), { force: true });
    }
    this.checkpointed = position;
  }
}

/**
 * Bytes journaled in `directory` and not yet forwarded as of its last checkpoint, read from the
 * files alone (for a process that watches a running server's journal, e.g. a benchmark).
 */
export function journalBacklogBytes(directory: string): number {
  if (!existsSync(directory)) return 0;
  const segments = readdirSync(directory).flatMap((name) => {
    const number = SEGMENT_NAME.exec(name)?.[1];
    return number ? [Number(number)] : [];
  });
  const resumeAt = resumePosition(segments.sort((a, b) => a - b), parseCheckpoint(readFileSyncOrUndefined(join(directory, CHECKPOINT_FILE))));
  return segments
    .filter((segment) => segment >= resumeAt.segment)
    .reduce((bytes, segment) => {
      const size = statSync(join(directory, segmentName(segment)), { throwIfNoEntry: false })?.size ?? 0;
      return bytes + (segment === resumeAt.segment ? Math.max(size - resumeAt.offset, 0) : size);
    }, 0);
}

async function listSegments(directory: string): Promise<number[]> {
  return (await readdir(directory))
    .flatMap((name) => {
      const number = SEGMENT_NAME.exec(name)?.[1];
      return number ? [Number(number)] : [];
    })
    .sort((a, b) => a - b);
}

async function readCheckpoint(directory: string): Promise<JournalPosition | undefined> {
  try {
    return parseCheckpoint(await readFile(join(directory, CHECKPOINT_FILE), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function readFileSyncOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The checkpoint's position; anything else counts as none, so forwarding starts from the oldest segment (again). */
function parseCheckpoint(text: string | undefined): JournalPosition | undefined {
  if (text === undefined) return undefined;
  try {
    const { segment, offset } = JSON.parse(text) as Partial<JournalPosition>;
    return Number.isSafeInteger(segment) && Number.isSafeInteger(offset) ? { segment: segment!, offset: offset! } : undefined;
  } catch {
    return undefined;
  }
}

/** The checkpoint if its segment is still there; past it, the first segment after it; else the oldest. */
function resumePosition(segments: readonly number[], checkpoint: JournalPosition | undefined): JournalPosition {
  const oldest = { segment: segments[0] ?? 1, offset: 0 };
  if (!checkpoint) return oldest;
  if (segments.includes(checkpoint.segment)) return checkpoint;
  const after = segments.find((segment) => segment > checkpoint.segment);
  return after === undefined ? { segment: checkpoint.segment, offset: 0 } : { segment: after, offset: 0 };
}

function writeAll(fd: number, data: Buffer, position: number): void {
  for (let written = 0; written < data.length; ) {
    written += writeSync(fd, data, written, data.length - written, position + written);
  }
}

/** Bytes of the lines at `offsets` (each up to and including its newline). */
function corruptLineBytes(chunk: Buffer, offsets: readonly number[]): number {
  return offsets.reduce((bytes, offset) => bytes + chunk.indexOf(0x0a, offset) + 1 - offset, 0);
}
