/**
 * Occupies every thread of libuv's pool in this process: each opens a FIFO of its own for reading,
 * which the OS holds until a writer opens it. Whatever is handed to the pool meanwhile
 * (fs.promises, dns.lookup, crypto's and zlib's asynchronous calls) waits until `release`.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface OccupiedPool {
  /** True while a pool call made after the pool was occupied has not completed. */
  stillOccupied(): boolean;
  release(): Promise<void>;
}

/** libuv's default, unless the process was started with UV_THREADPOOL_SIZE. */
const poolSize = () => Number(process.env.UV_THREADPOOL_SIZE ?? 4);

export function occupyLibuvPool(): OccupiedPool {
  const directory = mkdtempSync(join(tmpdir(), 'libuv-pool-'));
  const fifos = Array.from({ length: poolSize() }, (_, index) => join(directory, `fifo-${index}`));
  for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  const readers = fifos.map((fifo) => open(fifo, 'r'));
  // Queued behind the readers: it completes only once one of them has let its thread go.
  let probeDone = false;
  void stat(directory).then(() => (probeDone = true));
  return {
    stillOccupied: () => !probeDone,
    async release() {
      for (const fifo of fifos) await openAsWriter(fifo);
      for (const reader of await Promise.all(readers)) await reader.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Without blocking this thread: ENXIO until the reader's open has reached the OS. */
async function openAsWriter(fifo: string): Promise<void> {
  for (;;) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
      await sleep(5);
    }
  }
}
