/**
 * The queue consumers (SQS-triggered Lambdas), as data: adding a worker is one entry here, plus
 * its queue in QUEUE_SUBSCRIPTIONS (shared/events/topology.ts) and its tables in
 * TABLE_DEFINITIONS (shared/store/table-definitions.ts). The messaging stack builds each one with
 * CallbackFunction, consumes its queue with partial batch responses and binds its tables.
 *
 * Example (the audit writer):
 *   { entryName: 'audit-writer', queue: 'audit', tables: [{ table: 'audit', access: 'write' }] }
 */
import type { SettingGroupName } from './config/deployment-settings.ts';
import type { TableKey } from '#shared/store/table-definitions.ts';
import type { TableAccess } from './constructs/callback-function.ts';

export interface WorkerSpec {
  /** Directory under `functions/` with the handler (Powertools `processPartialResponse`). */
  readonly entryName: string;
  /** Name of the QUEUE_SUBSCRIPTIONS entry it consumes. */
  readonly queue: string;
  readonly tables?: readonly { readonly table: TableKey; readonly access: TableAccess }[];
  /** Whether it publishes follow-up chat events (gets CHAT_EVENTS_TOPIC_ARN and sns:Publish). */
  readonly publishesChatEvents?: boolean;
  /** @default 30; the queue's visibility timeout must be at least 6 times this. */
  readonly timeoutSeconds?: number;
  /** Records per invocation at most. Above 10, Lambda requires a batching window. @default 10 */
  readonly batchSize?: number;
  /**
   * Lambda's MaximumBatchingWindowInSeconds: how long records gather (from the first) before an
   * invocation, unless `batchSize` fills first. A worker whose cost is mostly per call (SQS
   * receives and deletes, DynamoDB batch writes) does far less work per record in full batches.
   * @default none: each invocation takes what is there
   */
  readonly batchingWindowSeconds?: number;
  /** @default 256 */
  readonly memorySize?: number;
  /** Lambda reserved concurrency: the most instances at once, and at least that many kept for it. @default none */
  readonly reservedConcurrency?: number;
  /**
   * The SQS event source's maximum concurrency (2-1000), at most `reservedConcurrency`: the pollers
   * then never invoke more instances than may run, so no receive is throttled and counted toward
   * the queue's maxReceiveCount (a record could reach the DLQ without having been handled).
   * @default none
   */
  readonly maxConcurrency?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** Deployment settings it needs (infra/config/deployment-settings.ts), from CDK context. */
  readonly settings?: readonly SettingGroupName[];
}

export const WORKERS: readonly WorkerSpec[] = [
  // Presence: one conditional write per event; reads nothing at write time.
  { entryName: 'presence-worker', queue: 'presence', tables: [{ table: 'presence', access: 'write' }] },
  // Audit: BatchWriteItem per 25 records, idempotent on natural keys; no reader waits for it, so it gathers full batches.
  { entryName: 'audit-writer', queue: 'audit', batchSize: 100, batchingWindowSeconds: 1, tables: [{ table: 'audit', access: 'write' }] },
  // Push: preferences, devices, presence and the delivery log by key in batches, then the provider (outbox by default).
  // One job (500 recipients) per invocation, so a big group's jobs run on parallel instances: bench:push
  // measured one job alone at 0.75-0.97 s from callback to last notification (500 devices, 0.68-0.74 s of
  // CPU with every stand-in, on one 2-core machine at load 6-7), so ~500-650/s per instance. Instances x
  // 500/s is the rate FCM sees; 20 instances give ~10,000/s, about FCM's default quota of 600,000 messages
  // a minute per project, above which it answers 429 and the provider windows back off. Model, at ~1-1.5 s
  // per round of 20 jobs once scaled: 10,000 members = 20 jobs = one round, ~1-2 s; 100,000 members = 200
  // jobs = 10 rounds, ~10-15 s (plus SQS's scale-up of its pollers on a cold queue). maxConcurrency keeps
  // the pollers within the reserved concurrency. Raise both with the project's FCM quota. docs/push.md has the model.
  {
    entryName: 'push-worker',
    queue: 'push',
    batchSize: 1,
    reservedConcurrency: 20,
    maxConcurrency: 20,
    memorySize: 512,
    settings: ['pushProviders'],
    tables: [
      { table: 'presence', access: 'read' },
      { table: 'pushPreferences', access: 'read' },
      { table: 'pushDevices', access: 'readWrite' },
      { table: 'pushDeliveries', access: 'readWrite' },
      { table: 'pushOutbox', access: 'write' },
    ],
  },
  // Review: flags become review items (conditional put); blocks are counted (BatchWriteItem per 25) and may
  // start a penalty on OpenIM. A second of gathering is nothing next to a moderator's reaction time.
  {
    entryName: 'review-worker',
    queue: 'review',
    batchSize: 100,
    batchingWindowSeconds: 1,
    publishesChatEvents: true,
    settings: ['openimAdmin'],
    tables: [
      { table: 'reviewItems', access: 'write' },
      { table: 'moderationLog', access: 'write' },
      { table: 'moderationPenalties', access: 'readWrite' },
      { table: 'moderationViolations', access: 'readWrite' },
    ],
  },
];
