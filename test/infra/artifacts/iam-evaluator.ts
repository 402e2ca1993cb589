/**
 * A small IAM policy evaluator for the statement forms this app writes: Effect, Action and
 * Resource (strings or lists, `*` and `?` wildcards; actions compare case-insensitively, ARNs
 * exactly). An explicit Deny wins, then any Allow; otherwise the call is implicitly denied. A
 * statement with a form it does not evaluate (NotAction, NotResource, Condition, Principal) makes
 * it throw rather than guess: add the form here when the app starts using it.
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

const EVALUATED_FORMS = new Set(['Effect', 'Action', 'Resource', 'Sid']);

export function evaluate(statements: readonly PolicyStatement[], action: string, resource: string): Decision {
  for (const statement of statements) {
    const unknown = Object.keys(statement).filter((form) => !EVALUATED_FORMS.has(form));
    if (unknown.length > 0) throw new Error(`the evaluator does not handle ${unknown.join(', ')} (statement ${JSON.stringify(statement)})`);
  }
  const matching = statements.filter((statement) => matchesAny(statement.Action, action, true) && matchesAny(statement.Resource, resource, false));
  const deny = matching.find((statement) => statement.Effect === 'Deny');
  if (deny) return { allowed: false, statement: deny };
  const allow = matching.find((statement) => statement.Effect === 'Allow');
  return allow ? { allowed: true, statement: allow } : { allowed: false };
}

function matchesAny(patterns: string | readonly string[] | undefined, value: string, ignoreCase: boolean): boolean {
  if (patterns === undefined) return false;
  return (typeof patterns === 'string' ? [patterns] : patterns).some((pattern) => wildcard(pattern, ignoreCase).test(value));
}

function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '');
}
