/** Settings of the callback handlers, from the environment (docs/configuration.md). */
import * as z from 'zod';
import { parseEnv } from './parse-env.ts';

export const FailureMode = z.enum(['open', 'closed']);
export type FailureMode = z.infer<typeof FailureMode>;

export const CallbackConfig = z
  .object({
    CALLBACK_SECRET: z.string().min(16, 'CALLBACK_SECRET must have at least 16 characters'),
    CHAT_EVENTS_TOPIC_ARN: z.string().min(1),
    BEFORE_BUDGET_MS: z.coerce.number().int().positive().default(300),
    /** Push callbacks run after the message is stored, outside the sender's wait, so they may take longer. */
    BEFORE_PUSH_BUDGET_MS: z.coerce.number().int().positive().default(2_000),
    BEFORE_FAILURE_MODE: FailureMode.default('open'),
    PUBLISH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    PUBLISH_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().positive().default(1000),
    /**
     * How long a before-callback's event (a block, a flag, a push job) waits for others to share its
     * PublishBatch call. 0 in Lambda, where an instance serves one callback at a time and there is
     * nothing to wait for; the local server, which serves them all at once, sets it (local/start.ts).
     */
    BEFORE_PUBLISH_LINGER_MS: z.coerce.number().int().min(0).max(50).default(0),
  })
  .transform((env) => ({
    callbackSecret: env.CALLBACK_SECRET,
    chatEventsTopicArn: env.CHAT_EVENTS_TOPIC_ARN,
    beforeBudgetMs: env.BEFORE_BUDGET_MS,
    pushBudgetMs: env.BEFORE_PUSH_BUDGET_MS,
    beforeFailureMode: env.BEFORE_FAILURE_MODE,
    publishMaxAttempts: env.PUBLISH_MAX_ATTEMPTS,
    publishAttemptTimeoutMs: env.PUBLISH_ATTEMPT_TIMEOUT_MS,
    beforePublishLingerMs: env.BEFORE_PUBLISH_LINGER_MS,
  }));
export type CallbackConfig = z.output<typeof CallbackConfig>;

export function loadCallbackConfig(env: NodeJS.ProcessEnv = process.env): CallbackConfig {
  return parseEnv(CallbackConfig, env);
}
