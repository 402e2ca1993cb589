/**
 * `POST /api/presence:batch` is its own first path segment, so it is its own operator route
 * group; the operator API stack names each group's function after its entry, hence this entry.
 * It serves the same router as operator-presence.
 */
export { handler } from '../operator-presence/handler.ts';
