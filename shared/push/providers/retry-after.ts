/**
 * A `Retry-After` header as milliseconds to wait: delay-seconds or an HTTP date (RFC 9110 §10.2.3),
 * which FCM sends with 429 and 503. Anything unreadable counts as absent.
 */
export function retryAfterMs(header: string | string[] | undefined | null, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
