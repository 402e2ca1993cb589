/** The moderation engine: pure, I/O-free. Compile a policy once, then scan and mask message texts. */
export { InvalidPolicyError, InvalidTermError, ModerationError } from '#shared/moderation/errors.ts';
export { LOOK_ALIKES } from '#shared/moderation/homoglyphs.ts';
export { LEET_LETTERS } from '#shared/moderation/leetspeak.ts';
export { compilePolicy, type CompiledPolicy, type TermMatch } from '#shared/moderation/matcher.ts';
export {
  maskMessageContent,
  readMessageTexts,
  TEXT_FIELDS,
  type MaskedContent,
} from '#shared/moderation/message-text.ts';
export { normalise, type NormalisedText } from '#shared/moderation/normalise.ts';
export {
  MAX_TERM_LENGTH,
  ModerationPolicy,
  parseModerationPolicy,
  TermSpec,
  type ModerationPolicyInput,
} from '#shared/moderation/policy.ts';
export { MODERATION_ACTIONS, type MatchScope, type ModerationAction } from '#shared/moderation/term-entry.ts';
export { UnitKind } from '#shared/moderation/unit-kind.ts';
