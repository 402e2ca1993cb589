/** Fails any test during which the network guard refused a connection, even if the code under test swallowed it. */
import { afterEach, expect } from 'vitest';
// @ts-expect-error a plain module, shared with the processes the tests start
import { refusedHosts } from './network-guard.mjs';

afterEach(() => {
  const refused = (refusedHosts as string[]).splice(0);
  expect(refused, 'the test tried to reach hosts outside this machine').toEqual([]);
});
