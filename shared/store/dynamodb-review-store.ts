/**
 * Review items in DynamoDB, one per message, with conditional writes only (dynalite has no
 * transactions). The sparse-by-value GSI `byQueue` lists them oldest first:
 *
 *   itemId | state | queue ("open" while pending/claimed, "decided" after) | queuedAt ("<ISO>#<itemId>":
 *   flag time while open, decision time once decided) | claimedBy | claimedAt | firstClaimedAt (for
 *   review stats) | claimExpiresAt (unix ms) |
 *   applyingId (a decision under way) | lastFailure | escalation | sendID | groupID | terms | texts |
 *   highlights | message | ...
 *
 *   pending --claim--> claimed --beginDecision--> claimed+applyingId --completeDecision--> decided
 *      ^                  |  (claimExpiresAt passes,        |  abandonDecision: back to claimed
 *      |                  |   or release)                   |  (recordFailure keeps why on it)
 *      +------------------+---------------------------------+
 */
import {
  GetCommand,
  paginateQuery,
  PutCommand,
  UpdateCommand,
  type DynamoDocumentClient,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '../aws/dynamodb-client.ts';
import { ClaimConflictError, NotClaimedByCallerError, ReviewItemNotFoundError } from '../review/errors.ts';
import { effectiveState, type DecisionFailure, type Escalation, type ReviewItem, type ReviewState } from '../review/review-item.ts';
import type { DecidedRecord, NewReviewItem, ReviewCounts, ReviewPage, ReviewQuery, ReviewStore } from '../review/review-store.ts';
import { MS_PER_DAY, SECONDS_PER_DAY } from '../time/durations.ts';
import { conditionHeld, outputIfConditionHeld } from './conditional-write.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

export const REVIEW_QUEUE_INDEX = 'byQueue';
const OPEN = 'open';
const DECIDED = 'decided';
const DECIDED_COUNT_WINDOW_MS = MS_PER_DAY;

// Named condition fragments (state names are bound as :pending, :claimed).
const isNew = 'attribute_not_exists(itemId)';
const exists = 'attribute_exists(itemId)';
const isPending = '#state = :pending';
const claimLapsed = '(#state = :claimed AND claimExpiresAt <= :now)';
const ownLiveClaim = '(#state = :claimed AND claimedBy = :me AND claimExpiresAt > :now)';
const noDecisionUnderWay = 'attribute_not_exists(applyingId)';
const isDecisionUnderWay = 'applyingId = :decisionId';
const liveClaim = '(#state = :claimed AND claimExpiresAt > :now)';
const isUndecided = '#state <> :decided';

type StoredItem = Record<string, unknown> & { itemId: string; state: ReviewState; claimExpiresAt?: number };

export interface DynamoDbReviewStoreOptions {
  /** How long decided items stay in this table (the moderation log keeps the decision for good). @default 90 days */
  readonly decidedRetentionSeconds?: number;
}

export class DynamoDbReviewStore implements ReviewStore {
  private readonly decidedRetentionSeconds: number;

  constructor(
    private readonly client: DynamoDocumentClient,
    private readonly tableName: string,
    options: DynamoDbReviewStoreOptions = {},
  ) {
    this.decidedRetentionSeconds = options.decidedRetentionSeconds ?? 90 * SECONDS_PER_DAY;
  }

  async add(item: NewReviewItem): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...item,
            source: item.source ?? 'flag',
            state: 'pending',
            queue: OPEN,
            queuedAt: `${item.flaggedAt}#${item.itemId}`,
            sendID: item.message.sendID,
            groupID: item.message.groupID,
          },
          ConditionExpression: isNew,
        }),
      ),
    );
  }

  async get(itemId: string, now: number): Promise<ReviewItem | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { itemId }, ConsistentRead: true }));
    return Item ? toReviewItem(Item as StoredItem, now) : undefined;
  }

  async claim(itemId: string, moderator: string, now: number, claimMs: number): Promise<ReviewItem> {
    const claimed = await this.updateIfHeld(
      itemId,
      {
        expression: 'SET #state = :claimed, claimedBy = :me, claimedAt = :at, firstClaimedAt = if_not_exists(firstClaimedAt, :at), claimExpiresAt = :until REMOVE applyingId',
        condition: `${exists} AND (${isPending} OR ${claimLapsed} OR (${ownLiveClaim} AND ${noDecisionUnderWay}))`,
        values: { ':pending': 'pending', ':claimed': 'claimed', ':me': moderator, ':now': now, ':at': new Date(now).toISOString(), ':until': now + claimMs },
      },
      now,
    );
    if (claimed) return claimed;
    const current = await this.get(itemId, now);
    if (!current) throw new ReviewItemNotFoundError(itemId);
    throw new ClaimConflictError(itemId, current.state, current.claimedBy);
  }

  async beginDecision(itemId: string, moderator: string, decisionId: string, now: number, leaseMs: number): Promise<ReviewItem> {
    const begun = await this.updateIfHeld(
      itemId,
      {
        expression: 'SET applyingId = :decisionId, claimExpiresAt = :until',
        condition: `${exists} AND ${ownLiveClaim} AND ${noDecisionUnderWay}`,
        values: { ':claimed': 'claimed', ':me': moderator, ':now': now, ':until': now + leaseMs, ':decisionId': decisionId },
      },
      now,
    );
    if (begun) return begun;
    if (!(await this.get(itemId, now))) throw new ReviewItemNotFoundError(itemId);
    throw new NotClaimedByCallerError(itemId);
  }

  async completeDecision(
    itemId: string,
    decisionId: string,
    outcome: { decision: string; reason: string; decidedBy: string; decidedAt: string },
  ): Promise<ReviewItem> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { itemId },
        UpdateExpression:
          'SET #state = :decided, queue = :decidedQueue, queuedAt = :queuedAt, decision = :decision, reason = :reason, decidedBy = :by, decidedAt = :at, expiresAt = :expiresAt REMOVE applyingId, claimExpiresAt, lastFailure',
        ConditionExpression: isDecisionUnderWay,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':decided': 'decided',
          ':decidedQueue': DECIDED,
          ':queuedAt': `${outcome.decidedAt}#${itemId}`,
          ':decision': outcome.decision,
          ':reason': outcome.reason,
          ':by': outcome.decidedBy,
          ':at': outcome.decidedAt,
          ':expiresAt': Math.floor(Date.parse(outcome.decidedAt) / 1000) + this.decidedRetentionSeconds,
          ':decisionId': decisionId,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toReviewItem(Attributes as StoredItem, Date.now());
  }

  async abandonDecision(itemId: string, decisionId: string): Promise<void> {
    // A decision no longer under way (the claim lapsed and someone claimed the item afresh) stays as it is.
    await conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { itemId },
          UpdateExpression: 'REMOVE applyingId',
          ConditionExpression: isDecisionUnderWay,
          ExpressionAttributeValues: { ':decisionId': decisionId },
        }),
      ),
    );
  }

  async release(itemId: string, moderator: string, now: number, options: { anyone?: boolean } = {}): Promise<ReviewItem> {
    const holder = options.anyone ? liveClaim : ownLiveClaim;
    const released = await this.updateIfHeld(
      itemId,
      {
        expression: 'SET #state = :pending REMOVE claimedBy, claimedAt, claimExpiresAt, lastFailure',
        condition: `${exists} AND ${holder} AND ${noDecisionUnderWay}`,
        values: { ':pending': 'pending', ':claimed': 'claimed', ':now': now, ...(options.anyone ? {} : { ':me': moderator }) },
      },
      now,
    );
    if (released) return released;
    if (!(await this.get(itemId, now))) throw new ReviewItemNotFoundError(itemId);
    throw new NotClaimedByCallerError(itemId);
  }

  async recordFailure(itemId: string, failure: DecisionFailure, now: number): Promise<boolean> {
    return conditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { itemId },
          UpdateExpression: 'SET lastFailure = :failure',
          ConditionExpression: `${exists} AND ${liveClaim} AND claimedBy = :me`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':failure': failure, ':claimed': 'claimed', ':now': now, ':me': failure.by },
        }),
      ),
    );
  }

  async addReport(itemId: string, reporterID: string, category: string): Promise<ReviewItem> {
    // String sets: adding a reporter twice counts them once, however often the app backend retries.
    // String sets: adding a reporter twice counts them once, however often the app backend retries.
    const reported = await this.updateIfHeld(
      itemId,
      {
        expression: 'ADD reporters :reporter, reportCategories :category',
        condition: exists,
        values: { ':reporter': new Set([reporterID]), ':category': new Set([category]) },
        usesState: false,
      },
      Date.now(),
    );
    if (!reported) throw new ReviewItemNotFoundError(itemId);
    return reported;
  }

  async escalate(itemId: string, escalation: Escalation, now: number): Promise<ReviewItem> {
    const escalated = await this.updateIfHeld(
      itemId,
      { expression: 'SET escalation = :escalation', condition: `${exists} AND ${isUndecided}`, values: { ':escalation': escalation, ':decided': 'decided' } },
      now,
    );
    if (escalated) return escalated;
    const current = await this.get(itemId, now);
    if (!current) throw new ReviewItemNotFoundError(itemId);
    throw new ClaimConflictError(itemId, current.state, current.claimedBy);
  }

  async list(query: ReviewQuery, now: number): Promise<ReviewPage> {
    const queue = query.state === 'decided' ? DECIDED : OPEN;
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':queue': queue };
    const names: Record<string, string> = {};
    if (query.state !== 'decided') {
      names['#state'] = 'state';
      // DynamoDB refuses a value the expression does not use, so :pending only goes with the pending filter.
      Object.assign(values, { ':claimed': 'claimed', ':now': now }, query.state === 'pending' ? { ':pending': 'pending' } : {});
      filters.push(query.state === 'pending' ? `(${isPending} OR ${claimLapsed})` : liveClaim);
    }
    if (query.groupID) (filters.push('groupID = :groupID'), (values[':groupID'] = query.groupID));
    if (query.userID) (filters.push('sendID = :userID'), (values[':userID'] = query.userID));
    if (query.term) (filters.push('contains(terms, :term)'), (values[':term'] = query.term));
    if (query.claimedBy) (filters.push('claimedBy = :claimedBy'), (values[':claimedBy'] = query.claimedBy));
    if (query.decidedBy) (filters.push('decidedBy = :decidedBy'), (values[':decidedBy'] = query.decidedBy));

    const items: ReviewItem[] = [];
    const pages = this.queuePages({
      KeyConditionExpression: 'queue = :queue',
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ExclusiveStartKey: query.cursor ? decodeCursor(query.cursor, `review:${query.state}`) : undefined,
      ScanIndexForward: true,
      Limit: Math.max(query.limit * 2, 25),
    });
    for await (const page of pages) {
      const found = (page.Items ?? []) as StoredItem[];
      for (const [index, stored] of found.entries()) {
        items.push(toReviewItem(stored, now));
        if (items.length === query.limit) {
          const more = index < found.length - 1 || page.LastEvaluatedKey !== undefined;
          const key = { itemId: stored.itemId, queue, queuedAt: stored.queuedAt as string };
          return { items, ...(more ? { cursor: encodeCursor(`review:${query.state}`, key) } : {}) };
        }
      }
    }
    return { items };
  }

  async decidedSince(since: Date): Promise<DecidedRecord[]> {
    const records: DecidedRecord[] = [];
    for await (const page of this.queuePages({
      KeyConditionExpression: 'queue = :queue AND queuedAt >= :since',
      ProjectionExpression: 'flaggedAt, firstClaimedAt, decidedAt, decidedBy',
      ExpressionAttributeValues: { ':queue': DECIDED, ':since': since.toISOString() },
    })) {
      records.push(...((page.Items ?? []) as DecidedRecord[]));
    }
    return records;
  }

  async counts(now: number): Promise<ReviewCounts> {
    let pending = 0;
    let claimed = 0;
    for await (const page of this.queuePages({
      KeyConditionExpression: 'queue = :queue',
      ProjectionExpression: '#state, claimExpiresAt',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':queue': OPEN },
    })) {
      for (const item of (page.Items ?? []) as StoredItem[]) {
        if (effectiveState(item.state, item.claimExpiresAt, now) === 'claimed') claimed++;
        else pending++;
      }
    }
    let decided = 0;
    for await (const page of this.queuePages({
      KeyConditionExpression: 'queue = :queue AND queuedAt >= :since',
      ExpressionAttributeValues: { ':queue': DECIDED, ':since': new Date(now - DECIDED_COUNT_WINDOW_MS).toISOString() },
      Select: 'COUNT',
    })) {
      decided += page.Count ?? 0;
    }
    return { pending, claimed, decided };
  }

  /** Every page of a query on the queue index (the SDK's paginator follows LastEvaluatedKey). */
  private queuePages(query: Omit<QueryCommandInput, 'TableName' | 'IndexName'>): AsyncIterable<QueryCommandOutput> {
    return paginateQuery({ client: this.client }, { ...query, TableName: this.tableName, IndexName: REVIEW_QUEUE_INDEX });
  }

  /** A conditional update of one item; the item as updated, or undefined when the condition failed. */
  private async updateIfHeld(
    itemId: string,
    update: { expression: string; condition: string; values: Record<string, unknown>; usesState?: boolean },
    now: number,
  ): Promise<ReviewItem | undefined> {
    const output = await outputIfConditionHeld(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { itemId },
          UpdateExpression: update.expression,
          ConditionExpression: update.condition,
          ...(update.usesState === false ? {} : { ExpressionAttributeNames: { '#state': 'state' } }),
          ExpressionAttributeValues: update.values,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return output ? toReviewItem(output.Attributes as StoredItem, now) : undefined;
  }
}

