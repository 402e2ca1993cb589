/**
 * Presence in DynamoDB (table `presence`), exact under out-of-order, duplicate and concurrent
 * delivery without transactions (dynalite has none): each event touches one item, and a
 * conditional write lets it in only if it is newer than what the item holds.
 *
 *   userID | entry = "platform#<id>"     | platformID | platform | state | at | eventOrder | isAppBackground
 *   userID | entry = "kickoff"           | kickedAt
 *   userID | entry = "online-platforms"  | platformIDs (number set: every platform that ever came online)
 *
 * Per (user, platform), along the event-time axis, only the newest event is kept:
 *
 *   t ──────────── online@t1 ───────── offline@t2 ────────── online@t3 ──────▶
 *   arrives:  offline@t2 first  ->  item = offline@t2 (a tombstone)
 *             online@t1 later   ->  t1 < t2: refused, the connection stays ended
 *             offline@t2 again  ->  not newer: refused, a duplicate changes nothing
 *             online@t3         ->  newer: accepted
 *
 * `eventOrder = at * 2 + (offline ? 1 : 0)` orders by time, and puts an offline after an online
 * of the same millisecond, so the outcome never depends on arrival order. The user summary is
 * derived from the user's items at read time (summarisePresence), never stored: two writers on
 * different platforms cannot race on it, and the expiry window needs the read time anyway.
 *
 * `online-platforms` lets onlineAmong (the push worker, 500 users a job) read by key instead of one
 * Query per user: it names the platforms whose items may be live, and is added to before the
 * online item is written (only an online item can be live), so a reader never misses one.
 * presenceOf keeps the Query: it also reports offline platforms, which the index does not name.
 */
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDocumentClient } from '../aws/dynamodb-client.ts';
import type { KickOffEvent, PlatformEvent, PresenceEvent } from '../presence/presence-event.ts';
import type { PresenceReader } from '../presence/presence-reader.ts';
import { summarisePresence, type PlatformState, type UserPresence } from '../presence/user-presence.ts';
import { batchGetAll } from './batch-items.ts';
import { conditionHeld } from './conditional-write.ts';
import type { PresenceStore, PresenceWriteResult } from './presence-store.ts';

export interface DynamoDbPresenceStoreOptions {
  /** A platform not renewed for this long counts as offline (OpenIM's own online expiry). @default 30 */
  readonly expiryMinutes?: number;
  /** Unix ms now; injectable so the expiry can be checked without waiting. @default Date.now */
  readonly now?: () => number;
}

const KICKOFF_ENTRY = 'kickoff';
const PLATFORM_ENTRY_PREFIX = 'platform#';
const ONLINE_PLATFORMS_ENTRY = 'online-platforms';
/** (user, platform) pairs this process has added to `online-platforms`; cleared when this full. */
const MAX_REMEMBERED_INDEX_ENTRIES = 100_000;

const isFirstEvent = 'attribute_not_exists(userID)';
const isNewerThanStored = 'eventOrder < :eventOrder';
const isNewerKickOff = 'kickedAt < :kickedAt';

