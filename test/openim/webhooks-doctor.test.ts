import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { diagnoseWebhooksConfig, type DoctorInput, type Problem, type SelfTestOutcome } from '#shared/openim/webhooks-doctor.ts';
import { renderWebhooksYml } from '#shared/openim/webhooks-yml.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

const answered: SelfTestOutcome = {
  kind: 'answered',
  budgets: { beforeBudgetMs: 300, pushBudgetMs: 2_000 },
  decides: ['beforeMsgModify', 'beforeOfflinePush', 'beforeSendGroupMsg', 'beforeSendSingleMsg'],
};
const printed = () => parse(renderWebhooksYml('http://host.docker.internal:8080/openim/s3cret-s3cret-s3cret')) as Record<string, Record<string, unknown>>;

/** The printed file as OpenIM v3.8.3 ships its keys: allowedTypes and deniedTypes as string lists, no main-only keys. */
function printedForV383(): Record<string, unknown> {
  const config = printed();
  for (const key of ['afterMsgSaveDB', 'beforeCreateSingleChatConversations', 'afterCreateSingleChatConversations', 'beforeCreateGroupChatConversations', 'afterCreateGroupChatConversations']) delete config[key];
  for (const section of Object.values(config)) {
    if (typeof section !== 'object') continue;
    if (Array.isArray(section.deniedTypes)) section.deniedTypes = section.deniedTypes.map(String);
  }
  return config;
}

function diagnose(config: unknown, overrides: Partial<DoctorInput> = {}): Problem[] {
  return diagnoseWebhooksConfig({ config, environment: {}, selfTest: answered, targets: ['main', 'v3.8.3'], ...overrides });
}
const errorsAndWarnings = (problems: Problem[]) => problems.filter((problem) => problem.severity !== 'note');

