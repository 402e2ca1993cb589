/**
 * Moderator accounts in one JSON file under DATA_DIR (`moderators.json`, mode 0600). A file, not a
 * dynalite table: the CLI (`npm run moderators`) must work while the server runs, and dynalite's
 * LevelDB store cannot be opened by a second process. Writes go to a temporary file that is then
 * renamed over the old one, so the server never reads half a file; the server re-reads the file
 * only when it changed.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import type { Role } from '../api/moderator-access.ts';
import {
  AccountExistsError,
  AccountName,
  ModeratorAccount,
  accountTokenHash,
  newAccountToken,
  type ModeratorAccountStore,
} from './moderator-account-store.ts';

const AccountsFile = z.object({ accounts: z.array(ModeratorAccount) });

export class FileModeratorAccountStore implements ModeratorAccountStore {
  private cached: { version: string; byHash: Map<string, ModeratorAccount>; accounts: ModeratorAccount[] } | undefined;

  /** `reserved`: names taken by principals outside this file (the start-up token's admin). */
  constructor(
    private readonly file: string,
    private readonly reserved: readonly string[] = [],
  ) {}

  async add(name: string, role: Role, now = new Date()): Promise<{ account: ModeratorAccount; token: string }> {
    const checkedName = AccountName.parse(name);
    const accounts = this.read().accounts;
    if (this.reserved.includes(checkedName) || accounts.some((account) => account.name === checkedName)) throw new AccountExistsError(checkedName);
    const token = newAccountToken();
    const account: ModeratorAccount = { name: checkedName, role, tokenHash: accountTokenHash(token), createdAt: now.toISOString() };
    this.write([...accounts, account]);
    return { account, token };
  }

  async list(): Promise<ModeratorAccount[]> {
    return [...this.read().accounts];
  }

  async remove(name: string): Promise<boolean> {
    const accounts = this.read().accounts;
    const kept = accounts.filter((account) => account.name !== name);
    if (kept.length === accounts.length) return false;
    this.write(kept);
    return true;
  }

  async byToken(token: string): Promise<ModeratorAccount | undefined> {
    // Looked up by the hash of what was presented: timing reveals nothing about a stored token.
    return this.read().byHash.get(accountTokenHash(token));
  }

  private read() {
    // A rename gives the file a new inode, so this changes on every write, however close together.
    const stat = existsSync(this.file) ? statSync(this.file) : undefined;
    const version = stat ? `${stat.ino}:${stat.mtimeMs}:${stat.size}` : 'none';
    if (this.cached?.version === version) return this.cached;
    const accounts = stat ? AccountsFile.parse(JSON.parse(readFileSync(this.file, 'utf8'))).accounts : [];
    this.cached = { version, accounts, byHash: new Map(accounts.map((account) => [account.tokenHash, account])) };
    return this.cached;
  }

  private write(accounts: ModeratorAccount[]): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ accounts }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
    this.cached = undefined;
  }
}
