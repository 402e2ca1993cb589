/**
 * `npm run moderators -- add <name> --role triage|moderator|admin` | `list` | `remove <name>`
 * Named moderator accounts for local mode, kept hashed under DATA_DIR (local/moderator-accounts.ts);
 * works whether or not the server runs, which picks changes up on the next request. `add` prints the
 * account's token once: it is not stored and cannot be shown again. The start-up API_TOKEN stays the
 * first admin (`local-operator`). In AWS, add people to the Cognito groups instead (docs/review.md).
 */
import { parseArgs } from 'node:util';
import { ROLES, Role } from '#shared/api/moderator-access.ts';
import { AccountExistsError } from '#shared/store/moderator-account-store.ts';
import { loadLocalConfig } from '../local/local-config.ts';
import { reportFailure } from '../local/failure-line.ts';
import { localModeratorAccounts } from '../local/moderator-accounts.ts';

const USAGE = `usage: npm run moderators -- add <name> --role ${ROLES.join('|')}
       npm run moderators -- list
       npm run moderators -- remove <name>`;

class UsageError extends Error {}

try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { role: { type: 'string' } } });
  const [command, name] = positionals;
  const accounts = localModeratorAccounts(loadLocalConfig().dataDir);
  if (command === 'add') {
    if (!name) throw new UsageError('add needs a name');
    const role = Role.safeParse(values.role);
    if (!role.success) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const { account, token } = await accounts.add(name, role.data);
    process.stdout.write(`added ${account.name} (${account.role})\ntoken (shown once, keep it safe): ${token}\n`);
  } else if (command === 'list') {
    const list = await accounts.list();
    if (list.length === 0) process.stdout.write('no named accounts; the API_TOKEN signs in as local-operator (admin)\n');
    for (const account of list) process.stdout.write(`${account.name}\t${account.role}\tcreated ${account.createdAt}\n`);
  } else if (command === 'remove') {
    if (!name) throw new UsageError('remove needs a name');
    if (!(await accounts.remove(name))) throw new UsageError(`no account named ${name}`);
    process.stdout.write(`removed ${name}; its token no longer signs in\n`);
  } else {
    throw new UsageError(command ? `unknown command ${command}` : 'no command');
  }
} catch (error) {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
  else if (error instanceof AccountExistsError) process.stderr.write(`${error.message}\n`);
  // A bad setting, an unknown option or anything unexpected: one line, stack only with DEBUG=1.
  else reportFailure('moderators', error);
  process.exitCode = 1;
}
