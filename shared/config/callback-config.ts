/** Settings of the callback handlers, from the environment (docs/configuration.md). */
import * as z from 'zod/mini';
import { nonEmpty, parseEnv, positiveWholeNumber, wholeNumber } from './parse-env.ts';

export const FailureMode = z.enum(['open', 'closed']);
export type FailureMode = z.infer<typeof FailureMode>;

export const CallbackConfig = z.pipe(
  z.object({
    CALLBACK_SECRET: z.string().check(z.minLength(16, 'CALLBACK_SECRET must have at least 16 characters')),
    CHAT_EVENTS_TOPIC_ARN: nonEmpty,
    BEFORE_BUDGET_MS: positiveWholeNumber(300),
    /** Push callbacks run after the message is stored, outside the sender's wait, so they may take longer. */
    BEFORE_PUSH_BUDGET_MS: positiveWholeNumber(2_000),
    BEFORE_FAILURE_MODE: z._default(FailureMode, 'open'),
    PUBLISH_MAX_ATTEMPTS: z._default(wholeNumber(z.minimum(1), z.maximum(10)), 3),
    PUBLISH_ATTEMPT_TIMEOUT_MS: positiveWholeNumber(1000),
    /**
     * How long a before-callback's event (a block, a flag, a push job) waits for others to share its
     * PublishBatch call. 0 in Lambda, where an instance serves one callback at a time and there is
     * nothing to wait for; the local server, which serves them all at once, sets it (local/start.ts).
     */
    BEFORE_PUBLISH_LINGER_MS: z._default(wholeNumber(z.minimum(0), z.maximum(50)), 0),
  }),
  z.transform((env) => ({
    callbackSecret: env.CALLBACK_SECRET,
    chatEventsTopicArn: env.CHAT_EVENTS_TOPIC_ARN,
    beforeBudgetMs: env.BEFORE_BUDGET_MS,
    pushBudgetMs: env.BEFORE_PUSH_BUDGET_MS,
    beforeFailureMode: env.BEFORE_FAILURE_MODE,
    publishMaxAttempts: env.PUBLISH_MAX_ATTEMPTS,
    publishAttemptTimeoutMs: env.PUBLISH_ATTEMPT_TIMEOUT_MS,
    beforePublishLingerMs: env.BEFORE_PUBLISH_LINGER_MS,
  })),
);
export type CallbackConfig = z.output<typeof CallbackConfig>;

export function loadCallbackConfig(env: NodeJS.ProcessEnv = process.env): CallbackConfig {
  return parseEnv(CallbackConfig, env);
}
