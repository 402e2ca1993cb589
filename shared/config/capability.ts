/**
 * A capability whose settings a deployment may leave incomplete: on with its settings, or off with
 * the reason. A Lambda that throws at module load fails every invocation, including those that
 * need nothing of the capability, so incomplete settings switch it off instead: one log line at
 * start says why, and whatever asks for the capability is answered with that reason.
 */
import { logger } from '../observability/logger.ts';
import { InvalidConfigError } from './errors.ts';

export type Capability<T> = { readonly on: true; readonly settings: T } | { readonly on: false; readonly reason: string };

/** Off, with one warning naming the capability and the reason. */
export function capabilityOff<T>(name: string, reason: string): Capability<T> {
  logger.warn(`${name} is off: ${reason}`, { capability: name, reason });
  return { on: false, reason };
}

/** On with what `load` returns; off when it finds the settings invalid (any other error is a bug and propagates). */
export function loadCapability<T>(name: string, load: () => T): Capability<T> {
  try {
    return { on: true, settings: load() };
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    return capabilityOff(name, error.problems);
  }
}
