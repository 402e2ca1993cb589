/**
 * Port for named moderator accounts in local mode (in AWS, people are Cognito users and their
 * groups give the roles). An account holds the SHA-256 of its token, never the token: the token is
 * 256 random bits, so a fast hash is as safe as a slow one (there is nothing to guess) and every API
 * request can be checked with one hash instead of ~50 ms of scrypt CPU per console poll.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { Role } from '../api/moderator-access.ts';

/** Lower-case letters, digits, `.`, `_`, `-`; it is what the moderation log records. */
export const AccountName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a name is 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');

export const ModeratorAccount = z.object({
  name: AccountName,
  role: Role,
  /** Hex SHA-256 of the token. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
export type ModeratorAccount = z.infer<typeof ModeratorAccount>;

/** Tokens carry a prefix so that a leaked one is recognisable (secret scanners, logs). */
const TOKEN_PREFIX = 'ohm_';

export function newAccountToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function accountTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class AccountExistsError extends Error {
  constructor(readonly accountName: string) {
    super(`an account named ${accountName} exists already; remove it first to issue a new token`);
    this.name = 'AccountExistsError';
  }
}

export interface ModeratorAccountStore {
  /** Creates the account and returns its token, which is not stored and cannot be shown again. @throws AccountExistsError */
  add(name: string, role: Role, now?: Date): Promise<{ account: ModeratorAccount; token: string }>;
  list(): Promise<ModeratorAccount[]>;
  /** False when there was no such account. */
  remove(name: string): Promise<boolean>;
  /** The account whose token this is, if any. */
  byToken(token: string): Promise<ModeratorAccount | undefined>;
}