describe('Function: diagnoseWebhooksConfig()', () => {
  it('finds nothing wrong with the printed webhooks.yml, for main and for v3.8.3', () => {
    // Assess
    expect(errorsAndWarnings(diagnose(printed()))).toEqual([]);
    expect(errorsAndWarnings(diagnose(printedForV383(), { targets: ['v3.8.3'] }))).toEqual([]);
  });

  it.each([
    {
      fault: 'the pre-v3.7 `callback:` section',
      config: () => ({ callback: printed() }),
      expected: { severity: 'error', where: 'callback' },
    },
    {
      fault: 'a typo in a config key, with the key it meant',
      config: () => {
        const config = printed();
        config.beforeSendGroupMgs = config.beforeSendGroupMsg!;
        delete config.beforeSendGroupMsg;
        return config;
      },
      expected: { severity: 'error', where: 'beforeSendGroupMgs', fix: expect.stringContaining('beforeSendGroupMsg') },
    },
    { fault: 'a typo in a field', config: () => ({ ...printed(), beforeSendSingleMsg: { enabled: true, timeout: 2 } }), expected: { severity: 'error', where: 'beforeSendSingleMsg', problem: expect.stringContaining('enabled') } },
    { fault: 'no url', config: () => ({ ...printed(), url: undefined }), expected: { severity: 'error', where: 'url' } },
    { fault: 'a url with a query string', config: () => ({ ...printed(), url: 'http://h/openim/s?x=1' }), expected: { severity: 'error', where: 'url', problem: expect.stringContaining('query') } },
    { fault: 'a url with a trailing slash', config: () => ({ ...printed(), url: 'http://h/openim/s/' }), expected: { severity: 'error', where: 'url', problem: expect.stringContaining('double slash') } },
    { fault: 'a before-timeout shorter than the budget', config: () => ({ ...printed(), beforeSendSingleMsg: { ...printed().beforeSendSingleMsg, timeout: 1 } }), expected: { severity: 'error', where: 'beforeSendSingleMsg', fix: 'set timeout: 2' } },
    { fault: 'a timeout of 0 (only the 15 s HTTP limit)', config: () => ({ ...printed(), beforeMsgModify: { ...printed().beforeMsgModify, timeout: 0 } }), expected: { severity: 'warning', where: 'beforeMsgModify' } },
    { fault: 'a moderated callback switched off', config: () => ({ ...printed(), beforeSendSingleMsg: { enable: false, timeout: 2 } }), expected: { severity: 'warning', where: 'beforeSendSingleMsg', problem: expect.stringContaining('moderation') } },
    { fault: 'a before-callback nothing decides, switched on', config: () => ({ ...printed(), beforeSetGroupInfo: { enable: true, timeout: 2 } }), expected: { severity: 'warning', where: 'beforeSetGroupInfo' } },
    { fault: 'an audited after-callback switched off', config: () => ({ ...printed(), afterSendGroupMsg: { enable: false, timeout: 5 } }), expected: { severity: 'warning', where: 'afterSendGroupMsg' } },
    { fault: 'text types denied to moderation', config: () => ({ ...printed(), beforeSendGroupMsg: { ...printed().beforeSendGroupMsg, deniedTypes: [101, 102] } }), expected: { severity: 'error', where: 'beforeSendGroupMsg', problem: expect.stringContaining('101') } },
    { fault: 'a v3.8.3-style range, which main cannot load', config: () => ({ ...printed(), beforeSendGroupMsg: { ...printed().beforeSendGroupMsg, deniedTypes: ['102-105'] } }), expected: { severity: 'error', where: 'beforeSendGroupMsg', problem: expect.stringContaining('main') } },
    { fault: 'allowedTypes, which main ignores', config: () => ({ ...printed(), beforeSendGroupMsg: { ...printed().beforeSendGroupMsg, allowedTypes: ['101'] } }), expected: { severity: 'warning', where: 'beforeSendGroupMsg' } },
    { fault: 'attentionIds on an audited callback', config: () => ({ ...printed(), afterSendSingleMsg: { enable: true, timeout: 5, attentionIds: ['u1'] } }), expected: { severity: 'warning', where: 'afterSendSingleMsg' } },
  ])('names $fault', ({ config, expected }) => {
    // Act
    const problems = diagnose(config());

    // Assess
    expect(problems).toContainEqual(expect.objectContaining(expected));
  });

  it('accepts a range in v3.8.3-only files, which that version parses', () => {
    // Act
    const problems = diagnose({ ...printedForV383(), beforeSendGroupMsg: { enable: true, timeout: 2, deniedTypes: ['102-105'] } }, { targets: ['v3.8.3'] });

    // Assess
    expect(errorsAndWarnings(problems)).toEqual([]);
  });

  it('reads keys in any case, as viper does', () => {
    // Prepare
    const config = printed();
    config.BeforeSendSingleMsg = { Enable: true, Timeout: 2, DeniedTypes: [102] };
    delete config.beforeSendSingleMsg;

    // Assess
    expect(errorsAndWarnings(diagnose(config))).toEqual([]);
  });

  describe('IMENV_WEBHOOKS_* overrides (openim-docker)', () => {
    it('applies them as OpenIM would and reports each', () => {
      // Act
      const problems = diagnose(printed(), { environment: { IMENV_WEBHOOKS_BEFORESENDSINGLEMSG_ENABLE: 'false' } });

      // Assess
      expect(problems).toContainEqual(expect.objectContaining({ severity: 'note', where: 'IMENV_WEBHOOKS_BEFORESENDSINGLEMSG_ENABLE' }));
      expect(problems).toContainEqual(expect.objectContaining({ severity: 'warning', where: 'beforeSendSingleMsg' }));
    });

    it.each([
      { fault: 'a misspelt variable', variable: 'IMENV_WEBHOOKS_BEFORESENDSINGLEMSG_ENABLED', value: 'true', severity: 'error' },
      { fault: 'a YAML-style list (#3321)', variable: 'IMENV_WEBHOOKS_BEFORESENDSINGLEMSG_DENIEDTYPES', value: '[102, 103]', severity: 'error' },
      { fault: 'a key the file lacks, which viper never reads', variable: 'IMENV_WEBHOOKS_BEFORESENDSINGLEMSG_ALLOWEDTYPES', value: '101', severity: 'warning' },
    ])('names $fault', ({ variable, value, severity }) => {
      // Act
      const problems = diagnose(printed(), { environment: { [variable]: value } });

      // Assess
      expect(problems).toContainEqual(expect.objectContaining({ severity, where: variable }));
    });
  });

  it.each([
    { outcome: { kind: 'wrongSecret' } as const, text: 'secret' },
    { outcome: { kind: 'unreachable', reason: 'ECONNREFUSED' } as const, text: 'ECONNREFUSED' },
    { outcome: { kind: 'notThisService', status: 502 } as const, text: '502' },
  ])('names a self-test that failed: $outcome.kind', ({ outcome, text }) => {
    // Assess
    expect(diagnose(printed(), { selfTest: outcome })).toContainEqual(expect.objectContaining({ severity: 'error', where: 'url', problem: expect.stringContaining(text) }));
  });
});

describe('npm run doctor against the running service', () => {
  const exec = promisify(execFile);
  let server: RunningServer;
  let dir: string;

  const doctor = async (...args: string[]) => {
    try {
      const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'scripts/doctor.ts', ...args], { cwd: join(import.meta.dirname, '..', '..') });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  };

  beforeAll(async () => {
    server = await startLocalServer();
    dir = mkdtempSync(join(tmpdir(), 'doctor-'));
    const printedYml = server.output.slice(server.output.findIndex((line) => line.startsWith('--- webhooks.yml')) + 1).filter((line) => !line.startsWith('{')).join('\n');
    writeFileSync(join(dir, 'webhooks.yml'), printedYml);
    const broken = parse(printedYml) as Record<string, unknown>;
    broken.url = `${server.url}/openim/not-the-secret`;
    writeFileSync(join(dir, 'broken.yml'), stringify(broken));
  });
  afterAll(() => server.stop());

  it('passes the webhooks.yml that npm start printed, found from its config directory, after a self-test that reached the service', async () => {
    // Act
    const { code, stdout } = await doctor(dir);

    // Assess
    expect(stdout).toContain('Self-test: openim-hooks answered');
    expect(stdout).toContain('0 error(s), 0 warning(s)');
    expect(code).toBe(0);
    expect(server.logLines().filter((line) => line.operationID === 'openim-hooks-doctor')).toEqual([]);
  });

  it('fails a file whose URL carries the wrong secret, and says so', async () => {
    // Act
    const { code, stdout } = await doctor(join(dir, 'broken.yml'));

    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(/✖ error url: .*secret/);
  });
});
