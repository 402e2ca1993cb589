import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain module, shared with the processes the tests start
import { refusedHosts } from './network-guard.mjs';

describe('Test set-up: network guard', () => {
  it('refuses a host outside this machine, by name and by address, and records it', async () => {
    // Act
    const byName = fetch('http://sns.us-east-1.amazonaws.com/').catch((error: Error) => error);
    const byAddress = fetch('http://192.0.2.1:65530/').catch((error: Error) => error);

    // Assess
    expect(String(((await byName) as Error).cause)).toMatch(/network guard/);
    expect(String(((await byAddress) as Error).cause)).toMatch(/network guard/);
    expect((refusedHosts as string[]).splice(0)).toEqual(['sns.us-east-1.amazonaws.com', '192.0.2.1']);
  });

  it('lets loopback through', async () => {
    // Act
    const error = await fetch('http://127.0.0.1:65530/').catch((failure: Error) => failure);

    // Assess: refused by the (closed) port, not by the guard
    expect(String((error as Error).cause)).not.toMatch(/network guard/);
  });

  it('guards the Node processes a test starts', () => {
    // Act
    const child = spawnSync(process.execPath, ['-e', "require('node:dns').lookup('example.com', (e) => console.log(e && e.message))"], { encoding: 'utf8' });

    // Assess
    expect(child.stdout).toMatch(/network guard/);
  });
});
