/** Where local mode keeps its named moderator accounts: read by the server, written by `npm run moderators`. */
import { join } from 'node:path';
import { FileModeratorAccountStore } from '#shared/store/file-moderator-account-store.ts';
import { LOCAL_OPERATOR } from './bearer-token.ts';

export const MODERATOR_ACCOUNTS_FILE = 'moderators.json';

export function localModeratorAccounts(dataDir: string): FileModeratorAccountStore {
  return new FileModeratorAccountStore(join(dataDir, MODERATOR_ACCOUNTS_FILE), [LOCAL_OPERATOR]);
}
