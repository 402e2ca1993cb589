/**
 * beforeOfflinePush: the take-over publishes chunked push jobs and stops OpenIM's own push; the
 * enrich mode changes recipients and push info within OpenIM's rules.
 */
import { describe, expect, it } from 'vitest';
import { ChatEvent } from '#shared/events/chat-event.ts';
import type { ChatEventPublisher } from '#shared/events/chat-event-publisher.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { REQUEST_SCHEMAS } from '#shared/openim/schemas/index.ts';
import { createOfflinePushDecider, MissingPreferencesError } from '#shared/push/offline-push-decider.ts';
import type { PushPreferences } from '#shared/push/preferences.ts';
import { PushJob } from '#shared/push/push-job.ts';
import { defaultPreferences } from '#shared/store/preference-store.ts';
import { BudgetedDecisionContext } from '#shared/callbacks/before-decisions.ts';
import { withinBudget } from '#shared/callbacks/time-budget.ts';
import { readEvent } from '../helpers/events.ts';

const context = { operationID: 'op-1', signal: new AbortController().signal, deadline: Date.now() + 60_000 };
const NOON_UTC = new Date('2026-03-02T12:00:00Z');

/** The sample beforeOfflinePush, as OpenIM sends it, with fields replaced. */
function request(patch: Record<string, unknown> = {}, withoutPushInfo = false) {
  const sample = readEvent('callbackBeforeOfflinePushCommand');
  if (withoutPushInfo) for (const key of ['title', 'desc', 'ex', 'iOSPushSound', 'iOSBadgeCount', 'signalInfo']) delete sample[key];
  return REQUEST_SCHEMAS.callbackBeforeOfflinePushCommand.parse({ ...sample, ...patch });
}

function groupRequest(members: number, patch: Record<string, unknown> = {}) {
  return request({ sessionType: 3, groupID: 'big-group', userIDList: Array.from({ length: members }, (_, i) => `member-${String(i).padStart(6, '0')}`), ...patch });
}

/** Records what it publishes; fails the publishes whose index is listed. */
class RecordingPublisher implements ChatEventPublisher {
  readonly events: ChatEvent[] = [];
  private calls = 0;
  constructor(private readonly failing: ReadonlySet<number> = new Set()) {}
  async publish(event: ChatEvent): Promise<void> {
    const index = this.calls++;
    if (this.failing.has(index)) throw new Error('SNS unavailable');
    this.events.push(event);
  }
}

const noPreferences = { preferencesOf: async () => new Map<string, PushPreferences>() };

describe('Function: createOfflinePushDecider() with mode takeover', () => {
  it('publishes one push job and stops OpenIM with errCode 10201 when the chat is single', async () => {
    // Prepare
    const publisher = new RecordingPublisher();
    const decide = createOfflinePushDecider({ mode: 'takeover', publisher, now: () => NOON_UTC });

    // Act
    const reply = await decide(request(), context);

    // Assess
    expect(reply).toMatchObject({ actionCode: 0, nextCode: 1, errCode: HOOK_ERROR_CODES.pushTakenOver });
    expect(publisher.events).toHaveLength(1);
    expect(publisher.events[0]).toMatchObject({ eventType: 'push.job', receivedAt: NOON_UTC.toISOString(), valid: true });
    expect(PushJob.parse(publisher.events[0]!.payload)).toMatchObject({
      messageID: '5b0c7e2a9f4d1836ce27a4b9f0e1d563',
      conversationID: 'si_3516524387_7108093640',
      userIDs: ['3516524387'],
      title: 'Alice',
      body: 'You have a new message',
      collapseKey: 'si_3516524387_7108093640',
      chunk: 0,
      chunkCount: 1,
    });
  });

  it('splits a 10,000-member group into jobs that each fit in one SNS/SQS message', async () => {
    // Prepare
    const publisher = new RecordingPublisher();
    const decide = createOfflinePushDecider({ mode: 'takeover', publisher });
    const longIDs = Array.from({ length: 10_000 }, (_, i) => `${'u'.repeat(60)}-${i}`);

    // Act
    await decide(groupRequest(0, { userIDList: longIDs, atUserIDList: [longIDs[5]] }), context);

    // Assess
    const jobs = publisher.events.map((event) => PushJob.parse(event.payload));
    expect(jobs.flatMap((job) => job.userIDs).sort()).toEqual([...longIDs].sort());
    expect(jobs.every((job) => job.chunkCount === jobs.length && job.conversationID === 'sg_big-group')).toBe(true);
    expect(Math.max(...publisher.events.map((event) => Buffer.byteLength(JSON.stringify(event))))).toBeLessThan(256 * 1024);
    expect(jobs.flatMap((job) => job.mentionedUserIDs)).toEqual([longIDs[5]]);
  });

  it('hands the recipients of unpublished jobs back to OpenIM when some publishes fail', async () => {
    // Prepare
    const publisher = new RecordingPublisher(new Set([1]));
    const decide = createOfflinePushDecider({ mode: 'takeover', publisher });

    // Act
    const reply = (await decide(groupRequest(1_200), context)) as unknown as { userIDList: string[]; nextCode: number };

    // Assess
    const published = publisher.events.flatMap((event) => PushJob.parse(event.payload).userIDs);
    expect(reply.nextCode).toBe(0);
    expect(reply.userIDList).toHaveLength(1_200 - published.length);
    expect(new Set([...reply.userIDList, ...published]).size).toBe(1_200);
  });

  it('continues, so OpenIM pushes itself, when no job could be published', async () => {
    // Prepare
    const decide = createOfflinePushDecider({ mode: 'takeover', publisher: new RecordingPublisher(new Set([0])) });

    // Assess
    expect(await decide(request(), context)).toEqual({ actionCode: 0, errCode: 0, errMsg: '', errDlt: '', nextCode: 0 });
  });
});

