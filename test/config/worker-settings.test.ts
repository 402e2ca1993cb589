/** The workers' and the operator API's settings (zod/mini): presence, audit, review, OpenIM admin access and the policy table; defaults, the values taken, and refusals that name the variable. */
import { describe, expect, it } from 'vitest';
import { loadAuditConfig } from '#shared/config/audit-config.ts';
import { InvalidConfigError } from '#shared/config/errors.ts';
import { loadOperatorApiConfig } from '#shared/config/operator-api-config.ts';
import { loadPresenceConfig } from '#shared/config/presence-config.ts';
import { loadReviewConfig } from '#shared/config/review-config.ts';
import { DEFAULT_ADMIN_USER_ID, loadOpenImAdminConfig } from '#shared/openim/admin/admin-config.ts';

/** A test that `load` refuses `env` with an InvalidConfigError whose message matches. */
const refusedBy = (load: (env: NodeJS.ProcessEnv) => unknown) => (env: NodeJS.ProcessEnv, message: RegExp) => {
  expect(() => load(env)).toThrow(InvalidConfigError);
  expect(() => load(env)).toThrow(message);
};

describe('presence settings', () => {
  it('defaults the expiry to OpenIM\'s 30 minutes and reads a given one', () => {
    expect(loadPresenceConfig({ PRESENCE_TABLE_NAME: 'presence' })).toEqual({ presenceTableName: 'presence', expiryMinutes: 30 });
    expect(loadPresenceConfig({ PRESENCE_TABLE_NAME: 'presence', PRESENCE_EXPIRY_MINUTES: '12.5' }).expiryMinutes).toBe(12.5);
  });

  it.each([
    [{}, /^invalid configuration: PRESENCE_TABLE_NAME: /],
    [{ PRESENCE_TABLE_NAME: '' }, /^invalid configuration: PRESENCE_TABLE_NAME: Too small/],
    [{ PRESENCE_TABLE_NAME: 'presence', PRESENCE_EXPIRY_MINUTES: '0' }, /^invalid configuration: PRESENCE_EXPIRY_MINUTES: Too small: expected number to be >0/],
    [{ PRESENCE_TABLE_NAME: 'presence', PRESENCE_EXPIRY_MINUTES: 'half an hour' }, /^invalid configuration: PRESENCE_EXPIRY_MINUTES: Invalid input: expected number, received NaN/],
  ])('refuses %j, naming the variable', refusedBy(loadPresenceConfig));
});

describe('audit settings', () => {
  it('defaults retention to 90 days and five write attempts, and reads given ones', () => {
    expect(loadAuditConfig({ AUDIT_TABLE_NAME: 'audit' })).toEqual({ auditTableName: 'audit', retentionDays: 90, writeMaxAttempts: 5 });
    expect(loadAuditConfig({ AUDIT_TABLE_NAME: 'audit', AUDIT_RETENTION_DAYS: '365', AUDIT_WRITE_MAX_ATTEMPTS: '10' })).toEqual({
      auditTableName: 'audit',
      retentionDays: 365,
      writeMaxAttempts: 10,
    });
  });

  it.each([
    [{ AUDIT_TABLE_NAME: 'audit', AUDIT_RETENTION_DAYS: '1.5' }, /^invalid configuration: AUDIT_RETENTION_DAYS: Invalid input: expected int, received number/],
    [{ AUDIT_TABLE_NAME: 'audit', AUDIT_RETENTION_DAYS: '-1' }, /^invalid configuration: AUDIT_RETENTION_DAYS: Too small/],
    [{ AUDIT_TABLE_NAME: 'audit', AUDIT_WRITE_MAX_ATTEMPTS: '0' }, /^invalid configuration: AUDIT_WRITE_MAX_ATTEMPTS: Too small: expected number to be >=1/],
    [{ AUDIT_TABLE_NAME: 'audit', AUDIT_WRITE_MAX_ATTEMPTS: '11' }, /^invalid configuration: AUDIT_WRITE_MAX_ATTEMPTS: Too big: expected number to be <=10/],
  ])('refuses %j, naming the variable', refusedBy(loadAuditConfig));
});

const REVIEW_TABLES = {
  REVIEW_ITEMS_TABLE_NAME: 'items',
  MODERATION_LOG_TABLE_NAME: 'log',
  PENALTIES_TABLE_NAME: 'penalties',
  VIOLATIONS_TABLE_NAME: 'violations',
  CHAT_EVENTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:chat-events',
};

