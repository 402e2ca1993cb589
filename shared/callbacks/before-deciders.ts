/**
 * The deciders this deployment runs, per before-command. Each capability adds its entries here;
 * commands without one continue unchanged.
 */
import type { BeforeDeciders } from './before-decisions.ts';

export function createBeforeDeciders(): BeforeDeciders {
  return {};
}
