/**
 * Shuffled OpenIM presence streams with their expected outcome, for the presence tests and
 * `bench:presence`. The expected state is computed here from the generated timelines alone, with
 * none of the service's presence code, so that a comparison checks the service independently.
 *
 * Per user and platform: a timeline of online / offline events at increasing times (with
 * renewals: an online after an online); optionally a kick-off per user. The stream is every
 * event, plus exact duplicates, shuffled, and sent the way OpenIM sends them: one body per
 * platform, `seq` = event time in unix ms, `connID` empty.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Agent, request } from 'node:http';
import { seededRandom } from './seeded-random.ts';

export const ONLINE = 'callbackAfterUserOnlineCommand';
export const OFFLINE = 'callbackAfterUserOfflineCommand';
export const KICKOFF = 'callbackAfterUserKickOffCommand';

const PLATFORM_NAMES: Record<number, string> = { 1: 'IOS', 2: 'Android', 3: 'Windows', 4: 'OSX', 5: 'Web', 7: 'Linux', 9: 'iPad' };
const PLATFORM_IDS = Object.keys(PLATFORM_NAMES).map(Number);

export interface StreamEvent {
  readonly command: string;
  readonly body: string;
}

export interface ExpectedPresence {
  readonly userID: string;
  readonly online: boolean;
  readonly platformIDs: readonly number[];
  readonly lastSeen: string | null;
  readonly isAppBackground: boolean;
}

export interface PresenceStream {
  readonly events: readonly StreamEvent[];
  readonly expected: ReadonlyMap<string, ExpectedPresence>;
}

export interface StreamOptions {
  readonly users: number;
  readonly platformsPerUser: number;
  /** Events per (user, platform), at least 1. */
  readonly eventsPerPlatform: number;
  /** Share of events sent twice, 0..1. */
  readonly duplicateShare: number;
  /** If set, duplicates are chosen to make the stream exactly this long (at least the unique events). */
  readonly totalEvents?: number;
  /** Share of users who also get a kick-off in the middle of their timelines, 0..1. */
  readonly kickOffShare?: number;
  /** Unix ms of the first event; keep it within the expiry window of now. */
  readonly startAt: number;
  readonly userPrefix: string;
  /** Seeded, so a failing run can be repeated. */
  readonly seed: number;
}

export function buildPresenceStream(options: StreamOptions): PresenceStream {
  const random = seededRandom(options.seed);
  const events: StreamEvent[] = [];
  const expected = new Map<string, ExpectedPresence>();
  for (let u = 0; u < options.users; u += 1) {
    const userID = `${options.userPrefix}${u}`;
    const platforms = shuffle([...PLATFORM_IDS], random).slice(0, options.platformsPerUser);
    const last = new Map<number, { online: boolean; at: number; background: boolean }>();
    let latestTime = options.startAt;
    for (const platformID of platforms) {
      let at = options.startAt + Math.floor(random() * 1_000);
      for (let e = 0; e < options.eventsPerPlatform; e += 1) {
        at += 1 + Math.floor(random() * 5_000);
        const online = random() < 0.55;
        const background = online && random() < 0.3;
        events.push(statusEvent(online ? ONLINE : OFFLINE, userID, platformID, at, background));
        last.set(platformID, { online, at, background });
        latestTime = Math.max(latestTime, at);
      }
    }
    let kickedAt: number | undefined;
    if (random() < (options.kickOffShare ?? 0)) {
      kickedAt = options.startAt + Math.floor(random() * (latestTime - options.startAt));
      events.push({ command: KICKOFF, body: `${JSON.stringify({ callbackCommand: KICKOFF, operationID: `p_1_${events.length}`, platformID: platforms[0], platform: PLATFORM_NAMES[platforms[0]!], userID, seq: kickedAt })}\n` });
    }
    const live = [...last.entries()].filter(([, state]) => state.online && (kickedAt === undefined || state.at > kickedAt));
    const ended = [...last.values()].filter((state) => !live.some(([, l]) => l === state)).map((state) => state.at);
    if (kickedAt !== undefined) ended.push(kickedAt);
    const lastSeen = live.length > 0 ? Math.max(...live.map(([, s]) => s.at)) : ended.length > 0 ? Math.max(...ended) : undefined;
    expected.set(userID, {
      userID,
      online: live.length > 0,
      platformIDs: live.map(([id]) => id).sort((a, b) => a - b),
      lastSeen: lastSeen === undefined ? null : new Date(lastSeen).toISOString(),
      isAppBackground: live.some(([, s]) => s.background),
    });
  }
  const duplicates =
    options.totalEvents === undefined
      ? events.filter(() => random() < options.duplicateShare)
      : shuffle([...events], random).slice(0, Math.max(0, options.totalEvents - events.length));
  return { events: shuffle([...events, ...duplicates], random), expected };
}

