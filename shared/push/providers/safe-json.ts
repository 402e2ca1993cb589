/** A provider's error body as JSON, or `{}` when it is none: the status alone still decides. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}
