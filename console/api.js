// The console's I/O with the operator API under /api on the same origin, with a bearer token:
// `auth.bearer()` gives it (a pasted token, or Cognito's ID token refreshed when due) and, with
// Cognito, `auth.renew()` gets a new one when the API refuses the current one (one retry).
// Errors are RFC 9457 problems: `detail` says what went wrong, extensions (claimedBy...) ride along.
export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function createApi(auth) {
  async function send(method, path, body, token) {
    return fetch(`/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  }
  async function call(method, path, body) {
    let response = await send(method, path, body, await auth.bearer());
    if (response.status === 401 && auth.renew) response = await send(method, path, body, (await auth.renew()).idToken);
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
