/**
 * Checks an OpenIM `webhooks.yml` (as OpenIM will read it, `IMENV_WEBHOOKS_*` overrides included)
 * against what this service decides and answers, and says what to change. "Callbacks not arriving"
 * is OpenIM users' most common webhook problem (open-im-server #3605, #2629, #2324); each check
 * below is one way it happens, or one way a callback costs users time for nothing.
 * Pure: the caller reads the files and the environment and runs the self-test (scripts/doctor.ts).
 */
import { TEXT_FIELDS } from '../moderation/message-text.ts';
import { CALLBACK_COMMANDS, CONFIG_KEYS_WITHOUT_COMMAND, type CallbackCommand, type CallbackCommandName } from './commands.ts';
import { DECIDED_COMMANDS, type DecidedCommand } from '../callbacks/before-deciders.ts';
import { beforeTimeoutSeconds, consumersOf, DEFAULT_BUDGETS, type CallbackBudgets } from './webhooks-yml.ts';

export type Severity = 'error' | 'warning' | 'note';

export interface Problem {
  readonly severity: Severity;
  /** The config key (or `url`, `file`, an environment variable) it is about. */
  readonly where: string;
  readonly problem: string;
  readonly fix: string;
}

/** What the running service said to the self-test, or why there was no answer. */
export type SelfTestOutcome =
  | { readonly kind: 'answered'; readonly budgets: CallbackBudgets; readonly decides: readonly string[] }
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'wrongSecret' }
  | { readonly kind: 'notThisService'; readonly status: number };

export type OpenimTarget = 'main' | 'v3.8.3';

export interface DoctorInput {
  /** The parsed YAML document. */
  readonly config: unknown;
  /** `IMENV_WEBHOOKS_*` variables OpenIM's container would see. */
  readonly environment: Readonly<Record<string, string>>;
  readonly selfTest: SelfTestOutcome;
  /** The OpenIM versions the file must work for. */
  readonly targets: readonly OpenimTarget[];
}

const ENV_PREFIX = 'IMENV_WEBHOOKS_';
const OPENIM_HTTP_TIMEOUT_SECONDS = 15;
const FIELDS: Readonly<Record<'before' | 'after', readonly string[]>> = {
  before: ['enable', 'timeout', 'failedContinue', 'deniedTypes', 'allowedTypes'],
  after: ['enable', 'timeout', 'attentionIds', 'deniedTypes', 'allowedTypes'],
};
const COMMANDS_BY_KEY = new Map<string, CallbackCommand & { readonly name: string }>(
  Object.entries(CALLBACK_COMMANDS).map(([name, command]) => [command.configKey, { ...command, name }]),
);
const KNOWN_KEYS = new Set<string>(['url', ...COMMANDS_BY_KEY.keys(), ...CONFIG_KEYS_WITHOUT_COMMAND]);
const TEXT_TYPES = new Set(Object.keys(TEXT_FIELDS).map(Number));

type Section = Record<string, unknown>;

export function diagnoseWebhooksConfig(input: DoctorInput): Problem[] {
  const problems: Problem[] = [];
  const add = (severity: Severity, where: string, problem: string, fix: string) => problems.push({ severity, where, problem, fix });
  if (typeof input.config !== 'object' || input.config === null || Array.isArray(input.config)) {
    add('error', 'file', 'the file is not a YAML mapping of config keys', 'start from the webhooks.yml that `npm start` prints');
    return problems;
  }
  const raw = input.config as Record<string, unknown>;
  if ('callback' in raw && typeof raw.callback === 'object') {
    add('error', 'callback', 'this is the pre-v3.7 layout (a `callback:` section of config.yaml); OpenIM v3.7 and later read flat keys from config/webhooks.yml and ignore it',
      'move `url` and every callback key out of `callback:` to the top level of config/webhooks.yml (the file `npm start` prints has that shape)');
    return problems;
  }
  const config = applyEnvironment(withCanonicalKeys(raw), input.environment, add);
  checkKeys(config, add);
  checkUrl(config.url, input.selfTest, add);
  // Without an answer, judge by what this version decides with its default budgets.
  const answered = input.selfTest.kind === 'answered' ? input.selfTest : undefined;
  const decides = new Set(answered?.decides ?? Object.keys(DECIDED_COMMANDS).map((name) => CALLBACK_COMMANDS[name as DecidedCommand].configKey));
  const budgets = answered?.budgets ?? DEFAULT_BUDGETS;
  for (const [configKey, command] of COMMANDS_BY_KEY) {
    const section = (config[configKey] ?? {}) as Section;
    checkSection(configKey, command, section, { decides, budgets, targets: input.targets }, add);
  }
  return problems;
}

