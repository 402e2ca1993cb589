/**
 * OpenIM's admin users, with the one the moderation Lambdas act as (OPENIM_ADMIN_USER_ID) beside
 * OpenIM's own imAdmin, so that fetching its token never demotes the tokens of OpenIM chat's admin.
 * v3.8.3 reads `share.yml imAdminUserID`; main reads `imAdminUser.userIDs` and `.nicknames`.
 * Lists are comma-separated, as viper splits environment strings.
 */
import type { OpenimVersion } from '../config/stage-config.ts';
import { DEFAULT_ADMIN_USER_ID } from '#shared/openim/admin/admin-config.ts';

export const OPENIM_ADMIN_USERS = ['imAdmin', DEFAULT_ADMIN_USER_ID] as const;

export function adminUsersEnvironment(version: OpenimVersion): Record<string, string> {
  const users = OPENIM_ADMIN_USERS.join(',');
  return version === 'main'
    ? { IMENV_SHARE_IMADMINUSER_USERIDS: users, IMENV_SHARE_IMADMINUSER_NICKNAMES: users }
    : { IMENV_SHARE_IMADMINUSERID: users };
}
