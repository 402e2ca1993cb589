/**
 * Reads configuration from the environment once, through a zod schema, and throws one error
 * listing every problem on one line (the way CheckSqsProps collects all conflicts before throwing).
 * Takes schemas of either zod build; zod-english.ts gives zod/mini its English messages.
 */
import * as z from 'zod/mini';
import { InvalidConfigError } from './errors.ts';
import './zod-english.ts';

/** A setting that must not be empty: a table name, an ARN, a secret. */
export const nonEmpty = z.string().check(z.minLength(1));

/** A whole number from an environment variable's text, with its checks (a zod/mini schema). */
export const wholeNumber = (...checks: z.core.$ZodCheck<number>[]) => z.coerce.number().check(z.int(), ...checks);

/** A whole number above 0, `fallback` when the variable is not set. */
export const positiveWholeNumber = (fallback: number) => z._default(wholeNumber(z.positive()), fallback);

export function parseEnv<T extends z.core.$ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.output<T> {
  const result = z.safeParse(schema, env);
  if (!result.success) {
    throw new InvalidConfigError(`${result.error.issues.map(describeIssue).join('; ')} (fix the environment variable; docs/configuration.md lists every setting)`);
  }
  return result.data;
}

/** `NAME: what is wrong`, on one line; a message that already names its variable is kept as is. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const name = issue.path.map(String).join('.');
  return name === '' || issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`;
}