function toReviewItem(stored: StoredItem, now: number): ReviewItem {
  const state = effectiveState(stored.state, stored.claimExpiresAt, now);
  const item: ReviewItem = {
    itemId: stored.itemId,
    state,
    source: (stored.source as ReviewItem['source'] | undefined) ?? 'flag',
    flaggedAt: stored.flaggedAt as string,
    policyVersion: stored.policyVersion as number,
    terms: (stored.terms as string[]) ?? [],
    texts: (stored.texts as string[]) ?? [],
    highlights: (stored.highlights as ReviewItem['highlights']) ?? [],
    message: stored.message as ReviewItem['message'],
    ...(typeof stored.unusableSendTime === 'string' ? { unusableSendTime: stored.unusableSendTime } : {}),
    ...(stored.escalation && state !== 'decided' ? { escalation: stored.escalation as Escalation } : {}),
    ...(stored.reporters instanceof Set ? { reports: { count: stored.reporters.size, categories: [...((stored.reportCategories as Set<string>) ?? [])].sort() } } : {}),
    ...(stored.appeal ? { appeal: stored.appeal as ReviewItem['appeal'] } : {}),
  };
  if (state === 'claimed') {
    Object.assign(item, {
      claimedBy: stored.claimedBy,
      ...(typeof stored.claimedAt === 'string' ? { claimedAt: stored.claimedAt } : {}),
      claimExpiresAt: new Date(stored.claimExpiresAt!).toISOString(),
    });
    // A failure belongs to the claim it happened under: another moderator's fresh claim starts clean.
    const failure = stored.lastFailure as DecisionFailure | undefined;
    if (failure?.by === stored.claimedBy) Object.assign(item, { lastFailure: failure });
  }
  if (state === 'decided') {
    Object.assign(item, { decision: stored.decision, reason: stored.reason, decidedBy: stored.decidedBy, decidedAt: stored.decidedAt });
  }
  return item;
}
