import * as z from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { lazySchema, lazyState } from '#shared/openim/schemas/lazy-schema.ts';
import { readEvent } from '../helpers/events.ts';

describe('Function: lazySchema', () => {
  it('builds the schema at its first use, once', () => {
    // Prepare
    const build = vi.fn(() => z.object({ userID: z.string() }));
    const schema = lazySchema(build);

    // Act
    const stateBeforeUse = lazyState(schema);
    schema.parse({ userID: 'a' });
    schema.safeParse({ userID: 'b' });

    // Assess
    expect(stateBeforeUse).toBe('unbuilt');
    expect(build).toHaveBeenCalledTimes(1);
    expect(lazyState(schema)).toBe('built');
    expect(lazyState(z.string())).toBe('eager');
  });

  it('answers as the built schema: results, errors, transforms, instanceof and nesting', () => {
    // Prepare
    const schema = lazySchema(() => z.object({ count: z.number().nullish().transform((value) => value ?? 0) }));
    const outer = z.object({ inner: schema });

    // Act
    const parsed = schema.parse({ count: null, extra: 1 });
    const refused = schema.safeParse({ count: 'x' });
    const nested = outer.parse({ inner: { count: 2 } });

    // Assess
    expect(parsed).toEqual({ count: 0 });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['count']);
    expect(schema).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(schema.shape)).toEqual(['count']);
    expect(nested).toEqual({ inner: { count: 2 } });
  });
});

describe('Module: openim/schemas (cold start)', () => {
  it('builds no request schema at import, and only the command validated', async () => {
    // Prepare: a fresh copy of the modules, as a cold start has
    vi.resetModules();
    const { REQUEST_SCHEMAS } = await import('#shared/openim/schemas/index.ts');
    const { lazyState: stateOf } = await import('#shared/openim/schemas/lazy-schema.ts');
    const statesAtImport = new Set(Object.values(REQUEST_SCHEMAS).map((schema) => stateOf(schema)));

    // Act
    const result = REQUEST_SCHEMAS.callbackAfterSendGroupMsgCommand.safeParse(readEvent('callbackAfterSendGroupMsgCommand'));

    // Assess
    expect([...statesAtImport]).toEqual(['unbuilt']);
    expect(result.success).toBe(true);
    const builtNow = Object.entries(REQUEST_SCHEMAS).filter(([, schema]) => stateOf(schema) === 'built').map(([command]) => command);
    // The before and after send commands share one schema.
    expect(builtNow.sort()).toEqual(['callbackAfterSendGroupMsgCommand', 'callbackBeforeSendGroupMsgCommand']);
  });
});
