/**
 * A small IAM policy evaluator for the statement forms this app writes: Effect, Action and
 * Resource (strings or lists, `*` and `?` wildcards; actions compare case-insensitively, ARNs
 * exactly); for resource policies also a Principal of everyone (`*` or `{"AWS": "*"}`) and
 * `StringEquals` / `StringNotEquals` conditions on request context keys (`aws:SourceVpce`).
 * An explicit Deny wins, then any Allow; otherwise the call is implicitly denied. A statement
 * with a form it does not evaluate (NotAction, NotResource, another principal or condition
 * operator) makes it throw rather than guess: add the form here when the app starts using it.
 */

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly [form: string]: unknown;
}

export interface Decision {
  readonly allowed: boolean;
  /** The statement that decided, when one did. */
  readonly statement?: PolicyStatement;
}

/** Request context keys (`aws:SourceVpce` ...) and their values; a key absent from the request is absent here. */
export type RequestContext = Readonly<Record<string, string>>;

const EVALUATED_FORMS = new Set(['Effect', 'Action', 'Resource', 'Sid', 'Principal', 'Condition']);
const EVALUATED_CONDITIONS = new Set(['StringEquals', 'StringNotEquals']);

export function evaluate(statements: readonly PolicyStatement[], action: string, resource: string, context: RequestContext = {}): Decision {
  for (const statement of statements) checkForms(statement);
  const matching = statements.filter(
    (statement) => matchesAny(statement.Action, action, true) && matchesAny(statement.Resource, resource, false) && conditionsHold(statement, context),
  );
  const deny = matching.find((statement) => statement.Effect === 'Deny');
  if (deny) return { allowed: false, statement: deny };
  const allow = matching.find((statement) => statement.Effect === 'Allow');
  return allow ? { allowed: true, statement: allow } : { allowed: false };
}

function checkForms(statement: PolicyStatement): void {
  const unknown = Object.keys(statement).filter((form) => !EVALUATED_FORMS.has(form));
  const principal = statement.Principal;
  if (principal !== undefined && principal !== '*' && JSON.stringify(principal) !== '{"AWS":"*"}') unknown.push(`Principal ${JSON.stringify(principal)}`);
  const operators = Object.keys((statement.Condition as Record<string, unknown> | undefined) ?? {});
  unknown.push(...operators.filter((operator) => !EVALUATED_CONDITIONS.has(operator)).map((operator) => `Condition ${operator}`));
  if (unknown.length > 0) throw new Error(`the evaluator does not handle ${unknown.join(', ')} (statement ${JSON.stringify(statement)})`);
}

/** Every condition of the statement holds: a missing context key never equals and always "not equals". */
function conditionsHold(statement: PolicyStatement, context: RequestContext): boolean {
  const conditions = (statement.Condition as Record<string, Record<string, string | readonly string[]>> | undefined) ?? {};
  return Object.entries(conditions).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const values = typeof expected === 'string' ? [expected] : expected;
      const actual = context[key];
      const equal = actual !== undefined && values.includes(actual);
      return operator === 'StringEquals' ? equal : !equal;
    }),
  );
}

function matchesAny(patterns: string | readonly string[] | undefined, value: string, ignoreCase: boolean): boolean {
  if (patterns === undefined) return false;
  return (typeof patterns === 'string' ? [patterns] : patterns).some((pattern) => wildcard(pattern, ignoreCase).test(value));
}

function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '');
}