describe('review settings', () => {
  it('defaults the claim, retention and repeat-offender rules, and reads given ones', () => {
    expect(loadReviewConfig(REVIEW_TABLES)).toMatchObject({
      auditTableName: undefined,
      claimMs: 300_000,
      decisionLeaseMs: 60_000,
      muteSeconds: 86_400,
      decidedRetentionSeconds: 90 * 86_400,
      violationRetentionSeconds: 30 * 86_400,
      repeatOffenders: { penalty: 'mute', threshold: 3, windowMs: 86_400_000, muteSeconds: 3600, cooldownMs: 86_400_000 },
    });
    expect(loadReviewConfig({ ...REVIEW_TABLES, AUDIT_TABLE_NAME: 'audit', REPEAT_OFFENDER_PENALTY: 'off', REVIEW_CLAIM_SECONDS: '30' })).toMatchObject({
      auditTableName: 'audit',
      claimMs: 30_000,
      repeatOffenders: { penalty: 'off' },
    });
  });

  it.each([
    [{ ...REVIEW_TABLES, PENALTIES_TABLE_NAME: '' }, /^invalid configuration: PENALTIES_TABLE_NAME: Too small: expected string to have >=1 characters/],
    [{ ...REVIEW_TABLES, AUDIT_TABLE_NAME: '' }, /^invalid configuration: AUDIT_TABLE_NAME: Too small/],
    [{ ...REVIEW_TABLES, REPEAT_OFFENDER_PENALTY: 'ban' }, /^invalid configuration: REPEAT_OFFENDER_PENALTY: Invalid option: expected one of "off"\|"mute"\|"forbid"/],
    [{ ...REVIEW_TABLES, REVIEW_CLAIM_SECONDS: '0' }, /^invalid configuration: REVIEW_CLAIM_SECONDS: Too small: expected number to be >0/],
    [{ ...REVIEW_TABLES, REPEAT_OFFENDER_THRESHOLD: '2.5' }, /^invalid configuration: REPEAT_OFFENDER_THRESHOLD: Invalid input: expected int, received number/],
  ])('refuses %j, naming the variable', refusedBy(loadReviewConfig));
});

describe('OpenIM admin settings', () => {
  it("defaults this service's admin user, the timeout and the attempts, and trims the URLs' trailing slashes", () => {
    expect(loadOpenImAdminConfig({ OPENIM_API_URL: 'http://openim:10002/', OPENIM_SECRET: 's' })).toEqual({
      apiUrl: 'http://openim:10002',
      secret: 's',
      adminUserID: DEFAULT_ADMIN_USER_ID,
      chat: undefined,
      chatOffReason: 'OPENIM_CHAT_API_URL, OPENIM_CHAT_ADMIN_ACCOUNT, OPENIM_CHAT_ADMIN_PASSWORD not set',
      requestTimeoutMs: 5000,
      maxAttempts: 3,
    });
    expect(
      loadOpenImAdminConfig({
        OPENIM_API_URL: 'http://openim:10002',
        OPENIM_SECRET: 's',
        OPENIM_CHAT_API_URL: 'http://chat:10009//',
        OPENIM_CHAT_ADMIN_ACCOUNT: 'admin',
        OPENIM_CHAT_ADMIN_PASSWORD: 'pw',
        OPENIM_MAX_ATTEMPTS: '1',
      }),
    ).toMatchObject({ chat: { apiUrl: 'http://chat:10009', account: 'admin', password: 'pw' }, chatOffReason: undefined, maxAttempts: 1 });
  });

  it.each([
    [{ OPENIM_API_URL: 'openim', OPENIM_SECRET: 's' }, /^invalid configuration: OPENIM_API_URL: Invalid URL/],
    [{ OPENIM_API_URL: 'http://openim:10002', OPENIM_SECRET: '' }, /^invalid configuration: OPENIM_SECRET: Too small/],
    [{ OPENIM_API_URL: 'http://openim:10002', OPENIM_SECRET: 's', OPENIM_CHAT_API_URL: 'chat' }, /^invalid configuration: OPENIM_CHAT_API_URL: Invalid URL/],
    [{ OPENIM_API_URL: 'http://openim:10002', OPENIM_SECRET: 's', OPENIM_REQUEST_TIMEOUT_MS: '-5' }, /^invalid configuration: OPENIM_REQUEST_TIMEOUT_MS: Too small: expected number to be >0/],
  ])('refuses %j, naming the variable', refusedBy(loadOpenImAdminConfig));
});

describe('operator API settings', () => {
  it('reads the policy table', () => {
    expect(loadOperatorApiConfig({ POLICY_TABLE_NAME: 'policy' })).toEqual({ policyTableName: 'policy' });
  });

  it.each([
    [{}, /^invalid configuration: POLICY_TABLE_NAME: Invalid input: expected string, received undefined/],
    [{ POLICY_TABLE_NAME: '' }, /^invalid configuration: POLICY_TABLE_NAME: Too small/],
  ])('refuses %j, naming the variable', refusedBy(loadOperatorApiConfig));
});