export class DynamoDbPresenceStore implements PresenceReader, PresenceStore {
  private readonly expiryMs: number;
  private readonly now: () => number;
  /** Spares the index write for a platform already in it: a connection renews its online often. */
  private readonly indexed = new Set<string>();

  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
    options: DynamoDbPresenceStoreOptions = {},
  ) {
    this.expiryMs = (options.expiryMinutes ?? 30) * 60_000;
    this.now = options.now ?? Date.now;
  }

  async apply(event: PresenceEvent): Promise<PresenceWriteResult> {
    if (event.kind === 'online') await this.index(event.userID, event.platformID);
    const write = event.kind === 'kickoff' ? this.applyKickOff(event) : this.applyPlatformEvent(event);
    return { applied: await conditionHeld(write) };
  }

  async presenceOf(userIDs: readonly string[]): Promise<UserPresence[]> {
    const unique = [...new Set(userIDs)];
    const clock = { now: this.now(), expiryMs: this.expiryMs };
    const byUser = new Map(
      await Promise.all(unique.map(async (userID) => [userID, await this.itemsOf(userID)] as const)),
    );
    return userIDs.map((userID) => {
      const { platforms, kickedAt } = byUser.get(userID)!;
      return summarisePresence(userID, platforms, kickedAt, clock);
    });
  }

  /** By key, in batches: the users' indexes, then the platforms they name and the kick-offs. */
  async onlineAmong(userIDs: readonly string[]): Promise<Set<string>> {
    const clock = { now: this.now(), expiryMs: this.expiryMs };
    const indexes = await batchGetAll(
      this.client,
      this.tableName,
      [...new Set(userIDs)].map((userID) => ({ userID, entry: ONLINE_PLATFORMS_ENTRY })),
      { projection: 'userID, platformIDs', consistentRead: true },
    );
    const keys = indexes.flatMap((index) => [
      ...[...((index.platformIDs as Set<number> | undefined) ?? [])].map((platformID) => ({ userID: index.userID, entry: `${PLATFORM_ENTRY_PREFIX}${platformID}` })),
      { userID: index.userID, entry: KICKOFF_ENTRY },
    ]);
    if (keys.length === 0) return new Set();
    const byUser = new Map<string, { platforms: PlatformState[]; kickedAt: number | undefined }>();
    for (const item of await batchGetAll(this.client, this.tableName, keys, { consistentRead: true })) {
      const userID = item.userID as string;
      const found = byUser.get(userID) ?? { platforms: [], kickedAt: undefined };
      byUser.set(userID, found);
      if (item.entry === KICKOFF_ENTRY) found.kickedAt = Number(item.kickedAt);
      else found.platforms.push(platformStateOf(item));
    }
    return new Set([...byUser].filter(([userID, { platforms, kickedAt }]) => summarisePresence(userID, platforms, kickedAt, clock).online).map(([userID]) => userID));
  }

  /** Adds the platform to the user's `online-platforms` (idempotent), once per process. */
  private async index(userID: string, platformID: number): Promise<void> {
    const pair = `${userID}#${platformID}`;
    if (this.indexed.has(pair)) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { userID, entry: ONLINE_PLATFORMS_ENTRY },
        UpdateExpression: 'ADD platformIDs :platformID',
        ExpressionAttributeValues: { ':platformID': new Set([platformID]) },
      }),
    );
    if (this.indexed.size >= MAX_REMEMBERED_INDEX_ENTRIES) this.indexed.clear();
    this.indexed.add(pair);
  }

  private applyPlatformEvent(event: PlatformEvent) {
    const eventOrder = event.at * 2 + (event.kind === 'offline' ? 1 : 0);
    return this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          userID: event.userID,
          entry: `${PLATFORM_ENTRY_PREFIX}${event.platformID}`,
          platformID: event.platformID,
          platform: event.platform,
          state: event.kind,
          at: event.at,
          eventOrder,
          isAppBackground: event.isAppBackground,
        },
        ConditionExpression: `${isFirstEvent} OR ${isNewerThanStored}`,
        ExpressionAttributeValues: { ':eventOrder': eventOrder },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }

  private applyKickOff(event: KickOffEvent) {
    return this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { userID: event.userID, entry: KICKOFF_ENTRY },
        UpdateExpression: 'SET kickedAt = :kickedAt',
        ConditionExpression: `${isFirstEvent} OR ${isNewerKickOff}`,
        ExpressionAttributeValues: { ':kickedAt': event.at },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  }

  private async itemsOf(userID: string): Promise<{ platforms: PlatformState[]; kickedAt: number | undefined }> {
    const platforms: PlatformState[] = [];
    let kickedAt: number | undefined;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'userID = :userID',
          ExpressionAttributeValues: { ':userID': userID },
          // A read right after a write must see it: presence decides whether to push.
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.entry === KICKOFF_ENTRY) kickedAt = Number(item.kickedAt);
        else if (String(item.entry).startsWith(PLATFORM_ENTRY_PREFIX)) platforms.push(platformStateOf(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { platforms, kickedAt };
  }
}

function platformStateOf(item: Record<string, unknown>): PlatformState {
  return {
    platformID: Number(item.platformID),
    platform: String(item.platform ?? ''),
    state: item.state === 'online' ? 'online' : 'offline',
    at: Number(item.at),
    isAppBackground: item.isAppBackground === true,
  };
}
