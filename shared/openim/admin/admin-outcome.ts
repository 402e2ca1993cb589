/**
 * What a state-changing admin call achieved, read from OpenIM's and chat's real answers rather
 * than from "errCode is 0". Checked against open-im-server @7848d7c and openimsdk/chat @73e7b82
 * (the same in chat v1.8.0 .. v1.8.4-patch.5):
 *
 *   call                 answer when the state already holds                      source
 *   core /msg/revoke_msg 1404 MsgAlreadyRevoke                                    internal/rpc/msg/revoke.go
 *   chat /block/add      1001 ArgsError, errDlt "user already blocked"            internal/rpc/admin/user.go
 *   chat /block/del      1001 ArgsError, errDlt "user not blocked <userIDs>"      internal/rpc/admin/user.go
 *   core /group/cancel_mute_group_member  1004 RecordNotFound (not a member)      internal/rpc/group/group.go
 *
 * 1001 is every argument error, so the detail text decides; chat's gRPC layer carries it to
 * `errDlt` unchanged (tools mw/rpc_server_interceptor.go).
 */
import type { OpenImAnswer } from './openim-caller.ts';

export const EFFECTS = ['applied', 'alreadyApplied', 'noEffect'] as const;
/**
 * applied: this call changed the state; alreadyApplied: the state held already (or a call whose
 * answer was lost had applied it); noEffect: OpenIM accepts the call but does not enforce it here.
 */
export type Effect = (typeof EFFECTS)[number];

export interface AdminOutcome {
  readonly effect: Effect;
  /** OpenIM's answers to the calls made, in order (reads included). */
  readonly answers: readonly OpenImAnswer[];
  /** What the moderator should know about how the effect holds (shown and logged as is). */
  readonly note?: string;
}

export const ERR_CODES = {
  args: 1001,
  recordNotFound: 1004,
  msgAlreadyRevoked: 1404,
} as const;

/** The answers that mean the desired state already holds, per path. */
const ALREADY_HELD: Readonly<Record<string, (answer: OpenImAnswer) => boolean>> = {
  '/msg/revoke_msg': (answer) => answer.errCode === ERR_CODES.msgAlreadyRevoked,
  '/block/add': (answer) => answer.errCode === ERR_CODES.args && /already blocked/i.test(answer.errDlt),
  '/block/del': (answer) => answer.errCode === ERR_CODES.args && /not blocked/i.test(answer.errDlt),
  '/group/cancel_mute_group_member': (answer) => answer.errCode === ERR_CODES.recordNotFound,
};

export function meansAlreadyHeld(answer: OpenImAnswer): boolean {
  return ALREADY_HELD[answer.path]?.(answer) ?? false;
}
