/**
 * The OpenAPI document covers every route the server answers: the local server's own (the
 * reference page) and each operator route group of
 * infra/operator-routes.ts (what the local server and API Gateway route under `/api/<pathPart>`)
 * is imported as the server imports it, and the route table each hands to the real
 * @middy/http-router is recorded on its way in.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OPERATOR_ROUTES } from '../../infra/operator-routes.ts';
import { TABLE_DEFINITIONS } from '#shared/store/table-definitions.ts';
import { OPERATIONS } from '#shared/api/openapi-document.ts';
import { workerEnvironment } from '../../local/functions.ts';
import { REFERENCE_PAGE_PATH } from '../../local/reference-page.ts';

const answered = vi.hoisted(() => [] as { group: string; method: string; path: string }[]);
const loading = vi.hoisted(() => ({ group: '' }));

vi.mock('@middy/http-router', async (importOriginal) => {
  const router = (await importOriginal<{ default: (...args: unknown[]) => unknown }>()).default;
  return {
    default: (routes: { method: string; path: string }[], ...rest: unknown[]) => {
      answered.push(...routes.map(({ method, path }) => ({ group: loading.group, method: method.toLowerCase(), path })));
      return router(routes, ...rest);
    },
  };
});

/** What the handlers read at import, as the local server sets it (no AWS call is made at import). */
function handlerEnvironment(): Record<string, string> {
  const tables = Object.fromEntries(Object.values(TABLE_DEFINITIONS).map(({ envVar }) => [envVar, `coverage-${envVar.toLowerCase()}`]));
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    CALLBACK_SECRET: 'coverage-callback-secret-0123456789',
    CHAT_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:chat-events',
    ...tables,
    ...workerEnvironment(),
  };
}

/** What the local server answers under /api itself, before any route group (local/server.ts). */
const LOCAL_SERVER_ROUTES = [{ group: 'local server', method: 'get', path: REFERENCE_PAGE_PATH }];

describe('OpenAPI document: coverage', () => {
  beforeAll(async () => {
    answered.push(...LOCAL_SERVER_ROUTES);
    Object.assign(process.env, handlerEnvironment());
    for (const group of OPERATOR_ROUTES) {
      loading.group = group.pathPart;
      await import(`../../functions/${group.entryName}/handler.ts`);
    }
  }, 60_000);

  const documented = () => new Set(OPERATIONS.map(({ method, path }) => `${method} ${path}`));

  it('finds the routes of every operator route group', () => {
    // A group whose module re-exports another's handler (presence:batch) records nothing of its own.
    const groupsWithRoutes = new Set(answered.map(({ group }) => group).filter((group) => OPERATOR_ROUTES.some(({ pathPart }) => pathPart === group)));
    expect(groupsWithRoutes.size).toBeGreaterThanOrEqual(OPERATOR_ROUTES.length - 1);
    expect(answered.length).toBeGreaterThan(10);
  });

  it('documents every route a handler answers', () => {
    const undocumented = answered.map(({ method, path }) => `${method} ${path}`).filter((route) => !documented().has(route));
    expect(undocumented, 'add these to shared/api/operator-operations.ts or shared/review/review-operations.ts').toEqual([]);
  });

  it('documents no route that no handler answers', () => {
    const routes = new Set(answered.map(({ method, path }) => `${method} ${path}`));
    expect([...documented()].filter((route) => !routes.has(route))).toEqual([]);
  });

  it('routes every documented path to a route group, as the local server and API Gateway do', () => {
    const pathParts = new Set(OPERATOR_ROUTES.map(({ pathPart }) => pathPart));
    const local = new Set(LOCAL_SERVER_ROUTES.map(({ path }) => path));
    const unrouted = OPERATIONS.filter(({ path }) => !local.has(path) && !pathParts.has(path.split('/')[2] ?? ''));
    expect(unrouted.map(({ path }) => path)).toEqual([]);
  });
});
