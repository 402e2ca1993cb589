// The console's only I/O: the operator API under /api on the same origin, with the bearer token.
// Errors are RFC 9457 problems: `detail` says what went wrong, extensions (claimedBy...) ride along.
export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function createApi(token) {
  async function call(method, path, body) {
    const response = await fetch(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) throw new Unauthorized('the token was refused');
    const reply = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, reply);
    return reply;
  }
  const id = (itemId) => encodeURIComponent(itemId);
  const query = (params) => new URLSearchParams(Object.entries(params).filter(([, value]) => value)).toString();
  return {
    me: () => call('GET', '/review/me'),
    counts: () => call('GET', '/review/counts'),
    stats: () => call('GET', '/review/stats'),
    items: (params) => call('GET', `/review/items?${query({ limit: 50, ...params })}`),
    item: (itemId) => call('GET', `/review/items/${id(itemId)}`),
    claim: (itemId) => call('POST', `/review/items/${id(itemId)}/claim`),
    release: (itemId) => call('POST', `/review/items/${id(itemId)}/release`),
    decide: (itemId, decision, reason) => call('POST', `/review/items/${id(itemId)}/decision`, { decision, reason }),
    note: (itemId, text) => call('POST', `/review/items/${id(itemId)}/notes`, { text }),
    escalate: (itemId, reason) => call('POST', `/review/items/${id(itemId)}/escalate`, { reason }),
    logOfItem: (itemId) => call('GET', `/review/log?itemId=${id(itemId)}&limit=20`),
    logOfUser: (userID) => call('GET', `/review/log?userID=${encodeURIComponent(userID)}&limit=20`),
  };
}
