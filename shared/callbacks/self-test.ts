/**
 * The self-test callback `npm run doctor` posts through OpenIM's configured URL: it proves that the
 * URL reaches this service with the right secret, and tells the doctor what this deployment decides
 * and within which budgets. It is answered before anything is parsed, logged, counted or published.
 */
import type { FailureMode } from '../config/callback-config.ts';
import { CALLBACK_COMMANDS, type CallbackCommandName } from '../openim/commands.ts';
import { continueReply, type CommonCallbackResp } from '../openim/replies.ts';

/** Not an OpenIM command (they all start with `callback`), so OpenIM can never send it. */
export const SELF_TEST_COMMAND = 'openimHooksSelfTest';

export interface SelfTestReport {
  readonly service: 'openim-hooks';
  /** Budgets a before-callback is answered within (ms): send and modify, and push. */
  readonly beforeBudgetMs: number;
  readonly pushBudgetMs: number;
  readonly failureMode: FailureMode;
  /** Config keys of the before-callbacks this deployment acts on. */
  readonly decides: readonly string[];
}

export interface SelfTestSettings {
  readonly beforeBudgetMs: number;
  readonly pushBudgetMs: number;
  readonly failureMode: FailureMode;
  readonly decidedCommands: readonly CallbackCommandName[];
}

export function selfTestReply(settings: SelfTestSettings): CommonCallbackResp & { readonly selfTest: SelfTestReport } {
  return {
    ...continueReply(),
    selfTest: {
      service: 'openim-hooks',
      beforeBudgetMs: settings.beforeBudgetMs,
      pushBudgetMs: settings.pushBudgetMs,
      failureMode: settings.failureMode,
      decides: settings.decidedCommands.map((command) => CALLBACK_COMMANDS[command].configKey).sort(),
    },
  };
}
