import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '#shared/openim/commands.ts';
import { REQUEST_SCHEMAS } from '#shared/openim/schemas/index.ts';
import { object } from '#shared/validation/jit-object.ts';
import { lazySchema } from '#shared/validation/lazy-schema.ts';
import { readEvent } from '../helpers/events.ts';

const WRONG_VALUES: unknown[] = [null, undefined, 0, -1, 2 ** 53 + 2, 1.5, '', 'x', true, [], [1, 'a'], {}, { a: 1 }];
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `record` with one field changed in each of the ways a sender can get it wrong, or left out. */
function fieldVariants(record: Record<string, unknown>): Record<string, unknown>[] {
  return Object.keys(record).flatMap((key) => {
    const { [key]: _, ...without } = record;
    return [...WRONG_VALUES.map((value) => ({ ...record, [key]: value })), without];
  });
}

/** The sample, non-objects, and the sample with one field wrong: at the top, or in a nested object or a list's first object. */
function variantsOf(sample: Record<string, unknown>): unknown[] {
  const variants: unknown[] = [sample, null, [], 'text', 42, {}, ...fieldVariants(sample)];
  for (const [key, value] of Object.entries(sample)) {
    if (isRecord(value)) for (const inner of fieldVariants(value)) variants.push({ ...sample, [key]: inner });
    if (Array.isArray(value) && isRecord(value[0])) for (const inner of fieldVariants(value[0])) variants.push({ ...sample, [key]: [inner, ...value.slice(1)] });
  }
  return variants;
}

const outcome = (result: z.util.SafeParseResult<unknown>) =>
  result.success ? { success: true, data: result.data } : { success: false, error: z.prettifyError(result.error) };

describe('Function: object', () => {
  it('is zod/mini object on the generated parser: its type, shape, stripping, nesting and extension', () => {
    // Prepare
    const pair = object({ a: z.string(), b: z.optional(z.number()) });
    const outer = lazySchema(() => object({ pair, list: z.array(pair) }));

    // Act
    const parsed = outer.parse({ pair: { a: 'x', extra: 1 }, list: [{ a: 'y', b: 2 }] });
    const refused = outer.safeParse({ pair: { a: 1 }, list: [] });
    const extended = z.extend(pair, { c: z.boolean() }).parse({ a: 'x', c: true, d: 0 });

    // Assess
    expect(pair).toBeInstanceOf(z.ZodMiniObject);
    expect(pair._zod.traits.has('$ZodObjectJIT')).toBe(true);
    expect(Object.keys(pair.shape)).toEqual(['a', 'b']);
    expect(parsed).toEqual({ pair: { a: 'x' }, list: [{ a: 'y', b: 2 }] });
    expect(refused.success).toBe(false);
    expect(z.prettifyError(refused.error!)).toContain('pair.a');
    expect(extended).toEqual({ a: 'x', c: true });
  });

  it.each(COMMAND_NAMES.map((command) => ({ command })))("gives $command a parser that decides as zod/mini's generic one", ({ command }) => {
    // Prepare
    const schema = REQUEST_SCHEMAS[command];
    const variants = variantsOf(readEvent(command));

    // Act
    const differences = variants.filter(
      (input) => JSON.stringify(outcome(schema.safeParse(input))) !== JSON.stringify(outcome(schema.safeParse(input, { jitless: true }))),
    );

    // Assess
    const objectSchema = schema._zod.def.type === 'pipe' ? (schema._zod.def as z.core.$ZodPipeDef).in : schema; // beforeOfflinePush's object feeds a transform
    expect(objectSchema._zod.traits.has('$ZodObjectJIT')).toBe(true);
    expect(variants.length).toBeGreaterThan(20);
    expect(differences).toEqual([]);
  });
});
