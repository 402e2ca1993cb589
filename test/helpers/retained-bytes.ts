/**
 * Bytes a process retains after a full garbage collection: the heap plus typed-array storage, which V8
 * keeps outside the heap (a policy in typed arrays would look free by `heapUsed` alone).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export function retainedBytes(): number {
  collectGarbage();
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}
