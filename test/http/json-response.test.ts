import { describe, expect, it } from 'vitest';
import { frozenJsonResponse, jsonResponse } from '#shared/http/json-response.ts';

describe('Function: frozenJsonResponse()', () => {
  it('makes the same response as jsonResponse, which no one can change for later requests', () => {
    // Act
    const response = frozenJsonResponse(200, { errCode: 0 });

    // Assess
    expect(response).toEqual(jsonResponse(200, { errCode: 0 }));
    expect(() => Object.assign(response, { statusCode: 500 })).toThrow(TypeError);
    expect(() => Object.assign(response.headers!, { 'x-changed': '1' })).toThrow(TypeError);
    expect(response).toEqual(jsonResponse(200, { errCode: 0 }));
  });
});
