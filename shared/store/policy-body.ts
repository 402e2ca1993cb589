/**
 * A policy document as the policy table holds it: its JSON in UTF-8, cut into chunks that each fit in
 * one DynamoDB item (at most 400 KB, attribute names and key included), with the length and SHA-256
 * of the whole, so that a reader can tell a complete body from anything else.
 */
import { createHash } from 'node:crypto';
import { PolicyTooLargeError } from '../moderation/errors.ts';
import { MAX_POLICY_BYTES } from '../moderation/policy.ts';
import { StoredPolicyUnreadableError } from './errors.ts';

/** Below the 409,600-byte item limit with room for the key and attribute names. */
export const CHUNK_BYTES = 350_000;

export interface PolicyBodyDigest {
  readonly byteLength: number;
  readonly sha256: string;
}

export interface PolicyBody extends PolicyBodyDigest {
  readonly chunks: readonly Uint8Array[];
}

/** @throws PolicyTooLargeError when the JSON is over MAX_POLICY_BYTES. */
export function encodePolicyBody(document: object): PolicyBody {
  const bytes = Buffer.from(JSON.stringify(document), 'utf8');
  if (bytes.length > MAX_POLICY_BYTES) throw new PolicyTooLargeError(bytes.length, MAX_POLICY_BYTES);
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) chunks.push(bytes.subarray(start, start + CHUNK_BYTES));
  return { chunks, byteLength: bytes.length, sha256: sha256Of(bytes) };
}

/**
 * The document the chunks hold, in order.
 * @throws StoredPolicyUnreadableError when they are not the body `expected` describes.
 */
export function decodePolicyBody(version: number, chunks: readonly Uint8Array[], expected: PolicyBodyDigest): unknown {
  const bytes = Buffer.concat(chunks);
  if (bytes.length !== expected.byteLength || sha256Of(bytes) !== expected.sha256) {
    throw new StoredPolicyUnreadableError(version, `its body is not the one saved (${bytes.length} of ${expected.byteLength} bytes, or another checksum)`);
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw new StoredPolicyUnreadableError(version, `its body is not JSON: ${(error as Error).message}`);
  }
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}
