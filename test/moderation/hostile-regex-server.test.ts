/**
 * Hostile regular-expression terms against the real local server: a message that keeps RE2's NFA busy
 * gets the right verdict while `/health` keeps answering, and a message longer than the policy's regex
 * work limit goes to the over-limit rule at once. How long the event loop waits is measured by
 * `npm run bench:moderation` (hostile regex rows), not here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOOK_ERROR_CODES } from '#shared/openim/error-codes.ts';
import { readEvent } from '../helpers/events.ts';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

/** Nested quantifiers and an alternation explosion: exponential on `RegExp`, ~28 RE2 steps per unit here. */
const POLICY = {
  blocked: ['badword', { term: '(x+x+)+y', regex: true }, { term: '(a|aa|b|ab)*c', regex: true }],
  flagged: ['meh'],
};

function policyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(POLICY));
  return file;
}

async function send(server: RunningServer, text: string): Promise<Record<string, unknown>> {
  const command = 'callbackBeforeSendSingleMsgCommand';
  const body = JSON.stringify({ ...readEvent(command), content: JSON.stringify({ content: text }) });
  const response = await fetch(`${server.webhookBase}/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', operationID: `hostile-${Math.random()}` },
    body,
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Runs `work` while asking `/health` again and again; counts the answers that came back before it finished. */
async function healthAnswersDuring<T>(server: RunningServer, work: () => Promise<T>): Promise<{ result: T; answers: number }> {
  let done = false;
  let answers = 0;
  const poll = async () => {
    while (!done) {
      const response = await fetch(`${server.url}/health`);
      await response.arrayBuffer();
      if (!done && response.ok) answers++;
    }
  };
  const polling = poll();
  const result = await work();
  done = true;
  await polling;
  return { result, answers };
}

describe('Hostile regular-expression terms over HTTP', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // A generous budget: this checks the verdict and /health on a loaded test machine; the bench checks speed.
    server = await startLocalServer({ MODERATION_POLICY_FILE: policyFile(), BEFORE_BUDGET_MS: '5000' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('stops a long message that only the last of its units makes match a nested-quantifier term, answering /health meanwhile', async () => {
    // Prepare: 50,000 `x`s keep every window's NFA busy; the `y` at the end is the match.
    const text = `${'x'.repeat(50_000)}y`;

    // Act
    const { result, answers } = await healthAnswersDuring(server, () => send(server, text));

    // Assess
    expect(result).toMatchObject({ errCode: HOOK_ERROR_CODES.messageBlocked, nextCode: 1 });
    expect(answers).toBeGreaterThan(0);
  });

  it('lets a long hostile message through when nothing matches', async () => {
    // Act
    const { result, answers } = await healthAnswersDuring(server, () => send(server, 'ab'.repeat(25_000)));

    // Assess: scanned (within the regex work limit), not decided by the over-limit rule.
    expect(result).toMatchObject({ errCode: 0 });
    expect(answers).toBeGreaterThan(0);
    expect(server.logLines()).not.toContainEqual(expect.objectContaining({ message: "message too long for the policy's regular-expression terms, not scanned" }));
  });

  it('decides a message longer than the regex terms can scan by the over-limit rule (flag), and says so in the log', async () => {
    // Prepare: ~28 steps per unit allows ~100,000 units; this is 240,000 (under the 256 KiB text limit).
    const text = 'x'.repeat(240_000);

    // Act
    const reply = await send(server, text);

    // Assess
    expect(reply).toMatchObject({ errCode: 0 });
    expect(server.logLines()).toContainEqual(
      expect.objectContaining({ message: "message too long for the policy's regular-expression terms, not scanned", rule: 'flag' }),
    );
  });
});