function statusEvent(command: string, userID: string, platformID: number, at: number, background: boolean): StreamEvent {
  const body: Record<string, unknown> = { callbackCommand: command, operationID: `p_1_${at}`, platformID, platform: PLATFORM_NAMES[platformID], userID, seq: at };
  if (command === ONLINE) body.isAppBackground = background;
  body.connID = '';
  return { command, body: `${JSON.stringify(body)}\n` };
}

/** Sends the stream through `senders` concurrent keep-alive connections (OpenIM's two webhook workers), each taking the next event. */
export async function sendConcurrently(webhookBase: string, events: readonly StreamEvent[], senders = 2): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: senders });
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let i = next++; i < events.length; i = next++) {
        const ok = await postOnce(agent, `${webhookBase}/${events[i]!.command}`, events[i]!.body);
        if (!ok) failed += 1;
      }
    }),
  );
  agent.destroy();
  return failed;
}

/** POSTs one callback; true when it was acknowledged (200 with a "continue" reply). */
export function postOnce(agent: Agent, url: string, body: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(res.statusCode === 200 && JSON.parse(Buffer.concat(chunks).toString('utf8')).nextCode === 0));
      // A connection cut mid-answer (the server killed) is an unacknowledged callback, not a crash here.
      res.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}


/** Waits until the queue holds nothing visible or in flight (twice in a row, the poller may be mid-batch). */
export async function waitForDrain(messagingEndpoint: string, queueName: string, timeoutMs = 60_000): Promise<void> {
  const sqs = new SQSClient({ endpoint: messagingEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const deadline = Date.now() + timeoutMs;
  let emptyChecks = 0;
  while (emptyChecks < 2) {
    if (Date.now() > deadline) throw new Error(`queue ${queueName} did not drain within ${timeoutMs} ms`);
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    const left = Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    emptyChecks = left === 0 ? emptyChecks + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  sqs.destroy();
}

export interface ServedPresence {
  readonly userID: string;
  readonly online: boolean;
  readonly platforms: readonly { readonly platformID: number }[];
  readonly lastSeen: string | null;
  readonly isAppBackground: boolean;
}

/** Reads every user through `POST /api/presence:batch`, 100 at a time. */
export async function readPresence(apiBase: string, apiToken: string, userIDs: readonly string[]): Promise<ServedPresence[]> {
  const users: ServedPresence[] = [];
  for (let i = 0; i < userIDs.length; i += 100) {
    const response = await fetch(`${apiBase}/presence:batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userIDs: userIDs.slice(i, i + 100) }),
    });
    if (response.status !== 200) throw new Error(`presence:batch answered ${response.status}: ${await response.text()}`);
    users.push(...((await response.json()) as { users: ServedPresence[] }).users);
  }
  return users;
}

/** The users whose served presence differs from the expected one, with both. */
export function presenceMismatches(expected: ReadonlyMap<string, ExpectedPresence>, served: readonly ServedPresence[]) {
  return served
    .map((user) => ({
      expected: expected.get(user.userID),
      served: { userID: user.userID, online: user.online, platformIDs: user.platforms.map((p) => p.platformID), lastSeen: user.lastSeen, isAppBackground: user.isAppBackground },
    }))
    .filter(({ expected: e, served: s }) => JSON.stringify(e) !== JSON.stringify(s));
}
