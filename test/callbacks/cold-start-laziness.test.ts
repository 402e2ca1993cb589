/**
 * What a cold start of the callback handlers leaves for later (docs/benchmarks.md "Cold starts"):
 * importing a handler builds none of the 52 request schemas (each is built when its command first
 * arrives), none of the schemas its events' consumers parse them with, none of the moderation
 * policy's, and neither the Powertools logger nor metrics (built at the first line or count).
 * Imported as Lambda imports them, with fresh modules. The one thing started at import is the
 * before-callback's read of its moderation policy, so that its first message does not wait for it:
 * DynamoDB is a local server here that records each request and holds it unanswered. The policy
 * compiler waits for the store's answer, since loading it before would hold the request back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const ENVIRONMENT = {
  CALLBACK_SECRET: 'cold-start-test-secret-0123456789',
  CHAT_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:chat-events',
  POLICY_TABLE_NAME: 'policy',
  PUSH_PREFERENCES_TABLE_NAME: 'push-preferences',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};

/** The DynamoDB operations asked of the held endpoint (X-Amz-Target), in order. */
const dynamoRequests: string[] = [];
let heldDynamo: Server;

beforeAll(async () => {
  heldDynamo = createServer((request) => dynamoRequests.push(String(request.headers['x-amz-target'])));
  await new Promise<void>((resolve) => heldDynamo.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  heldDynamo.closeAllConnections();
  await new Promise((resolve) => heldDynamo.close(resolve));
});

/** Whether the policy compiler's module was imported since the last cold start. */
let compilerImported = false;

async function coldStart(handler: 'before-callback' | 'after-callback') {
  vi.resetModules();
  dynamoRequests.length = 0;
  compilerImported = false;
  vi.doMock(import('#shared/moderation/compile-policy-document.ts'), async (importOriginal) => {
    compilerImported = true;
    return importOriginal();
  });
  for (const [name, value] of Object.entries(ENVIRONMENT)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', `http://127.0.0.1:${(heldDynamo.address() as AddressInfo).port}`);
  vi.stubEnv('EVENT_JOURNAL_DIR', '');
  await import(`../../functions/${handler}/handler.ts`);
  const { REQUEST_SCHEMAS } = await import('#shared/openim/schemas/index.ts');
  const { lazyState } = await import('#shared/validation/lazy-schema.ts');
  const { loggerBuilt } = await import('#shared/observability/logger.ts');
  const { metricsBuilt } = await import('#shared/observability/metrics.ts');
  // The events' schemas: the consumers parse with them, the callbacks only build events.
  const { ChatEvent } = await import('#shared/events/chat-event.ts');
  const { ClaimCheckMessage } = await import('#shared/events/claim-check.ts');
  const { ModeratedMessage, ModerationEventPayload } = await import('#shared/moderation/moderation-event.ts');
  const { PushJob } = await import('#shared/push/push-job.ts');
  // The policy's: the before-callback needs them once its store has answered, which it does not here.
  const { AllowedWord, ModerationPolicy, PolicyDocument, StoredPolicyDocument, TermSpec } = await import('#shared/moderation/policy.ts');
  return {
    schemaStates: new Set(Object.values(REQUEST_SCHEMAS).map((schema) => lazyState(schema))),
    eventSchemaStates: new Set([ChatEvent, ClaimCheckMessage, ModeratedMessage, ModerationEventPayload, PushJob].map((schema) => lazyState(schema))),
    policySchemaStates: new Set([AllowedWord, ModerationPolicy, PolicyDocument, StoredPolicyDocument, TermSpec].map((schema) => lazyState(schema))),
    loggerBuilt: loggerBuilt(),
    metricsBuilt: metricsBuilt(),
  };
}

describe('Handlers: callback cold starts', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.doUnmock('#shared/moderation/compile-policy-document.ts');
  });

  it('a cold start of the before-callback starts reading its moderation policy', async () => {
    // Act
    await coldStart('before-callback');

    // Assess
    await vi.waitFor(() => expect(dynamoRequests).toEqual(['DynamoDB_20120810.Query']));
  });

  it('a cold start of the before-callback sends its policy read before it loads the policy compiler', async () => {
    // Act
    await coldStart('before-callback');
    await vi.waitFor(() => expect(dynamoRequests).toEqual(['DynamoDB_20120810.Query']));
    await new Promise((resolve) => setImmediate(resolve));

    // Assess: the read is held unanswered, so nothing is there to compile yet.
    expect(compilerImported).toBe(false);
  });

  it.each([{ handler: 'before-callback' as const }, { handler: 'after-callback' as const }])(
    "a cold start of the $handler builds no request schema, no event's or policy's schema, logger or metrics",
    async ({ handler }) => {
      // Act
      const state = await coldStart(handler);

      // Assess
      expect([...state.schemaStates]).toEqual(['unbuilt']);
      expect([...state.eventSchemaStates]).toEqual(['unbuilt']);
      expect([...state.policySchemaStates]).toEqual(['unbuilt']);
      expect(state.loggerBuilt).toBe(false);
      expect(state.metricsBuilt).toBe(false);
    },
  );
});
