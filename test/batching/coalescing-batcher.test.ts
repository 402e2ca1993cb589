/**
 * The coalescing batcher: what is submitted in one turn leaves together, within the limits;
 * what is submitted while a batch is in flight waits for the next; each submitter learns its own
 * item's outcome; with a linger, a batch that is not full waits that long for more.
 */
import { describe, expect, it } from 'vitest';
import { CoalescingBatcher } from '#shared/batching/coalescing-batcher.ts';

/** A sender that records its batches and answers each when told to. */
function recordingSender<T>(outcomeOf: (item: T) => Error | undefined = () => undefined) {
  const batches: T[][] = [];
  const release: Array<() => void> = [];
  const sendBatch = async (items: readonly T[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => release.push(resolve));
    return items.map(outcomeOf);
  };
  const releaseAll = () => release.splice(0).forEach((resolve) => resolve());
  /** Waits until `count` batches have been sent. */
  const sent = async (count: number) => {
    while (batches.length < count) await nextTurn();
  };
  return { batches, sendBatch, releaseAll, sent };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Class: CoalescingBatcher', () => {
  it('sends what one turn submitted as one batch, split at maxItems', async () => {
    // Prepare
    const sender = recordingSender<number>();
    const batcher = new CoalescingBatcher({ maxItems: 3, maxBatchesInFlight: 5, sendBatch: sender.sendBatch });

    // Act
    const submitted = [1, 2, 3, 4, 5].map((item) => batcher.submit(item));
    await nextTurn();
    sender.releaseAll();
    await Promise.all(submitted);

    // Assess
    expect(sender.batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('holds items while the most batches are in flight and sends them together after', async () => {
    // Prepare
    const sender = recordingSender<string>();
    const batcher = new CoalescingBatcher({ maxItems: 10, sendBatch: sender.sendBatch });
    const first = batcher.submit('a');
    await nextTurn();

    // Act
    const later = ['b', 'c', 'd'].map((item) => batcher.submit(item));
    await nextTurn();
    const whileInFlight = sender.batches.length;
    sender.releaseAll();
    await first;
    await sender.sent(2);
    sender.releaseAll();
    await Promise.all(later);

    // Assess
    expect(whileInFlight).toBe(1);
    expect(sender.batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('lets a batch that is not full wait lingerMs for more items', async () => {
    // Prepare
    const sender = recordingSender<string>();
    const batcher = new CoalescingBatcher({ maxItems: 10, lingerMs: 300, sendBatch: sender.sendBatch });

    // Act
    const first = batcher.submit('a');
    await nextTurn();
    const sentBeforeLinger = sender.batches.length;
    const second = batcher.submit('b');
    await sender.sent(1);
    sender.releaseAll();
    await Promise.all([first, second]);

    // Assess
    expect(sentBeforeLinger).toBe(0);
    expect(sender.batches).toEqual([['a', 'b']]);
  });

  it('sends a lingering batch as soon as it is full', async () => {
    // Prepare
    const sender = recordingSender<string>();
    const batcher = new CoalescingBatcher({ maxItems: 2, lingerMs: 60_000, sendBatch: sender.sendBatch });

    // Act
    const submitted = ['a', 'b'].map((item) => batcher.submit(item));
    await nextTurn();
    await nextTurn();
    const sentWithinTurns = sender.batches.length;
    sender.releaseAll();
    await Promise.all(submitted);

    // Assess
    expect(sentWithinTurns).toBe(1);
    expect(sender.batches).toEqual([['a', 'b']]);
  });

  it('counts the linger from the oldest waiting item: one that waited for a call leaves when the call ends', async () => {
    // Prepare
    const sender = recordingSender<string>();
    const batcher = new CoalescingBatcher({ maxItems: 10, lingerMs: 200, sendBatch: sender.sendBatch });
    const first = batcher.submit('a');
    await sender.sent(1);

    // Act
    const second = batcher.submit('b');
    await sleep(250);
    sender.releaseAll();
    await first;
    for (let turn = 0; turn < 5 && sender.batches.length < 2; turn += 1) await nextTurn();
    const sentWithinTurns = sender.batches.length;
    sender.releaseAll();
    await second;

    // Assess
    expect(sentWithinTurns).toBe(2);
    expect(sender.batches).toEqual([['a'], ['b']]);
  });

  it('keeps a batch within maxBytes, and sends an item larger than that alone', async () => {
    // Prepare
    const sender = recordingSender<string>();
    const batcher = new CoalescingBatcher({ maxItems: 10, maxBytes: 10, maxBatchesInFlight: 10, sizeOf: (item: string) => item.length, sendBatch: sender.sendBatch });

    // Act
    const submitted = ['aaaa', 'bbbb', 'cccc', 'x'.repeat(25), 'dd'].map((item) => batcher.submit(item));
    await nextTurn();
    sender.releaseAll();
    await Promise.all(submitted);

    // Assess
    expect(sender.batches).toEqual([['aaaa', 'bbbb'], ['cccc'], ['x'.repeat(25)], ['dd']]);
  });

  it("rejects only the items the sender refused, each with its own reason", async () => {
    // Prepare
    const sender = recordingSender<number>((item) => (item % 2 === 0 ? new Error(`refused ${item}`) : undefined));
    const batcher = new CoalescingBatcher({ maxItems: 10, sendBatch: sender.sendBatch });

    // Act
    const outcomes = Promise.allSettled([1, 2, 3, 4].map((item) => batcher.submit(item)));
    await nextTurn();
    sender.releaseAll();

    // Assess
    expect((await outcomes).map((outcome) => (outcome.status === 'fulfilled' ? 'taken' : (outcome.reason as Error).message))).toEqual([
      'taken',
      'refused 2',
      'taken',
      'refused 4',
    ]);
  });

  it('rejects every item of a batch whose call failed, and goes on with the next batch', async () => {
    // Prepare
    let calls = 0;
    const batcher = new CoalescingBatcher<number>({
      maxItems: 2,
      sendBatch: async (items) => {
        calls += 1;
        if (calls === 1) throw new Error('unreachable');
        return items.map(() => undefined);
      },
    });

    // Act
    const outcomes = await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)));

    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(calls).toBe(2);
  });
});
