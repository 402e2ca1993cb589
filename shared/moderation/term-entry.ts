/**
 * One compiled term: what it does when it matches, where it applies and which of its edges need a word
 * boundary. Shared by the trie (word and phrase terms) and the matcher (regular-expression terms).
 */

export const MODERATION_ACTIONS = ['blocked', 'masked', 'flagged'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** The strongest action wins where matches overlap; allowed words rank below every action. */
export const ACTION_RANK = { allowed: 0, flagged: 1, masked: 2, blocked: 3 } as const;

/** Where a scan happens: the message's group (if any) and session type. */
export interface MatchScope {
  readonly groupID?: string;
  readonly sessionType?: number;
}

export interface TermEntry {
  readonly id: number;
  /** The term as the policy wrote it. */
  readonly term: string;
  readonly action: ModerationAction | 'allowed';
  readonly rank: number;
  /** `null` = every group. */
  readonly groupIDs: ReadonlySet<string> | null;
  /** `null` = every session type. */
  readonly sessionTypes: ReadonlySet<number> | null;
  /** A letter of a spaced script before the match denies it (false for allowed words and CJK edges). */
  readonly boundedStart: boolean;
  readonly boundedEnd: boolean;
}

export function appliesIn(entry: TermEntry, scope: MatchScope): boolean {
  if (entry.groupIDs !== null && (scope.groupID === undefined || !entry.groupIDs.has(scope.groupID))) return false;
  if (entry.sessionTypes !== null && (scope.sessionType === undefined || !entry.sessionTypes.has(scope.sessionType))) {
    return false;
  }
  return true;
}