/** Publishes the jobs whose index is not listed; the listed ones stay under way until released. */
class StalledPublisher implements ChatEventPublisher {
  readonly events: ChatEvent[] = [];
  private calls = 0;
  private readonly stalled: (() => void)[] = [];
  constructor(private readonly stalling: ReadonlySet<number>) {}
  async publish(event: ChatEvent): Promise<void> {
    const index = this.calls++;
    if (this.stalling.has(index)) await new Promise<void>((resolve) => this.stalled.push(resolve));
    this.events.push(event);
  }
  release(): void {
    for (const resolve of this.stalled.splice(0)) resolve();
  }
}

describe('Function: createOfflinePushDecider() with mode takeover, at its time budget', () => {
  // Long enough that a loaded machine does not overrun it while cutting 1,200 recipients into jobs.
  // Its overrun at 3 s in a clean-clone CI run (2026-12-03) was the test itself, and so, likely, were
  // those at 150 ms (load 15) and 1 s before it: it set the deadline after building the request,
  // inside the budget, so on a busy machine the decider's deadline (less its 20 ms margin) fell after
  // the budget's timer.
  const BUDGET_MS = 3_000;

  it('answers taken over, within the budget, when a job is still being published: nobody is handed back to OpenIM to be pushed twice', async () => {
    // Prepare
    const publisher = new StalledPublisher(new Set([1]));
    const decide = createOfflinePushDecider({ mode: 'takeover', publisher });

    const request = groupRequest(1_200);

    // Act: composed as the before-callback handler composes it, the deadline set with the budget
    const context = new BudgetedDecisionContext('op-1', BUDGET_MS);
    const { value: reply } = await withinBudget(context, decide(request, context));
    publisher.release();
    await new Promise((resolve) => setImmediate(resolve));

    // Assess: the late job went out too, and OpenIM was told not to push anyone
    expect(reply).toMatchObject({ actionCode: 0, nextCode: 1, errCode: HOOK_ERROR_CODES.pushTakenOver });
    expect(publisher.events.flatMap((event) => PushJob.parse(event.payload).userIDs)).toHaveLength(1_200);
  });

  it('publishes nothing once the budget has run out, since the fallback has already let OpenIM push', async () => {
    // Prepare
    const publisher = new RecordingPublisher();
    const decide = createOfflinePushDecider({ mode: 'takeover', publisher });
    const budget = new AbortController();
    budget.abort(new Error('budget exceeded'));

    // Act
    const decision = decide(groupRequest(1_200), { operationID: 'op-1', signal: budget.signal, deadline: Date.now() });

    // Assess
    await expect(Promise.resolve(decision)).rejects.toThrow('budget exceeded');
    expect(publisher.events).toHaveLength(0);
  });
});

describe('Function: createOfflinePushDecider() with mode enrich', () => {
  const preferences = {
    preferencesOf: async (userIDs: readonly string[]) =>
      new Map(
        userIDs
          .filter((userID) => userID.endsWith('1') || userID.endsWith('2'))
          .map((userID) => [
            userID,
            userID.endsWith('1')
              ? { ...defaultPreferences(userID), muted: true }
              : { ...defaultPreferences(userID), doNotDisturb: { start: '11:00', end: '13:00' }, timeZone: 'UTC' },
          ]),
      ),
  };

  it('returns the recipients left after mutes and do-not-disturb when some are quiet', async () => {
    // Prepare
    const decide = createOfflinePushDecider({ mode: 'enrich', publisher: new RecordingPublisher(), preferences, now: () => NOON_UTC });

    // Act
    const reply = await decide(groupRequest(4, { userIDList: ['u0', 'u1', 'u2', 'u3'] }, ), context);

    // Assess
    expect(reply).toMatchObject({ nextCode: 0, userIDList: ['u0', 'u3'] });
  });

  it('stops with errCode 10202 when every recipient is quiet', async () => {
    // Prepare
    const decide = createOfflinePushDecider({ mode: 'enrich', publisher: new RecordingPublisher(), preferences, now: () => NOON_UTC });

    // Assess
    expect(await decide(request({ userIDList: ['u1', 'u2'] }), context)).toMatchObject({ nextCode: 1, errCode: HOOK_ERROR_CODES.pushSuppressed });
  });

  it.each([
    { $case: 'the request had no offlinePushInfo', withoutPushInfo: true, expected: undefined },
    { $case: 'the request had an empty title and desc', withoutPushInfo: false, expected: { title: 'New message', desc: 'see you <3 & bring snacks' } },
  ])('sets offlinePushInfo only as expected when $case', async ({ withoutPushInfo, expected }) => {
    // Prepare
    const decide = createOfflinePushDecider({ mode: 'enrich', publisher: new RecordingPublisher(), preferences: noPreferences });

    // Act
    const reply = (await decide(request({ ...(withoutPushInfo ? {} : { title: '', desc: '' }) }, withoutPushInfo), context)) as { offlinePushInfo?: object };

    // Assess
    if (expected) expect(reply.offlinePushInfo).toMatchObject(expected);
    else expect(reply).not.toHaveProperty('offlinePushInfo');
  });

  it('throws MissingPreferencesError when built without a preference store', () => {
    // Assess
    expect(() => createOfflinePushDecider({ mode: 'enrich', publisher: new RecordingPublisher() })).toThrow(MissingPreferencesError);
  });
});
