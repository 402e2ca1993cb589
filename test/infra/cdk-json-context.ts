/**
 * The context `cdk.json` gives every `cdk synth` and `cdk deploy` (the feature flags above all).
 * The CLI hands it to the app; tests that build or run the app themselves must pass it too, or
 * they check templates the CLI would never produce.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function cdkJsonContext(): Record<string, unknown> {
  const file = join(import.meta.dirname, '..', '..', 'cdk.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}
