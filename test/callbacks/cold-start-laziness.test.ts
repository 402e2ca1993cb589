/**
 * What a cold start of the callback handlers leaves for later (docs/benchmarks.md "Cold starts"):
 * importing a handler builds none of the 52 request schemas (each is built when its command first
 * arrives) and neither the Powertools logger nor metrics (built at the first line or count).
 * Imported as Lambda imports them, with fresh modules; nothing is sent anywhere at import.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const ENVIRONMENT = {
  CALLBACK_SECRET: 'cold-start-test-secret-0123456789',
  CHAT_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:chat-events',
  POLICY_TABLE_NAME: 'policy',
  PUSH_PREFERENCES_TABLE_NAME: 'push-preferences',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};

async function coldStart(handler: 'before-callback' | 'after-callback') {
  vi.resetModules();
  for (const [name, value] of Object.entries(ENVIRONMENT)) vi.stubEnv(name, value);
  vi.stubEnv('AFTER_EVENT_JOURNAL_DIR', '');
  await import(`../../functions/${handler}/handler.ts`);
  const { REQUEST_SCHEMAS } = await import('#shared/openim/schemas/index.ts');
  const { lazyState } = await import('#shared/openim/schemas/lazy-schema.ts');
  const { loggerBuilt } = await import('#shared/observability/logger.ts');
  const { metricsBuilt } = await import('#shared/observability/metrics.ts');
  return {
    schemaStates: new Set(Object.values(REQUEST_SCHEMAS).map((schema) => lazyState(schema))),
    loggerBuilt: loggerBuilt(),
    metricsBuilt: metricsBuilt(),
  };
}

describe('Handlers: callback cold starts', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([{ handler: 'before-callback' as const }, { handler: 'after-callback' as const }])(
    'a cold start of the $handler builds no request schema, logger or metrics',
    async ({ handler }) => {
      // Act
      const state = await coldStart(handler);

      // Assess
      expect([...state.schemaStates]).toEqual(['unbuilt']);
      expect(state.loggerBuilt).toBe(false);
      expect(state.metricsBuilt).toBe(false);
    },
  );
});
