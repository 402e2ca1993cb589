/**
 * `npm run invoke` as a newcomer uses it: the samples, stamped with today's time, leave an audit
 * record and a presence that the operator API shows; with no server it says so in one line.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvent } from '../helpers/events.ts';
import { eventually } from '../helpers/eventually.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

const exec = promisify(execFile);

async function invoke(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'scripts/invoke.ts', ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run invoke', () => {
  let server: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startLocalServer();
    env = { PORT: new URL(server.url).port, HOST: '127.0.0.1', DATA_DIR: server.dataDir, CALLBACK_SECRET: server.webhookBase.split('/').pop()!, API_TOKEN: server.apiToken };
  });
  afterAll(() => server.stop());

  const api = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.apiToken}` } }).then((r) => r.json() as Promise<Record<string, unknown>>);

  it('leaves an audit record of the afterSendSingleMsg sample that the API lists, and says where to look', async () => {
    // Prepare
    const sample = readEvent('callbackAfterSendSingleMsgCommand') as { sendID: string; serverMsgID: string };

    // Act
    const { code, stdout } = await invoke(env, 'afterSendSingleMsg');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain(`/api/audit?sendID=${sample.sendID}`);
    const record = await eventually(async () => {
      const items = (await api(`/api/audit?sendID=${sample.sendID}`)).items as { recordID: string; occurredAt: string }[];
      return items.find((item) => item.recordID === `sent#${sample.serverMsgID}`);
    });
    expect(Date.parse(record.occurredAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('leaves the afterUserOnline sample\'s user online', async () => {
    // Prepare
    const sample = readEvent('callbackAfterUserOnlineCommand') as { userID: string };

    // Act
    const { code, stdout } = await invoke(env, 'afterUserOnline');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain(`/api/presence/${sample.userID}`);
    const presence = await eventually(async () => {
      const found = await api(`/api/presence/${sample.userID}`);
      return found.online === true ? found : undefined;
    });
    expect(presence).toMatchObject({ online: true });
  });

  it('sends the file as it is with --verbatim, and names the config keys when the command is unknown', async () => {
    // Act
    const verbatim = await invoke(env, 'beforeSendSingleMsg', '--verbatim');
    const unknown = await invoke(env, 'beforeSendSingleMgs');

    // Assess
    expect(verbatim.code).toBe(0);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('beforeSendSingleMsg');
  });

  it('says in one line that no server answers, without a stack trace', async () => {
    // Act
    const { code, stderr } = await invoke({ ...env, PORT: '1' }, 'afterSendSingleMsg');

    // Assess
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('npm start');
  });
});
