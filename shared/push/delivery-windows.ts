/**
 * Delivery windows: a push job's recipients, in the job's order, 50 at a time. Each window has
 * one delivery-log record for its users' devices, so the log costs a job one read and two writes
 * per 50 recipients (claim, then outcomes) instead of a read and two writes per device: per
 * 10,000-member message, 400 writes instead of 20,000 items, which took half of dynalite's CPU. A window
 * is named by its message and its users, so every run of the same job (a retry, an SQS or SNS
 * duplicate, OpenIM repeating the callback with the same recipients) finds the same records,
 * whatever devices, preferences or presence have changed in between.
 */
import { createHash } from 'node:crypto';
import { chunksOf } from '../batching/chunks.ts';
import type { DeliveryLog, DeliveryOutcome, DeliveryWindowRecord } from '../store/delivery-log.ts';
import { windowDeviceKey } from '../store/delivery-log.ts';
import { DeliveryWindowContendedError } from './errors.ts';

/** Recipients per window: 2 windows are in flight per job (push-dispatcher.ts), about 100 devices. */
export const WINDOW_USERS = 50;
/** Writes of one window that may each find it changed by another run before the job gives up. */
const WRITE_ATTEMPTS = 5;

export interface DeliveryWindow {
  readonly id: string;
  readonly userIDs: readonly string[];
}

export function deliveryWindowsOf(messageID: string, userIDs: readonly string[]): DeliveryWindow[] {
  return chunksOf([...new Set(userIDs)], WINDOW_USERS).map((users) => {
    const hash = createHash('sha256').update(users.join('\n')).digest('base64url').slice(0, 22);
    return { id: `${messageID}#window#${hash}`, userIDs: users };
  });
}

/** The outcomes a window's record holds, changed only through writes that check its revision. */
export class DeliveryWindowLedger {
  private record: DeliveryWindowRecord;
  private readonly positions: Map<string, number>;

  constructor(
    private readonly log: DeliveryLog,
    readonly window: DeliveryWindow,
    read: DeliveryWindowRecord | undefined,
  ) {
    this.positions = new Map(window.userIDs.map((userID, position) => [userID, position]));
    this.record = read ?? { windowID: window.id, userIDs: window.userIDs, outcomes: new Map(), revision: 0 };
  }

  keyOf(userID: string, deviceID: string): string {
    const position = this.positions.get(userID);
    if (position === undefined) throw new RangeError(`user ${userID} is not in delivery window ${this.window.id}`);
    return windowDeviceKey(position, deviceID);
  }

  outcomeOf(userID: string, deviceID: string): DeliveryOutcome | undefined {
    return this.record.outcomes.get(this.keyOf(userID, deviceID));
  }

  /**
   * Writes what `decide` makes of the latest outcomes (`undefined`: nothing to write). When another
   * run wrote the window first, reads it again and decides again, so `decide` must depend on its
   * argument only, and the caller acts on what its last call decided.
   */
  async update(decide: (outcomes: ReadonlyMap<string, DeliveryOutcome>) => Map<string, DeliveryOutcome> | undefined, at: Date): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const outcomes = decide(this.record.outcomes);
      if (outcomes === undefined) return;
      const stored = await this.log.replace({ ...this.record, outcomes }, at);
      if (stored) {
        this.record = stored;
        return;
      }
      if (attempt === WRITE_ATTEMPTS) throw new DeliveryWindowContendedError(this.window.id, attempt);
      const latest = (await this.log.windowsAmong([this.window.id], { consistent: true })).get(this.window.id);
      this.record = latest ?? { windowID: this.window.id, userIDs: this.window.userIDs, outcomes: new Map(), revision: 0 };
    }
  }
}

/**
 * Every recorded outcome of the devices of a job's recipients, by "<userID>#<deviceID>" (an ID
 * over 32 characters as its entry names it, windowDeviceKey): for reports and checks.
 */
export async function deviceOutcomesOf(log: DeliveryLog, messageID: string, userIDs: readonly string[]): Promise<Map<string, DeliveryOutcome>> {
  const windows = deliveryWindowsOf(messageID, userIDs);
  const records = await log.windowsAmong(
    windows.map((window) => window.id),
    { consistent: true },
  );
  const outcomes = new Map<string, DeliveryOutcome>();
  for (const record of records.values()) {
    for (const [key, outcome] of record.outcomes) {
      const separator = key.indexOf('#');
      outcomes.set(`${record.userIDs[Number(key.slice(0, separator))]}#${key.slice(separator + 1)}`, outcome);
    }
  }
  return outcomes;
}
