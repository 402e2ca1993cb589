/**
 * The policy in force, over a real DynamoDB (dynalite) that the tests stop to simulate a store
 * outage: the last good policy must stay in force, and changes must arrive without a restart.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DeleteCommand, QueryCommand } from '#shared/aws/dynamodb-client.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { ActivePolicy, FIRST_RETRY_MS, PolicyUnavailableError } from '#shared/moderation/active-policy.ts';
import { MAX_POLICY_TERMS, parseModerationPolicy, type ModerationPolicy } from '#shared/moderation/policy.ts';
import { TimeSlicer } from '#shared/moderation/time-slicer.ts';
import { DynamoDbPolicyStore } from '#shared/store/dynamodb-policy-store.ts';
import type { PolicyStore } from '#shared/store/policy-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { startEngine, type DynamoEngine } from '../helpers/dynamodb.ts';
import { generatedTerms } from '../helpers/generated-terms.ts';
import { eventually } from '../helpers/eventually.ts';
import { captureLogs } from '../helpers/lambda.ts';

describe('Class: ActivePolicy', () => {
  let dynamo: DynamoEngine | undefined;
  let clock = 0;
  const now = () => clock;

  afterEach(async () => {
    await dynamo?.stop();
    dynamo = undefined;
  });

  async function setUp() {
    dynamo = await startEngine('dynalite');
    return new DynamoDbPolicyStore(dynamo.documents, TABLE_DEFINITIONS.moderationPolicy.localName);
  }

  /** `store` with its version reads counted; each read first awaits `beforeRead` (given the read's number), if any. */
  function countingReads(store: PolicyStore, beforeRead?: (read: number) => Promise<void>) {
    const counted: { reads: number; readonly store: PolicyStore } = {
      reads: 0,
      store: {
        latestVersion: async () => {
          counted.reads += 1;
          await beforeRead?.(counted.reads);
          return store.latestVersion();
        },
        latest: () => store.latest(),
        save: (...args) => store.save(...args),
      },
    };
    return counted;
  }

  it('seeds an empty store with the policy file and moderates with it', async () => {
    // Prepare
    const store = await setUp();
    const active = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['badword'] }), refreshMs: 1000, now });

    // Act
    const compiled = await active.current();

    // Assess
    expect(compiled.version).toBe(1);
    expect(compiled.scan('a b.a.d.w.o.r.d here').map((match) => match.action)).toEqual(['blocked']);
    expect((await store.latest())?.updatedBy).toBe('MODERATION_POLICY_FILE');
  });

  it('moderates nothing when there is neither a stored policy nor a seed', async () => {
    // Prepare
    const active = new ActivePolicy({ store: await setUp(), refreshMs: 1000, now });

    // Act
    const compiled = await active.current();

    // Assess
    expect(compiled.version).toBe(0);
    expect(compiled.scan('anything at all')).toEqual([]);
  });

  it('answers at once while no read is due, and with a promise once one is', async () => {
    // Prepare
    const active = new ActivePolicy({ store: await setUp(), seed: parseModerationPolicy({ blocked: ['badword'] }), refreshMs: 1000, now });
    const first = active.current();
    await first;

    // Act
    clock += 500;
    const inForce = active.current();
    clock += 600;
    const due = active.current();

    // Assess: no promise (no turn of the microtask queue) for a message while the policy is fresh
    expect(first).toBeInstanceOf(Promise);
    expect(inForce).not.toBeInstanceOf(Promise);
    expect(inForce).toBe(await first);
    expect(due).toBeInstanceOf(Promise);
    expect((await due).version).toBe(1);
  });

  it('picks up a saved version once the refresh interval has passed, without a restart', async () => {
    // Prepare
    const store = await setUp();
    // A generous wait for the version check: 50 ms of real time (the default) is not enough on a loaded machine.
    const active = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 1000, now, staleWaitMs: 5_000 });
    await active.current();
    await store.save(parseModerationPolicy({ blocked: ['second'] }), 1, 'moderator');

    // Act
    clock += 500;
    const early = await active.current();
    clock += 600;
    const due = await active.current();

    // Assess
    expect(early.version).toBe(1);
    expect(due.version).toBe(2);
    expect(due.scan('second').length).toBe(1);
  });

  it('reads the version ahead in the background, so that the messages of a busy process wait for no store', async () => {
    // Prepare: the real clock (the read ahead is a timer); every version read is counted, and those
    // made while a message asks for the policy apart.
    const store = await setUp();
    let asking = false;
    const reads = { all: 0, whileAsking: 0 };
    const counting: PolicyStore = {
      latestVersion: () => {
        reads.all += 1;
        if (asking) reads.whileAsking += 1;
        return store.latestVersion();
      },
      latest: () => store.latest(),
      save: (policy, expectedVersion, updatedBy) => store.save(policy, expectedVersion, updatedBy),
    };
    const active = new ActivePolicy({ store: counting, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 200, readAhead: true });
    await active.current();
    await store.save(parseModerationPolicy({ blocked: ['second'] }), 1, 'moderator');

    // Act: no message for a while, then one
    await eventually(() => reads.all >= 3 && Promise.resolve(active.current()).then((policy) => policy.version === 2));
    asking = true;
    const policy = await active.current();
    asking = false;
    // Its timer would otherwise read on past this test, from a stopped store, into the next tests' logs.
    active.stopReadingAhead();

    // Assess
    expect(policy.version).toBe(2);
    expect(reads.whileAsking).toBe(0);
  });

  it('waits for no read started ahead, even one that outlasts the refresh interval, and puts its version in force once it answers', async () => {
    // Prepare: after the first read, version reads hang until released (a busy store), with the real
    // clock for the read-ahead timer and a fake one for what is due.
    const store = await setUp();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = countingReads(store, async (read) => {
      if (read > 1) await released;
    });
    const active = new ActivePolicy({ store: slow.store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 100, readAhead: true, now });
    const first = await active.current();
    await store.save(parseModerationPolicy({ blocked: ['second'] }), 1, 'moderator');
    clock += 95;
    await eventually(() => slow.reads === 2);

    // Act: the version falls due while the read started ahead is still under way
    clock += 10_000;
    const whileReading = active.current();
    release();
    const updated = await eventually(() => Promise.resolve(active.current()).then((policy) => policy.version === 2 && policy));
    active.stopReadingAhead();

    // Assess: the message got the policy in force at once, no promise to wait for
    expect(whileReading).not.toBeInstanceOf(Promise);
    expect(whileReading).toBe(first);
    expect(updated.scan('second')).toHaveLength(1);
  });

  it('leaves the read to the next message, which waits for it, when its read-ahead timer runs over an interval late (a paused instance)', async () => {
    // Prepare
    const counting = countingReads(await setUp());
    // The read-ahead timer runs 450 ms after the first read: long after the clock has moved on.
    const active = new ActivePolicy({ store: counting.store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 500, readAhead: true, now });
    await active.current();
    const readsBeforePause = counting.reads;

    // Act: the instance "sleeps" for 5 s before its read-ahead timer runs
    clock += 5_000;
    await new Promise((resolve) => setTimeout(resolve, 700));
    const readsAfterTimer = counting.reads;
    const next = active.current();
    await next;
    active.stopReadingAhead();

    // Assess
    expect(readsAfterTimer).toBe(readsBeforePause);
    expect(next).toBeInstanceOf(Promise);
    expect(counting.reads).toBe(readsBeforePause + 1);
  });

  it('reads ahead no more once told to stop, while messages still refresh it', async () => {
    // Prepare
    const store = await setUp();
    const counting = countingReads(store);
    const active = new ActivePolicy({ store: counting.store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 50, readAhead: true });
    await active.current();
    await eventually(() => counting.reads >= 3);

    // Act
    active.stopReadingAhead();
    const readsWhenStopped = counting.reads;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const readsAfterPause = counting.reads;
    await store.save(parseModerationPolicy({ blocked: ['second'] }), 1, 'moderator');
    await eventually(() => Promise.resolve(active.current()).then((policy) => policy.version === 2));

    // Assess
    expect(readsAfterPause - readsWhenStopped).toBeLessThanOrEqual(1); // one read may have been under way
    expect(counting.reads).toBeGreaterThan(readsAfterPause);
  });

  it('keeps the last good policy when the store becomes unreachable', async () => {
    // Prepare
    const store = await setUp();
    const active = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['badword'] }), refreshMs: 1000, now, staleWaitMs: 5_000 });
    await active.current();
    await dynamo!.stop();
    dynamo = undefined;

    // Act
    clock += 2000;
    const { result, lines } = await captureLogs(async () => active.current());

    // Assess
    expect(result.version).toBe(1);
    expect(result.scan('badword').length).toBe(1);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'moderation policy store unreachable; keeping the policy in force' }));
  });

  it('keeps no message waiting once a read has failed: the due one starts the next read, one at a time, until the store answers', async () => {
    // Prepare: version reads fail while `failing` (a store that times out), each one counted in flight
    const store = await setUp();
    let failing = false;
    let inFlight = 0;
    let mostInFlight = 0;
    const flaky = countingReads(store, async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await nextTurn();
      inFlight -= 1;
      if (failing) throw new Error('no answer from dynamodb within 2000 ms');
    });
    const active = new ActivePolicy({ store: flaky.store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 1000, now, staleWaitMs: 5_000 });
    const first = await active.current();
    failing = true;
    clock += 2000;
    const { lines } = await captureLogs(async () => active.current()); // the failed read, waited for as before
    const readsAfterFailure = flaky.reads;

    // Act: messages while the store still fails, then once it answers again with a new version
    clock += FIRST_RETRY_MS;
    const whileFailing = [active.current(), active.current()];
    await eventually(() => flaky.reads > readsAfterFailure && inFlight === 0);
    const afterRetry = active.current();
    failing = false;
    await store.save(parseModerationPolicy({ blocked: ['second'] }), 1, 'moderator');
    clock += 2000;
    const updated = await eventually(() => Promise.resolve(active.current()).then((policy) => policy.version === 2 && policy));

    // Assess
    expect(lines).toContainEqual(expect.objectContaining({ message: 'moderation policy store unreachable; keeping the policy in force' }));
    expect(lines.some((line) => 'ModerationPolicyStoreUnreachable' in line)).toBe(true);
    for (const answer of [...whileFailing, afterRetry]) expect(answer).toBe(first);
    expect(mostInFlight).toBe(1);
    expect(updated.scan('second')).toHaveLength(1);
  });

  it('reads a failing store again only after a backoff that doubles up to the refresh interval, and every interval once it answers', async () => {
    // Prepare: a store that fails at once (throttled, access denied), its reads counted
    const store = await setUp();
    let failing = false;
    const flaky = countingReads(store, async () => {
      if (failing) throw new Error('ThrottlingException: rate exceeded');
    });
    const refreshMs = 3000;
    const active = new ActivePolicy({ store: flaky.store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs, now });
    /** Reads started by a burst of 20 messages at the clock's time (a failing read settles within a turn). */
    const readsByBurst = async () => {
      const before = flaky.reads;
      for (let message = 0; message < 20; message += 1) active.current();
      await nextTurn();
      return flaky.reads - before;
    };
    await active.current();
    failing = true;
    clock += refreshMs;
    const gaps = [FIRST_RETRY_MS, 2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS, 8 * FIRST_RETRY_MS, refreshMs, refreshMs];

    // Act: the first failed read, then each gap in turn, a burst just before it ends and one as it does
    const { result, lines } = await captureLogs(async () => {
      await active.current();
      const readsPerGap: [number, number][] = [];
      for (const gap of gaps) {
        clock += gap - 1;
        const early = await readsByBurst();
        clock += 1;
        readsPerGap.push([early, await readsByBurst()]);
      }
      failing = false;
      clock += refreshMs;
      const beforeRecovery = flaky.reads;
      active.current(); // starts the read (the store answers over HTTP: more than a turn)
      await active.refresh(); // the same read, awaited
      const recovering = flaky.reads - beforeRecovery;
      clock += refreshMs - 1;
      const beforeInterval = await readsByBurst();
      clock += 1;
      return { readsPerGap, recovering, beforeInterval, atInterval: await readsByBurst() };
    });

    // Assess: one read once each gap has passed, none before; every interval again once the store answers
    expect(result.readsPerGap).toEqual(gaps.map(() => [0, 1]));
    expect(lines.filter((line) => line.message === 'moderation policy store unreachable; keeping the policy in force').map((line) => line.retryInMs)).toEqual([
      FIRST_RETRY_MS, 2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS, 8 * FIRST_RETRY_MS, refreshMs, refreshMs, refreshMs,
    ]);
    expect(lines.filter((line) => 'ModerationPolicyStoreUnreachable' in line)).toHaveLength(7);
    expect(result).toMatchObject({ recovering: 1, beforeInterval: 0, atInterval: 1 });
  });

  it('refuses at once, waiting for no read, while nothing is in force and the store fails with no seed', async () => {
    // Prepare: a store that never answers in time, and no seed
    const unanswered = countingReads(await setUp(), (read) =>
      read === 1 ? Promise.reject(new Error('no answer from dynamodb within 2000 ms')) : new Promise(() => undefined),
    );
    const active = new ActivePolicy({ store: unanswered.store, refreshMs: 1000, now });
    const { result: first } = await captureLogs(async () => Promise.resolve(active.current()).catch((error: unknown) => error));

    // Act: a message within the backoff, then one past it, which starts a read that never ends
    const withinBackoff = await Promise.resolve(active.current()).catch((error: unknown) => error);
    clock += FIRST_RETRY_MS;
    const pastBackoff = await Promise.resolve(active.current()).catch((error: unknown) => error);

    // Assess
    expect(first).toBeInstanceOf(PolicyUnavailableError);
    expect(withinBackoff).toBeInstanceOf(PolicyUnavailableError);
    expect(pastBackoff).toBeInstanceOf(PolicyUnavailableError);
    expect(unanswered.reads).toBe(2);
  });

  it('falls back to the seed, and without one refuses, when the store is down from the start', async () => {
    // Prepare
    const store = await setUp();
    await dynamo!.stop();
    dynamo = undefined;
    const seeded = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['seeded'] }), refreshMs: 1000, now });
    const unseeded = new ActivePolicy({ store, refreshMs: 1000, now });

    // Act
    const { result } = await captureLogs(async () => ({
      seeded: await seeded.current(),
      unseeded: await Promise.resolve().then(() => unseeded.current()).catch((error: unknown) => error),
    }));

    // Assess
    expect(result.seeded.scan('seeded').length).toBe(1);
    expect(result.unseeded).toBeInstanceOf(PolicyUnavailableError);
  });

  it('puts a stored version in force without the terms it cannot compile, each logged and counted', async () => {
    // Prepare: written straight to the store, as a release with another engine might have accepted it.
    const store = await setUp();
    const stored = { version: 0, blocked: ['badword', '...', { term: 'b(ad', regex: true }], masked: [], flagged: [], allowed: [] };
    await store.save(stored as ModerationPolicy, 0, 'older-release');
    const restarted = new ActivePolicy({ store, refreshMs: 1000, now });

    // Act
    const { result, lines } = await captureLogs(async () => restarted.current());

    // Assess
    expect(result.version).toBe(1);
    expect(result.scan('a b.a.d.w.o.r.d here').map((match) => match.term)).toEqual(['badword']);
    const dropped = lines.filter((line) => line.message === 'moderation policy term dropped: it cannot be compiled');
    expect(dropped).toEqual([
      expect.objectContaining({ level: 'ERROR', policyVersion: 1, list: 'blocked', index: 1, term: '...' }),
      expect.objectContaining({ level: 'ERROR', policyVersion: 1, list: 'blocked', index: 2, term: 'b(ad' }),
    ]);
    expect(lines.filter((line) => 'ModerationPolicyTermDropped' in line)).toHaveLength(2);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'moderation policy in force', policyVersion: 1, terms: 1, droppedTerms: 2, scansMessages: true }));
  });

  it.each([
    { case: 'nothing is stored', stored: undefined },
    { case: 'the stored version has allowed words only', stored: { version: 0, blocked: [], masked: [], flagged: [], allowed: ['class'] } },
  ])('says in its log that it reads no message when $case', async ({ stored }) => {
    // Prepare
    const store = await setUp();
    if (stored) await store.save(stored as ModerationPolicy, 0, 'tester');
    const policy = new ActivePolicy({ store, refreshMs: 1000, now });

    // Act
    const { result, lines } = await captureLogs(async () => policy.current());

    // Assess
    expect(result.matchesNothing).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'moderation policy in force', scansMessages: false }));
  });

  it('keeps the policy in force, as an error and not as an outage, when the newest version cannot be read', async () => {
    // Prepare
    const store = await setUp();
    const active = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 1000, now, staleWaitMs: 5_000 });
    await active.current();
    await store.save(parseModerationPolicy({ blocked: ['second'] }), 1, 'moderator');
    await deleteChunksOf(2);

    // Act
    clock += 2000;
    const { result, lines } = await captureLogs(async () => {
      const afterBadVersion = await active.current();
      clock += 2000;
      await active.current();
      return afterBadVersion;
    });

    // Assess
    expect(result.version).toBe(1);
    expect(result.scan('first')).toHaveLength(1);
    const unusable = lines.filter((line) => line.message === 'moderation policy version cannot be used; keeping the policy in force');
    expect(unusable).toEqual([expect.objectContaining({ level: 'ERROR', storedVersion: 2, policyVersion: 1 })]);
    expect(lines.filter((line) => 'ModerationPolicyUnreadable' in line)).toHaveLength(1);
    expect(lines.map((line) => line.message)).not.toContain('moderation policy store unreachable; keeping the policy in force');
  });

  it('compiles a version at the term limit in slices while the version in force keeps answering', async () => {
    // Prepare
    const store = await setUp();
    let slicer = new TimeSlicer();
    const active = new ActivePolicy({ store, seed: parseModerationPolicy({ blocked: ['first'] }), refreshMs: 1000, now, slicer: () => (slicer = new TimeSlicer()) });
    await active.current();
    const terms = generatedTerms(MAX_POLICY_TERMS);
    await store.save(parseModerationPolicy({ blocked: terms }), 1, 'moderator');
    const stalls = monitorEventLoopDelay({ resolution: 10 });

    // Act: a caller asks for the policy on every turn of the event loop until the new version is in force.
    clock += 2000;
    stalls.enable();
    const started = performance.now();
    const { result: answers } = await captureLogs(async () => {
      const versions: number[] = [];
      for (let version = 1; version === 1; await nextTurn()) versions.push((version = (await active.current()).version));
      return versions;
    });
    stalls.disable();
    const appliedMs = performance.now() - started;

    // Assess: ~20 µs per term or more is seconds of work; 10 ms slices mean many yields and answers.
    // Unsliced, the longest stall would be the whole compile; sliced, it is a garbage collection or
    // the parse of the document, a small share however loaded the machine is.
    const answeredByOld = answers.filter((version) => version === 1).length;
    expect(answers.at(-1)).toBe(2);
    expect(slicer.yields).toBeGreaterThan(20);
    expect(answeredByOld).toBeGreaterThan(slicer.yields / 2);
    expect(stalls.max / 1e6).toBeLessThan(appliedMs / 4);
    expect((await active.current()).scan(`say ${terms[MAX_POLICY_TERMS - 1]} now`)).toHaveLength(1);
  }, 180_000);

  /** Deletes the body of `version`, as a half-failed write or a corruption would leave it. */
  async function deleteChunksOf(version: number) {
    const tableName = TABLE_DEFINITIONS.moderationPolicy.localName;
    const { Items = [] } = await dynamo!.documents.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'policyId = :head AND #v = :version', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':head': 'active', ':version': version } }),
    );
    const body = Items[0]!.body as string;
    for (let index = 0; index < (Items[0]!.chunkCount as number); index++) {
      await dynamo!.documents.send(new DeleteCommand({ TableName: tableName, Key: { policyId: body, version: index } }));
    }
  }
});
