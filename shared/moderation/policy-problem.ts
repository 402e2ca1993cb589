/**
 * What is wrong with a policy document, and where: one entry per offending term (its list, index and
 * reason) or per document-level fault (an unknown key, a list that is not an array, too many terms).
 * The operator API returns every problem at once, so a 100-term paste is fixed in one round trip.
 */
import type { z } from 'zod';
import { pathText } from '../api/path-text.ts';

export interface PolicyProblem {
  /** `blocked[3]`, `blocked[3].term`, `version`, or `(policy)` for the document itself. */
  readonly path: string;
  /** The list holding the offending term, when the problem is one term's. */
  readonly list?: string;
  readonly index?: number;
  /** The offending term as sent (cut at ECHO_LIMIT characters), when it has a text. */
  readonly term?: string;
  readonly reason: string;
}

/** A term is echoed back at most this long, so a refused megabyte-long term is not sent back whole. */
const ECHO_LIMIT = 300;

export function problemAt(path: readonly PropertyKey[], document: unknown, reason: string): PolicyProblem {
  const [list, index] = path;
  const text = pathText(path);
  if (typeof list !== 'string' || typeof index !== 'number') return { path: text || '(policy)', reason };
  return { path: text, list, index, ...termText(itemAt(document, list, index)), reason };
}

/** One problem per zod issue, located in `document` (the input that was parsed). */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], document: unknown, prefix: readonly PropertyKey[] = []) {
  return issues.map((issue) => problemAt([...prefix, ...issue.path], document, issue.message));
}

export function describeProblem(problem: PolicyProblem): string {
  const term = problem.term === undefined ? '' : ` ${JSON.stringify(problem.term)}`;
  return `${problem.path}${term}: ${problem.reason}`;
}

function itemAt(document: unknown, list: string, index: number): unknown {
  const items = (document as Record<string, unknown> | null)?.[list];
  return Array.isArray(items) ? items[index] : undefined;
}

function termText(item: unknown): { term?: string } {
  const text = typeof item === 'string' ? item : (item as { term?: unknown } | null)?.term;
  if (typeof text !== 'string') return {};
  return { term: text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text };
}
