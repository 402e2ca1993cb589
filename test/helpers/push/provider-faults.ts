/**
 * Faults a provider stand-in can play for one request, as a real provider or the network between
 * shows them. The `*-after-accepting` ones accept the notification first (the device gets it) and
 * then lose the answer, which is what makes a resend a duplicate; `reset-before-accepting` drops
 * the request unread, so nothing reached the device.
 */
export type ProviderFault =
  | { readonly kind: 'hang-after-accepting' }
  | { readonly kind: 'reset-after-accepting' }
  | { readonly kind: 'reset-before-accepting' }
  | { readonly kind: 'throttle'; readonly retryAfterSeconds: number };

/** Chooses the fault for the `attempt`-th request (1-based) for this device token, or none. */
export type FaultPlan = (token: string, attempt: number) => ProviderFault | undefined;

/** Counts requests per token, so plans can fail the first attempt and let the next through. */
export function attemptCounter(): (token: string) => number {
  const seen = new Map<string, number>();
  return (token) => {
    const attempt = (seen.get(token) ?? 0) + 1;
    seen.set(token, attempt);
    return attempt;
  };
}