type Add = (severity: Severity, where: string, problem: string, fix: string) => void;

/** viper: an IMENV_WEBHOOKS_<KEY>_<FIELD> variable replaces `key.field`, but only for keys the file has. */
function applyEnvironment(raw: Record<string, unknown>, environment: Readonly<Record<string, string>>, add: Add): Record<string, unknown> {
  const config: Record<string, unknown> = structuredClone(raw);
  const paths = new Map<string, [string, string | undefined]>([['URL', ['url', undefined]]]);
  for (const key of KNOWN_KEYS) {
    const mode = COMMANDS_BY_KEY.get(key)?.mode ?? 'after';
    for (const field of FIELDS[mode]) paths.set(`${key}_${field}`.toUpperCase(), [key, field]);
  }
  for (const [name, value] of Object.entries(environment)) {
    if (!name.startsWith(ENV_PREFIX)) continue;
    const path = paths.get(name.slice(ENV_PREFIX.length));
    if (!path) {
      add('error', name, 'no webhooks.yml setting has this name, so OpenIM ignores it', 'check the spelling: IMENV_WEBHOOKS_<CONFIGKEY>_<FIELD>, e.g. IMENV_WEBHOOKS_BEFORESENDSINGLEMSG_ENABLE');
      continue;
    }
    const [key, field] = path;
    const section = config[key];
    const present = field === undefined ? key in config : typeof section === 'object' && section !== null && field in section;
    if (!present) {
      add('warning', name, `webhooks.yml has no ${field ? `${key}.${field}` : key}, and OpenIM's loader applies environment variables only to keys its file has`, `add ${field ? `${key}.${field}` : key} to webhooks.yml`);
      continue;
    }
    if (value.trim().startsWith('[')) {
      add('error', name, 'a YAML-style list in an environment variable is split on commas as text, so "[102" is not a number (open-im-server #3321)', `write it comma-separated: ${value.replace(/[[\]\s]/g, '')}`);
    }
    const parsed = field === undefined ? value : parseEnvValue(value);
    if (field === undefined) config[key] = parsed;
    else (section as Section)[field] = parsed;
    add('note', name, `overrides ${field ? `${key}.${field}` : key} with ${field === undefined ? '(the URL)' : JSON.stringify(parsed)}`, 'nothing to do if intended');
  }
  return config;
}

/** viper folds case, so `BeforeSendSingleMsg: {Enable: true}` counts as beforeSendSingleMsg.enable. */
function withCanonicalKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const knownKeys = new Map([...KNOWN_KEYS].map((key) => [key.toLowerCase(), key]));
  const knownFields = new Map([...FIELDS.before, ...FIELDS.after].map((field) => [field.toLowerCase(), field]));
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => {
      const section = typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([field, v]) => [knownFields.get(field.toLowerCase()) ?? field, v]))
        : value;
      return [knownKeys.get(key.toLowerCase()) ?? key, section];
    }),
  );
}

function parseEnvValue(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^-?\d+$/.test(value)) return Number(value);
  if (value.includes(',')) return value.split(',').map((item) => (/^-?\d+$/.test(item.trim()) ? Number(item.trim()) : item.trim()));
  return value;
}

