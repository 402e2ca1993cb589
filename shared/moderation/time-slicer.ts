/**
 * Cooperative slicing of a long synchronous job (compiling or checking 100,000 terms): the job asks
 * `due()` between units of work and, when the current slice has run `sliceMs`, awaits `yield()`, which
 * lets every pending callback and I/O run (setImmediate) before the job continues. Slices are bounded
 * by time rather than by a count of terms because a term's cost varies (phrases, look-alike
 * expansion) and so does the machine's speed.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Short enough that a callback arriving mid-job waits far less than its 300 ms budget, long enough that
 * the job's slices are not mostly overhead (measured: ~20 µs per term, so ~500 terms per slice).
 */
export const DEFAULT_SLICE_MS = 10;

/** What a resumable walk asks between units of work: whether to stop for now. */
export interface SliceClock {
  due(): boolean;
}

export class TimeSlicer implements SliceClock {
  /** How many times the job gave the event loop back. */
  yields = 0;
  private sliceStart = performance.now();

  constructor(private readonly sliceMs = DEFAULT_SLICE_MS) {}

  /** Whether the current slice has used its time. */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Lets the event loop run, then starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.yields += 1;
    this.sliceStart = performance.now();
  }
}
