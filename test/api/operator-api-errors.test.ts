/**
 * Every error body of the operator API has the documented shape: an RFC 9457 problem, as
 * `application/problem+json`, valid against the document's own Problem schema, from each route
 * family of the real local server; and the document itself is valid OpenAPI 3.1.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type RunningServer } from '../helpers/local-server.ts';

describe('Operator API: errors and document', () => {
  let server: RunningServer;
  let document: { components: { schemas: { Problem: object } }; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

  /** `token` '' sends none. */
  const call = (method: string, path: string, body?: string, token = server.apiToken) =>
    fetch(`${server.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    server = await startLocalServer();
    document = (await (await call('GET', '/api/openapi.json')).json()) as typeof document;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('serves a valid OpenAPI 3.1 document', async () => {
    // Act
    const validated = (await SwaggerParser.validate(structuredClone(document) as never)) as { openapi?: string };

    // Assess
    expect(validated.openapi).toBe('3.1.0');
  });

  it.each([
    { case: 'no token', method: 'GET', path: '/api/audit?sendID=u1', token: '', status: 401 },
    { case: 'an unknown route group', method: 'GET', path: '/api/nothing-here', status: 404 },
    { case: 'no policy saved yet', method: 'GET', path: '/api/moderation/policy', status: 404 },
    { case: 'a policy with a bad term', method: 'PUT', path: '/api/moderation/policy', body: '{"blocked": ["..."]}', status: 400, field: 'blocked[0]' },
    { case: 'a body that is not JSON', method: 'PUT', path: '/api/moderation/policy', body: '{', status: 400 },
    { case: 'a presence batch without user IDs', method: 'POST', path: '/api/presence:batch', body: '{"userIDs": []}', status: 400, field: 'userIDs' },
    { case: 'an audit query with two filters', method: 'GET', path: '/api/audit?sendID=a&groupID=b', status: 400 },
    { case: 'an audit query with a bad limit', method: 'GET', path: '/api/audit?sendID=a&limit=0', status: 400, field: 'limit' },
    { case: 'a device with an unknown provider', method: 'PUT', path: '/api/devices/u1/d1', body: '{"platform": "ios", "provider": "x", "token": "t"}', status: 400, field: 'provider' },
    { case: 'removing a device never registered', method: 'DELETE', path: '/api/devices/u1/never', status: 404 },
    { case: 'a bad user ID in the path', method: 'GET', path: '/api/push/preferences/%E0%A4%A', status: 400 },
    { case: 'an outbox query without userID', method: 'GET', path: '/api/push/outbox', status: 400, field: 'userID' },
    { case: 'preferences in an unknown time zone', method: 'PUT', path: '/api/push/preferences/u1', body: '{"timeZone": "Mars/Olympus"}', status: 400, field: 'timeZone' },
    { case: 'an unknown review item', method: 'GET', path: '/api/review/items/nope', status: 404 },
    { case: 'a route a group does not have', method: 'GET', path: '/api/push/nothing', status: 404 },
  ])('answers $case with $status as a documented problem', async ({ method, path, body, token, status, field }) => {
    // Act
    const response = await call(method, path, body, token);
    const problem = (await response.json()) as { status: number; errors?: { path: string }[] };

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const valid = new Ajv2020({ strict: false }).compile(document.components.schemas.Problem);
    expect(valid(problem), JSON.stringify(valid.errors)).toBe(true);
    expect(problem).toMatchObject({ type: 'about:blank', status, title: expect.any(String), detail: expect.any(String) });
    if (field) expect(problem.errors?.map((error) => error.path)).toContain(field);
  });

  it('documents each status it answers with on that operation', () => {
    // The problem statuses the cases above met, on the operations they called.
    expect(Object.keys(document.paths['/api/moderation/policy']!.get!.responses)).toEqual(expect.arrayContaining(['200', '401', '404', '500']));
    expect(Object.keys(document.paths['/api/moderation/policy']!.put!.responses)).toEqual(expect.arrayContaining(['400', '409', '413']));
    expect(Object.keys(document.paths['/api/devices/{userID}/{deviceID}']!.delete!.responses)).toEqual(expect.arrayContaining(['400', '404']));
    expect(Object.keys(document.paths['/api/audit']!.get!.responses)).toContain('400');
  });

  it('serves the reference page and its viewer from this machine, without a token', async () => {
    // Act
    const page = await call('GET', '/api/docs/', undefined, '');
    const html = await page.text();
    const bundle = await call('GET', '/api/docs/swagger-ui-bundle.js', undefined, '');
    const outside = await call('GET', '/api/docs/../../package.json', undefined, '');

    // Assess
    expect(page.status).toBe(200);
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(outside.status).not.toBe(200);
  });
});
