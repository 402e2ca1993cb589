/**
 * Reads configuration from the environment once, through a zod schema, and throws one error
 * listing every problem (the way CheckSqsProps collects all conflicts before throwing).
 */
import * as z from 'zod';
import { InvalidConfigError } from './errors.ts';

export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.output<T> {
  const result = schema.safeParse(env);
  if (!result.success) throw new InvalidConfigError(z.prettifyError(result.error));
  return result.data;
}
