/**
 * Presence over real HTTP against the real local server: OpenIM-shaped online / offline /
 * kick-off callbacks flow through SNS -> the presence queue -> the presence worker -> dynalite,
 * and are read back through the operator API. The expected state is computed independently
 * (bench/presence-stream.ts) from the generated timelines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPresenceStream,
  KICKOFF,
  OFFLINE,
  ONLINE,
  presenceMismatches,
  readPresence,
  sendConcurrently,
  waitForDrain,
  type StreamEvent,
} from '../../bench/presence-stream.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

const status = (command: string, userID: string, platformID: number, seq: number, extra: Record<string, unknown> = {}): StreamEvent => ({
  command,
  body: `${JSON.stringify({ callbackCommand: command, operationID: 'p_1_1', platformID, platform: 'Android', userID, seq, connID: '', ...extra })}\n`,
});

describe('Presence over HTTP', () => {
  let server: RunningServer;
  let api: string;

  beforeAll(async () => {
    server = await startLocalServer();
    api = `${server.url}/api`;
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function deliver(events: readonly StreamEvent[]) {
    expect(await sendConcurrently(server.webhookBase, events)).toBe(0);
    await waitForDrain(server.messagingEndpoint, 'presence');
  }

  async function presenceOf(userID: string) {
    const response = await fetch(`${api}/presence/${encodeURIComponent(userID)}`, { headers: { authorization: `Bearer ${server.apiToken}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as { online: boolean; platforms: { platformID: number }[]; lastSeen: string | null; isAppBackground: boolean };
  }

  // 2,000+ after-callbacks, each persisted before it is answered: over 30 s on a loaded 2-core machine.
  it('ends exactly in the expected state when hundreds of users\' shuffled streams arrive through two concurrent senders, with duplicates and kick-offs', async () => {
    // Prepare
    const stream = buildPresenceStream({
      users: 200,
      platformsPerUser: 3,
      eventsPerPlatform: 3,
      duplicateShare: 0.2,
      kickOffShare: 0.1,
      startAt: Date.now() - 10 * 60_000,
      userPrefix: 'shuffled-',
      seed: 5,
    });

    // Act
    await deliver(stream.events);
    const served = await readPresence(api, server.apiToken, [...stream.expected.keys()]);

    // Assess
    expect(served).toHaveLength(200);
    expect(presenceMismatches(stream.expected, served)).toEqual([]);
    expect(served.filter((user) => user.online).length).toBeGreaterThan(50);
    expect(served.filter((user) => !user.online).length).toBeGreaterThan(10);
  }, 120_000);

  it('keeps the connection ended when its offline arrives before its online (tombstone)', async () => {
    // Prepare
    const at = Date.now() - 60_000;

    // Act
    await deliver([status(OFFLINE, 'tomb', 2, at + 1_000)]);
    await deliver([status(ONLINE, 'tomb', 2, at, { isAppBackground: false })]);

    // Assess
    expect(await presenceOf('tomb')).toEqual({
      userID: 'tomb',
      online: false,
      platforms: [],
      lastSeen: new Date(at + 1_000).toISOString(),
      isAppBackground: false,
    });
  });

  it('changes nothing when the same event is delivered again after newer ones', async () => {
    // Prepare
    const at = Date.now() - 60_000;
    const online = status(ONLINE, 'dup', 5, at, { isAppBackground: false });
    await deliver([online, status(OFFLINE, 'dup', 5, at + 10), status(ONLINE, 'dup', 5, at + 20, { isAppBackground: true })]);

    // Act
    await deliver([online, online, status(OFFLINE, 'dup', 5, at + 10)]);

    // Assess
    const presence = await presenceOf('dup');
    expect(presence.online).toBe(true);
    expect(presence.isAppBackground).toBe(true);
    expect(presence.lastSeen).toBe(new Date(at + 20).toISOString());
  });

  it('ends every platform connected up to a kick-off, and keeps later connections', async () => {
    // Prepare
    const at = Date.now() - 60_000;
    const events = [
      status(ONLINE, 'kicked', 1, at, { isAppBackground: false }),
      status(ONLINE, 'kicked', 2, at + 100, { isAppBackground: false }),
      status(ONLINE, 'kicked', 5, at + 300, { isAppBackground: false }),
      status(KICKOFF, 'kicked', 3, at + 200),
    ];

    // Act
    await deliver(events.reverse());

    // Assess
    const presence = await presenceOf('kicked');
    expect(presence.online).toBe(true);
    expect(presence.platforms.map((p) => p.platformID)).toEqual([5]);
  });

  it.each([
    { case: 'was renewed 29 minutes ago', minutesAgo: 29, online: true },
    { case: 'was last renewed 31 minutes ago (lost offline)', minutesAgo: 31, online: false },
  ])('counts a platform that $case as online: $online', async ({ minutesAgo, online }) => {
    // Prepare
    const userID = `expiry-${minutesAgo}`;
    const at = Date.now() - minutesAgo * 60_000;

    // Act
    await deliver([status(ONLINE, userID, 2, at, { isAppBackground: false })]);

    // Assess
    const presence = await presenceOf(userID);
    expect(presence.online).toBe(online);
    expect(presence.lastSeen).toBe(new Date(at).toISOString());
  });

  it.each([
    { case: 'no user IDs', body: { userIDs: [] } },
    { case: '101 user IDs', body: { userIDs: Array.from({ length: 101 }, (_, i) => `u${i}`) } },
    { case: 'a body that is not the batch shape', body: { users: ['a'] } },
  ])('refuses a batch with $case (400)', async ({ body }) => {
    // Act
    const response = await fetch(`${api}/presence:batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

    // Assess
    expect(response.status).toBe(400);
  });
});
