/**
 * What the moderator workflow publishes to `chat-events` as `moderation.decided`, and what it keeps
 * in the moderation log: one entry per decision, automatic penalty and lifted penalty, with who,
 * when, what, the policy version and OpenIM's answer to every call made for it. The log also keeps
 * what people add to an item without deciding it (notes, escalations, users' reports and appeals);
 * only decisions and penalties are published. Entries are never changed; the audit trail stores
 * the event under its eventId.
 */
import * as z from 'zod/mini';
import { EFFECTS } from '../openim/admin/admin-outcome.ts';
import { Decision } from './review-item.ts';

export const MODERATION_DECIDED_EVENT_TYPE = 'moderation.decided';

export const ENTRY_KINDS = ['decision', 'penalty', 'penalty-lifted', 'note', 'escalation', 'report', 'appeal'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const PENALTY_KINDS = ['mute', 'forbid'] as const;
export const PenaltyKind = z.enum(PENALTY_KINDS);
export type PenaltyKind = z.infer<typeof PenaltyKind>;

/** OpenIM's answer to one call: its envelope and the operationID it was sent with. */
export const OpenImCallRecord = z.object({
  path: z.string(),
  operationID: z.string(),
  errCode: z.number(),
  errMsg: z.string(),
  errDlt: z.string(),
});
export type OpenImCallRecord = z.infer<typeof OpenImCallRecord>;

export const ACTION_NAMES = ['revoke', 'mute', 'forbid', 'unmute', 'unforbid'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** What one action achieved: applied, alreadyApplied (the state held already) or noEffect (OpenIM does not enforce it). */
export const ActionEffect = z.object({ action: z.enum(ACTION_NAMES), effect: z.enum(EFFECTS), note: z.optional(z.string()) });
export type ActionEffect = z.infer<typeof ActionEffect>;

export const ModerationLogEntry = z.object({
  entryId: z.string(),
  kind: z.enum(ENTRY_KINDS),
  /** Set for decisions, notes, escalations, reports and appeals: the reviewed item. */
  itemId: z.optional(z.string()),
  decision: z.optional(Decision),
  /** Set for penalties and lifts. */
  penalty: z.optional(z.object({ kind: PenaltyKind, penaltyKey: z.string(), mutedSeconds: z.optional(z.number()), violations: z.optional(z.number()) })),
  /** The user the entry is about (the sender of the message, the penalised user). */
  userID: z.string(),
  groupID: z.string(),
  conversationID: z.string(),
  /** The moderator, `system:repeat-offender` for automatic penalties, the reporting or appealing user for reports and appeals. */
  actor: z.string(),
  at: z.string().check(z.describe('ISO time')),
  reason: z.string(),
  policyVersion: z.nullable(z.number()),
  /**
   * applied: every action's state holds (done now, or held already); noEffect: OpenIM accepted
   * none of it in a way it enforces; failed: one failed, the rest were not run; recorded: a note,
   * escalation, report or appeal, with nothing to carry out.
   */
  outcome: z.enum(['applied', 'noEffect', 'failed', 'recorded']),
  /** Per action, what it achieved (absent in entries logged before effects were recorded). */
  effects: z.optional(z.array(ActionEffect)),
  openim: z.array(OpenImCallRecord),
  /** Why it failed, when it did (OpenIM unreachable, message not found...). */
  failure: z.optional(z.string()),
});
export type ModerationLogEntry = z.infer<typeof ModerationLogEntry>;

/** The payload of a `moderation.decided` chat event is the log entry itself. */
export const ModerationDecidedPayload = ModerationLogEntry;
export type ModerationDecidedPayload = ModerationLogEntry;

export const SYSTEM_ACTOR = 'system:repeat-offender';
