/**
 * The policy API over real HTTP against the real local server (dynalite behind it): what it refuses,
 * that a refusal changes nothing in force, and a policy at the size limits going through while the
 * callbacks keep answering.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_POLICY_BYTES, MAX_POLICY_TERMS } from '#shared/moderation/policy.ts';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { readEvent } from '../helpers/events.ts';
import { eventually } from '../helpers/eventually.ts';
import { generatedTerms } from '../helpers/generated-terms.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

const COMMAND = 'callbackBeforeSendSingleMsgCommand';

describe('Policy API over HTTP', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
    writeFileSync(file, JSON.stringify({ blocked: ['badword'] }));
    server = await startLocalServer({ MODERATION_POLICY_FILE: file, POLICY_REFRESH_MS: '100' });
    // The server loads the policy at start, before any callback: it seeds the empty store with the file (version 1).
    const inForce = await eventually(() => server.logLines().find((line) => line.message === 'moderation policy in force'));
    expect(inForce).toMatchObject({ policyVersion: 1, source: 'store', terms: 1 });
    expect((await send('you badword')).errDlt).toBe('policy version 1');
  });

  afterAll(async () => {
    await server?.stop();
  });

  function putPolicy(body: unknown) {
    return fetch(`${server.url}/api/moderation/policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${server.apiToken}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** What GET /api/moderation/policy reads back: the newest version and its document. */
  async function storedPolicy(): Promise<{ version: number; policy: { blocked: string[] } }> {
    const response = await fetch(`${server.url}/api/moderation/policy`, { headers: { authorization: `Bearer ${server.apiToken}` } });
    return (await response.json()) as { version: number; policy: { blocked: string[] } };
  }

  async function storedVersion(): Promise<number> {
    return (await storedPolicy()).version;
  }

  /** The before-send reply to `text`: errDlt names the version in force when the text is blocked. */
  async function send(text: string): Promise<{ errCode: number; errDlt: string }> {
    const body = JSON.stringify({ ...readEvent(COMMAND), content: JSON.stringify({ content: text }) });
    const response = await fetch(`${server.webhookBase}/${COMMAND}`, { method: 'POST', body, headers: { operationID: `policy-${Math.random()}` } });
    return (await response.json()) as { errCode: number; errDlt: string };
  }

  it.each([
    { case: 'a list name has a typo', body: { bloked: ['scam'] }, problem: { path: '(policy)', message: 'Unrecognized key: "bloked"' } },
    { case: 'a term is only punctuation', body: { blocked: ['scam', '...'] }, problem: { path: 'blocked[1]', term: '...' } },
    { case: 'a term is too long', body: { flagged: ['x'.repeat(257)] }, problem: { path: 'flagged[0]' } },
    {
      case: 'it has one term too many',
      body: { blocked: generatedTerms(MAX_POLICY_TERMS + 1) },
      problem: { path: '(policy)', message: `a policy holds at most ${MAX_POLICY_TERMS} terms; this one has ${MAX_POLICY_TERMS + 1}` },
    },
  ])('refuses a policy with 400 when $case, and the version in force stays', async ({ body, problem }) => {
    // Prepare
    const before = await storedVersion();

    // Act
    const response = await putPolicy(body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400, errors: [expect.objectContaining(problem)] });
    expect(await storedVersion()).toBe(before);
    expect((await send('you badword')).errDlt).toBe(`policy version ${before}`);
  }, 60_000);

  it('lists every offending term of a policy in one 400', async () => {
    // Act
    const response = await putPolicy({ blocked: ['fine', '...', ',;'], masked: [{ term: 'x', scope: 'g1' }], allowed: ['   '] });

    // Assess
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: { list: string; index: number }[] };
    expect(errors.map(({ list, index }) => `${list}[${index}]`)).toEqual(['blocked[1]', 'blocked[2]', 'masked[0]', 'allowed[0]']);
  });

  it('refuses a body over the size limit with 413 and writes nothing', async () => {
    // Prepare
    const before = await storedVersion();
    const oversized = JSON.stringify({ blocked: ['a'.repeat(250)], padding: ' '.repeat(MAX_POLICY_BYTES) });

    // Act
    const response = await putPolicy(oversized);

    // Assess
    expect(response.status).toBe(413);
    expect(((await response.json()) as { detail: string }).detail).toContain(`at most ${MAX_POLICY_BYTES}`);
    expect(await storedVersion()).toBe(before);
  });

  it('answers 409 to a change based on version 0 once a version has been saved', async () => {
    // Prepare
    const before = await storedVersion();

    // Act
    const response = await putPolicy({ version: 0, blocked: ['stale'] });

    // Assess
    expect(before).toBeGreaterThan(0);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ currentVersion: before });
    expect(await storedVersion()).toBe(before);
  });

  it('saves a policy at the term limit, reads it back identical and applies it while callbacks keep answering', async () => {
    // Prepare
    const terms = generatedTerms(MAX_POLICY_TERMS);
    const before = await storedVersion();
    const newest = terms.at(-1)!;

    // Act 1: callbacks asked one after another while the PUT is checked.
    let putDone = false;
    const put = putPolicy({ version: before, blocked: terms }).finally(() => (putDone = true));
    let answeredDuringPut = 0;
    while (!putDone) {
      await send('hello there');
      if (!putDone) answeredDuringPut += 1;
    }
    const saved = await put;

    // Act 2: the same while the callbacks compile it; the old version decides until then. At once:
    // reading the 100,000 terms back first (through the stand-ins, at nice 19) took longer than the
    // compile in a loaded CI run, and the new version was in force before the first message.
    let answeredByOld = 0;
    for (let reply = await send(`say ${newest}`); reply.errCode !== HOOK_ERROR_CODES.messageBlocked; reply = await send(`say ${newest}`)) {
      answeredByOld += 1;
    }
    const stored = await storedPolicy();

    // Assess
    expect(saved.status).toBe(200);
    expect(stored.version).toBe(before + 1);
    expect(stored.policy.blocked).toEqual(terms);
    expect((await send(`say ${newest}`)).errDlt).toBe(`policy version ${before + 1}`);
    expect(answeredDuringPut).toBeGreaterThan(10);
    expect(answeredByOld).toBeGreaterThan(10);
  }, 300_000);
});
