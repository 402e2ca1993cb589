import { describe, expect, it } from 'vitest';
import { loadOpenImAdminAccess } from '#shared/openim/admin/admin-config.ts';
import { captureLogs } from '../helpers/lambda.ts';

describe('Function: loadOpenImAdminAccess()', () => {
  it.each([
    { case: 'OPENIM_API_URL is not set', env: {}, reason: /^OPENIM_API_URL is not set$/ },
    { case: 'OPENIM_SECRET is missing (a deployment that named no secret)', env: { OPENIM_API_URL: 'http://openim:10002' }, reason: /OPENIM_SECRET/ },
    { case: 'OPENIM_API_URL is no URL', env: { OPENIM_API_URL: 'openim', OPENIM_SECRET: 's' }, reason: /OPENIM_API_URL/ },
  ])('turns access off with one warning, and does not throw, when $case', async ({ env, reason }) => {
    // Act
    const { result, lines } = await captureLogs(async () => loadOpenImAdminAccess(env));

    // Assess
    expect(result).toEqual({ on: false, reason: expect.stringMatching(reason) });
    expect(lines).toEqual([expect.objectContaining({ level: 'WARN', capability: 'OpenIM admin access', reason: expect.stringMatching(reason) })]);
  });

  it('turns access on without chat, saying which chat settings are missing, when only the core API is configured', () => {
    // Act
    const access = loadOpenImAdminAccess({ OPENIM_API_URL: 'http://openim:10002', OPENIM_SECRET: 's', OPENIM_CHAT_API_URL: 'http://openim:10009' });

    // Assess
    expect(access).toMatchObject({ on: true, settings: { chat: undefined, chatOffReason: 'OPENIM_CHAT_ADMIN_ACCOUNT, OPENIM_CHAT_ADMIN_PASSWORD not set' } });
  });
});