function checkKeys(config: Record<string, unknown>, add: Add): void {
  for (const key of Object.keys(config)) {
    if (KNOWN_KEYS.has(key)) continue;
    const near = closest(key, [...KNOWN_KEYS]);
    add('error', key, 'OpenIM has no such webhook setting, so it is ignored', near ? `did you mean ${near}?` : 'remove it');
  }
}

function checkUrl(url: unknown, selfTest: SelfTestOutcome, add: Add): void {
  if (typeof url !== 'string' || url === '') {
    add('error', 'url', 'no url: OpenIM sends no callback at all', 'set url to the "Webhook base URL" that `npm start` prints (or the CallbackBaseUrl output plus the secret)');
    return;
  }
  if (url.includes('?')) add('error', 'url', 'OpenIM appends "/<command>" to the url, which lands inside this query string', 'remove the query string');
  if (url.endsWith('/')) add('error', 'url', 'OpenIM appends "/<command>", so the path gets a double slash that no route matches', 'remove the trailing slash');
  if (!/\/openim\/[^/?]+\/?$/.test(url)) add('warning', 'url', 'the path does not end in /openim/<secret>, where this service answers', 'use the "Webhook base URL" that `npm start` prints');
  switch (selfTest.kind) {
    case 'answered':
      return;
    case 'unreachable':
      add('error', 'url', `the self-test could not reach it: ${selfTest.reason}`,
        'start the service; if OpenIM runs in Docker, the url must name this machine as seen from the container (host.docker.internal, or the host\'s LAN address), and `npm run doctor -- --server http://127.0.0.1:<port>` checks the rest from here');
      return;
    case 'wrongSecret':
      add('error', 'url', 'this service answered 404: the secret in the url is not its CALLBACK_SECRET, so every callback is refused', 'copy the url from the "Webhook base URL" line of `npm start` (or the secret from Secrets Manager in AWS)');
      return;
    case 'notThisService':
      add('error', 'url', `something other than openim-hooks answers there (HTTP ${selfTest.status})`, 'check the host, the port and the /openim/<secret> path');
  }
}

interface SectionContext {
  readonly decides: ReadonlySet<string>;
  readonly budgets: CallbackBudgets;
  readonly targets: readonly OpenimTarget[];
}

function checkSection(key: string, command: CallbackCommand & { readonly name: string }, section: Section, context: SectionContext, add: Add): void {
  for (const field of Object.keys(section)) {
    if (!FIELDS[command.mode].includes(field)) add('error', key, `OpenIM reads no field "${field}" here, so it is ignored`, `use one of ${FIELDS[command.mode].join(', ')}`);
  }
  const enabled = section.enable === true;
  if (command.since === 'main' && enabled && context.targets.includes('v3.8.3')) {
    add('note', key, 'OpenIM v3.8.3 does not send this callback', 'nothing to do: it works on main');
  }
  if (command.mode === 'before') checkBefore(key, command, section, enabled, context, add);
  else checkAfter(key, command, section, enabled, context.targets, add);
  checkTypeFilters(key, command, section, enabled, context.targets, add);
}

