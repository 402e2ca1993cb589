import * as z from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { lazySchema, lazyState } from '#shared/validation/lazy-schema.ts';

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
