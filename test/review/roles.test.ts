/**
 * People and roles over real HTTP against the real local server: named accounts made with the CLI
 * (`npm run moderators`), each role's boundary on the review and policy routes, every claim,
 * decision, note and log entry attributed to its person, and a failed decision left on the item,
 * recoverable by retry or release.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDynamoDocumentClient } from '#shared/aws/dynamodb-client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbReviewStore } from '#shared/store/dynamodb-review-store.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { localModeratorAccounts } from '../../local/moderator-accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { api, sendGroupMessage, startReviewRig, type ReviewRig } from '../helpers/review-server.ts';
import { newItem } from '../helpers/review-items.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

describe('Roles on the operator API', () => {
  let rig: ReviewRig;
  const tokens = {} as Record<string, string> & Record<'alice' | 'bob' | 'tara', string>;

  const flagged = async (clientMsgID: string, sendID = 'mallory') => {
    await sendGroupMessage(rig, { text: 'send a wire transfer now', sendID, groupID: 'g-roles', clientMsgID });
    await eventually(async () => (await api(rig, 'GET', `/api/review/items/${clientMsgID}`)).status === 200);
  };

  beforeAll(async () => {
    rig = await startReviewRig();
    const accounts = localModeratorAccounts(rig.server.dataDir);
    for (const [name, role] of [['bob', 'moderator'], ['tara', 'triage']] as const) tokens[name] = (await accounts.add(name, role)).token;
  }, 90_000);

  afterAll(async () => {
    await rig?.stop();
  });

  it('adds an account with the CLI, whose token signs in as that person until it is removed', async () => {
    // Act
    const added = await run('npm', ['run', '-s', 'moderators', '--', 'add', 'alice', '--role', 'moderator'], { cwd: ROOT, env: { ...process.env, DATA_DIR: rig.server.dataDir } });
    const token = /token \(shown once, keep it safe\): (\S+)/.exec(added.stdout)?.[1] ?? '';
    tokens.alice = token;
    const listed = await run('npm', ['run', '-s', 'moderators', '--', 'list'], { cwd: ROOT, env: { ...process.env, DATA_DIR: rig.server.dataDir } });
    const me = await api(rig, 'GET', '/api/review/me', undefined, token);

    // Assess
    expect(token).toMatch(/^ohm_[\w-]{43}$/);
    expect(listed.stdout).toMatch(/^alice\tmoderator\t/m);
    expect(listed.stdout).not.toContain(token);
    expect(me).toMatchObject({ status: 200, body: { name: 'alice', role: 'moderator' } });
  });

  it('refuses a removed account\'s token', async () => {
    // Prepare
    const accounts = localModeratorAccounts(rig.server.dataDir);
    const { token } = await accounts.add('gone', 'moderator');
    const before = await api(rig, 'GET', '/api/review/counts', undefined, token);

    // Act
    await run('npm', ['run', '-s', 'moderators', '--', 'remove', 'gone'], { cwd: ROOT, env: { ...process.env, DATA_DIR: rig.server.dataDir } });
    const after = await api(rig, 'GET', '/api/review/counts', undefined, token);

    // Assess
    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
  });

  it('lets a triage account view, annotate and escalate, but not claim or decide', async () => {
    // Prepare
    await flagged('roles-triage');

    // Act
    const listed = await api(rig, 'GET', '/api/review/items?state=pending', undefined, tokens.tara);
    const note = await api(rig, 'POST', '/api/review/items/roles-triage/notes', { text: 'looks like the scam from last week' }, tokens.tara);
    const escalated = await api(rig, 'POST', '/api/review/items/roles-triage/escalate', { reason: 'needs a moderator' }, tokens.tara);
    const claim = await api(rig, 'POST', '/api/review/items/roles-triage/claim', undefined, tokens.tara);
    const decision = await api(rig, 'POST', '/api/review/items/roles-triage/decision', { decision: 'removed', reason: 'scam' }, tokens.tara);

    // Assess
    expect(listed.status).toBe(200);
    expect(note).toMatchObject({ status: 200, body: { kind: 'note', actor: 'tara', outcome: 'recorded' } });
    expect(escalated).toMatchObject({ status: 200, body: { item: { escalation: { by: 'tara', reason: 'needs a moderator' } }, entry: { kind: 'escalation', actor: 'tara' } } });
    expect(claim).toMatchObject({ status: 403, body: { status: 403, requiredRole: 'moderator', role: 'triage' } });
    expect(decision.status).toBe(403);
    expect((await api(rig, 'GET', '/api/review/items/roles-triage')).body.item.state).toBe('pending');
  });

  it('lets a moderator read the policy but not change it, and an admin change it under their name', async () => {
    // Act
    const read = await api(rig, 'GET', '/api/moderation/policy', undefined, tokens.bob);
    const refused = await api(rig, 'PUT', '/api/moderation/policy', { blocked: [], masked: [], flagged: ['anything'], allowed: [] }, tokens.bob);
    const saved = await api(rig, 'PUT', '/api/moderation/policy', { ...read.body.policy, version: read.body.version });

    // Assess
    expect(read.status).toBe(200);
    expect(refused).toMatchObject({ status: 403, body: { requiredRole: 'admin', role: 'moderator' } });
    expect(refused.body.detail).toContain('bob is moderator');
    expect(saved).toMatchObject({ status: 200, body: { version: read.body.version + 1, updatedBy: 'local-operator' } });
  });

  it('attributes claims and decisions of two moderators at once, and shows the loser who holds the item', async () => {
    // Prepare
    await flagged('roles-race');

    // Act
    const claims = await Promise.all([tokens.alice, tokens.bob].map((token) => api(rig, 'POST', '/api/review/items/roles-race/claim', undefined, token)));
    const winner = claims.find((claim) => claim.status === 200)!.body.claimedBy as string;
    const loser = claims.find((claim) => claim.status === 409)!;
    const mine = await api(rig, 'GET', `/api/review/items?state=claimed&claimedBy=${winner}`, undefined, tokens[winner]);
    const decided = await api(rig, 'POST', '/api/review/items/roles-race/decision', { decision: 'removed', reason: 'scam' }, tokens[winner]);
    const log = await api(rig, 'GET', '/api/review/log?itemId=roles-race');
    const byWinner = await api(rig, 'GET', `/api/review/items?state=decided&decidedBy=${winner}`);
    const stats = await api(rig, 'GET', '/api/review/stats?days=1', undefined, tokens.tara);

    // Assess
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(claims.map((claim) => claim.status).sort()).toEqual([200, 409]);
    expect(['alice', 'bob']).toContain(winner);
    expect(loser.body).toMatchObject({ claimedBy: winner, state: 'claimed' });
    expect(mine.body.items.map((item: { itemId: string; claimedAt: string }) => item.itemId)).toContain('roles-race');
    expect(decided).toMatchObject({ status: 200, body: { item: { decidedBy: winner }, entry: { actor: winner } } });
    expect(log.body.entries).toEqual([expect.objectContaining({ kind: 'decision', actor: winner })]);
    expect(byWinner.body.items.map((item: { itemId: string }) => item.itemId)).toContain('roles-race');
    expect(stats.body.decisionsPerModeratorPerDay).toContainEqual({ moderator: winner, day: new Date().toISOString().slice(0, 10), decisions: 1 });
    expect(stats.body.timeToClaim.samples).toBeGreaterThanOrEqual(1);
  });

  it('keeps a failed decision on the item, claimed by its moderator, who can retry or release it', async () => {
    // Prepare
    await flagged('roles-fail');
    await api(rig, 'POST', '/api/review/items/roles-fail/claim', undefined, tokens.bob);
    rig.standIn.failConnections(20);

    // Act
    const failed = await api(rig, 'POST', '/api/review/items/roles-fail/decision', { decision: 'removed', reason: 'scam' }, tokens.bob);
    const afterFailure = (await api(rig, 'GET', '/api/review/items/roles-fail')).body.item;
    const othersRelease = await api(rig, 'POST', '/api/review/items/roles-fail/release', undefined, tokens.alice);
    const released = await api(rig, 'POST', '/api/review/items/roles-fail/release', undefined, tokens.bob);
    rig.standIn.failConnections(0);
    await api(rig, 'POST', '/api/review/items/roles-fail/claim', undefined, tokens.bob);
    const retried = await api(rig, 'POST', '/api/review/items/roles-fail/decision', { decision: 'removed', reason: 'scam' }, tokens.bob);

    // Assess
    expect(failed).toMatchObject({ status: 502, body: { entryId: expect.any(String) } });
    expect(afterFailure).toMatchObject({ state: 'claimed', claimedBy: 'bob', lastFailure: { decision: 'removed', by: 'bob', kind: 'openimFailed' } });
    expect(othersRelease.status).toBe(409);
    expect(released).toMatchObject({ status: 200, body: { state: 'pending' } });
    expect(released.body.lastFailure).toBeUndefined();
    expect(retried).toMatchObject({ status: 200, body: { item: { state: 'decided', decidedBy: 'bob' } } });
  });

  it('lets a moderator read presence and push data but not change a user\'s devices or preferences', async () => {
    // Act
    const presence = await api(rig, 'GET', '/api/presence/mallory', undefined, tokens.bob);
    const device = await api(rig, 'PUT', '/api/devices/mallory/phone-1', { provider: 'fcm', token: 'fcm-token-0123456789' }, tokens.bob);
    const preferences = await api(rig, 'PUT', '/api/push/preferences/mallory', { muted: true }, tokens.bob);

    // Assess
    expect(presence.status).toBe(200);
    expect(device).toMatchObject({ status: 403, body: { requiredRole: 'admin', role: 'moderator' } });
    expect(preferences.status).toBe(403);
  });

  it('shows each route\'s least role in the OpenAPI document', async () => {
    // Act
    const { body } = await api(rig, 'GET', '/api/openapi.json', undefined, tokens.tara);

    // Assess
    const roleOf = (path: string, method: string) => body.paths[path][method]['x-required-role'];
    expect(roleOf('/api/moderation/policy', 'put')).toBe('admin');
    expect(roleOf('/api/moderation/policy', 'get')).toBe('triage');
    expect(roleOf('/api/review/items/{itemId}/decision', 'post')).toBe('moderator');
    expect(roleOf('/api/review/items/{itemId}/notes', 'post')).toBe('triage');
    expect(roleOf('/api/presence:batch', 'post')).toBe('triage');
    expect(roleOf('/api/devices/{userID}/{deviceID}', 'put')).toBe('admin');
    expect(body.components.securitySchemes.bearer.description).toContain('moderators -> moderator');
  });

  it('tells the console which decisions it cannot carry out on an item, and why', async () => {
    // Prepare: a flagged single-chat message, which cannot be muted in a group
    const documents = createDynamoDocumentClient({ endpoint: rig.server.dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    await new DynamoDbReviewStore(documents, TABLE_DEFINITIONS.reviewItems.localName).add(newItem('roles-single', { groupID: '' }));

    // Act
    const detail = await api(rig, 'GET', '/api/review/items/roles-single', undefined, tokens.tara);

    // Assess
    expect(detail.body.decisions).toEqual([
      { decision: 'approved', available: true },
      { decision: 'removed', available: true },
      { decision: 'muted', available: false, reason: expect.stringContaining('group messages only') },
      { decision: 'banned', available: true },
    ]);
  });
});
