/** The presence and audit settings (zod/mini): defaults, the values taken, and refusals that name the variable. */
import { describe, expect, it } from 'vitest';
import { loadAuditConfig } from '#shared/config/audit-config.ts';
import { InvalidConfigError } from '#shared/config/errors.ts';
import { loadPresenceConfig } from '#shared/config/presence-config.ts';

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
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadPresenceConfig(env)).toThrow(InvalidConfigError);
    expect(() => loadPresenceConfig(env)).toThrow(message);
  });
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
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadAuditConfig(env)).toThrow(InvalidConfigError);
    expect(() => loadAuditConfig(env)).toThrow(message);
  });
});