function checkBefore(key: string, command: CallbackCommand & { readonly name: string }, section: Section, enabled: boolean, context: SectionContext, add: Add): void {
  const decided = context.decides.has(key);
  if (enabled && !decided) {
    add('warning', key, 'enabled, but nothing in this deployment decides it: every such operation waits for a round trip that always answers "continue"', 'set enable: false');
  }
  if (!enabled && decided) {
    add('warning', key, `disabled, but this deployment acts on it (${describeDecision(command)}), so that part is off`, 'set enable: true');
  }
  if (!enabled) return;
  if (section.failedContinue === false) {
    add('note', key, 'OpenIM ignores failedContinue: a timeout or error always fails the operation', 'set BEFORE_FAILURE_MODE on this service to choose fail-open or fail-closed');
  }
  const timeout = section.timeout;
  if (typeof timeout !== 'number' || timeout <= 0) {
    add('warning', key, `timeout ${String(timeout)} leaves only OpenIM's ${OPENIM_HTTP_TIMEOUT_SECONDS} s HTTP limit: a dead service holds each user that long`, 'set the timeout that `npm start` prints');
    return;
  }
  if (timeout > OPENIM_HTTP_TIMEOUT_SECONDS) add('note', key, `timeouts above ${OPENIM_HTTP_TIMEOUT_SECONDS} s have no effect (OpenIM's HTTP client gives up then)`, `set at most ${OPENIM_HTTP_TIMEOUT_SECONDS}`);
  const budgetMs = command.area === 'push' ? context.budgets.pushBudgetMs : context.budgets.beforeBudgetMs;
  const fits = beforeTimeoutSeconds(budgetMs);
  if (timeout < fits) {
    add('error', key, `timeout ${timeout} s is shorter than this service's ${budgetMs} ms budget plus transport and a cold start: OpenIM may give up (90004) and fail the operation while we are still answering`, `set timeout: ${fits}`);
  } else if (timeout > fits + 2) {
    add('note', key, `timeout ${timeout} s is well above what this service needs (${fits} s): if it is down, each user waits that long`, `set timeout: ${fits}`);
  }
}

function checkAfter(key: string, command: CallbackCommand & { readonly name: string }, section: Section, enabled: boolean, targets: readonly OpenimTarget[], add: Add): void {
  const consumed = consumersOf(command.name as CallbackCommandName).length > 0;
  const sent = !command.neverSent && (command.since !== 'main' || targets.includes('main'));
  if (consumed && !enabled && sent) {
    add('warning', key, 'disabled, but a consumer of the chat-events topic reads it (presence or audit), which stays incomplete', 'set enable: true');
  }
  if (!consumed && enabled) {
    add('note', key, 'enabled, but no consumer here reads it: each one costs OpenIM a webhook worker slot for nothing', 'set enable: false, unless a subscriber of your own reads the chat-events topic');
  }
  const attention = section.attentionIds;
  if (enabled && Array.isArray(attention) && attention.length > 0 && consumed) {
    add('warning', key, 'attentionIds limits the callback to some users (and in main, group messages are matched on recvID, which is empty: #3410), so the audit trail misses messages', 'remove attentionIds');
  }
}

function checkTypeFilters(key: string, command: CallbackCommand, section: Section, enabled: boolean, targets: readonly OpenimTarget[], add: Add): void {
  const denied = section.deniedTypes;
  if (denied !== undefined && denied !== null) {
    const entries = Array.isArray(denied) ? denied : [denied];
    const ranges = entries.filter((entry) => typeof entry !== 'number' && !/^\s*-?\d+\s*$/.test(String(entry)));
    if (ranges.length > 0 && targets.includes('main')) {
      add('error', key, `deniedTypes ${JSON.stringify(ranges)}: OpenIM main reads a list of numbers, so ranges or text stop its config from loading`, 'list each content type as a number');
    }
    const moderated = command.area === 'message' && command.mode === 'before';
    const hidden = entries.map(Number).filter((type) => TEXT_TYPES.has(type));
    if (enabled && moderated && hidden.length > 0) {
      add('error', key, `deniedTypes skips ${hidden.join(', ')}, which carry text: those messages are never moderated`, `remove ${hidden.join(', ')} from deniedTypes`);
    }
  }
  const allowed = section.allowedTypes;
  if (Array.isArray(allowed) && allowed.length > 0 && targets.includes('main')) {
    add('warning', key, 'allowedTypes is gone in OpenIM main (only v3.8.x reads it), so there every type is sent', 'use deniedTypes instead');
  }
}

function describeDecision(command: CallbackCommand): string {
  return command.area === 'push' ? 'push fan-out' : 'moderation';
}

/** The candidate nearest to `word` by edit distance, if it is a plausible typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(word.length / 4)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
