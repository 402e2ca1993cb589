/** Settings of the operator API Lambda, from the environment. */
import * as z from 'zod/mini';
import { nonEmpty, parseEnv } from './parse-env.ts';

export const OperatorApiConfig = z.pipe(
  z.object({ POLICY_TABLE_NAME: nonEmpty }),
  z.transform((env) => ({ policyTableName: env.POLICY_TABLE_NAME })),
);
export type OperatorApiConfig = z.output<typeof OperatorApiConfig>;

export function loadOperatorApiConfig(env: NodeJS.ProcessEnv = process.env): OperatorApiConfig {
  return parseEnv(OperatorApiConfig, env);
}
