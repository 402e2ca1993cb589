// The console's only I/O: the operator API under /api on the same origin, with the bearer token.
export class Unauthorized extends Error {}

export function createApi(token) {
  async function call(method, path, body) {
    const response = await fetch(`/api/review${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) throw new Unauthorized('the token was refused');
    const reply = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(reply.error ?? `HTTP ${response.status}`);
    return reply;
  }
  const id = (itemId) => encodeURIComponent(itemId);
  return {
    counts: () => call('GET', '/counts'),
    pending: () => call('GET', '/items?state=pending&limit=50'),
    item: (itemId) => call('GET', `/items/${id(itemId)}`),
    claim: (itemId) => call('POST', `/items/${id(itemId)}/claim`),
    decide: (itemId, decision, reason) => call('POST', `/items/${id(itemId)}/decision`, { decision, reason }),
    logOfItem: (itemId) => call('GET', `/log?itemId=${id(itemId)}&limit=20`),
    logOfUser: (userID) => call('GET', `/log?userID=${encodeURIComponent(userID)}&limit=20`),
  };
}
