import { describe, expect, it } from 'vitest';
import { operationIdOf } from '#shared/http/request-parts.ts';

describe('Function: operationIdOf', () => {
  it.each([
    { how: 'lower-cased, as Node gives it', headers: { operationid: 'op-1' } },
    { how: "in OpenIM's case, as API Gateway keeps it", headers: { operationID: 'op-1' } },
    { how: 'in any other case', headers: { 'content-type': 'application/json', OperationId: 'op-1' } },
  ])('reads the header $how', ({ headers }) => {
    // Assess
    expect(operationIdOf({ headers })).toBe('op-1');
  });

  it('answers an empty string without the header or any headers', () => {
    // Assess
    expect(operationIdOf({ headers: { 'content-type': 'application/json' } })).toBe('');
    expect(operationIdOf({ headers: null as unknown as Record<string, string> })).toBe('');
  });
});
