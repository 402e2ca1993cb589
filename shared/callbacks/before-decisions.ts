/**
 * Who decides each before-callback. A command without a decider continues unchanged, which is
 * the right answer for every command this service does not act on (clean traffic is never stopped).
 * Capabilities register their decider per command (moderation for the send and modify commands,
 * push take-over for beforeOfflinePush).
 */
import type { CallbackCommandName } from '../openim/commands.ts';
import type { CommonCallbackResp } from '../openim/replies.ts';
import type { RequestOf } from '../openim/schemas/index.ts';
import { TimeBudget, type DecisionStages } from './time-budget.ts';

export interface DecisionContext {
  readonly operationID: string;
  /** Aborted when the time budget runs out; long work should stop when it fires. */
  readonly signal: AbortSignal;
  /** When the budget runs out (epoch ms): side effects of a decision already made must not outlast it. */
  readonly deadline: number;
  /** Mark each stage (`stages.enter('scan')`) so that an overrun says where the time went. */
  readonly stages?: DecisionStages;
}

/** The context the before-callback gives a decider: the budget it started when the callback came. */
export class BudgetedDecisionContext extends TimeBudget implements DecisionContext {
  constructor(
    readonly operationID: string,
    budgetMs: number,
  ) {
    super(budgetMs);
  }
}

/** A reply, or a promise of one when the decision waits for something (a store, a publish). */
export type BeforeDecider<C extends CallbackCommandName> = (
  request: RequestOf<C>,
  context: DecisionContext,
) => CommonCallbackResp | Promise<CommonCallbackResp>;

export type BeforeDeciders = { readonly [C in CallbackCommandName]?: BeforeDecider<C> };

/** The decider for a command, or `undefined` when the command simply continues. */
export function deciderFor<C extends CallbackCommandName>(deciders: BeforeDeciders, command: C): BeforeDecider<C> | undefined {
  return deciders[command] as BeforeDecider<C> | undefined;
}
