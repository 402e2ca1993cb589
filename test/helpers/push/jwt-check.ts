/** Verifies the JWTs the providers send, the way Google and Apple do: signature, algorithm, claims. */
import { verify, type KeyObject } from 'node:crypto';

export interface VerifiedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
}

/** The decoded JWT, or a string saying what is wrong with it. */
export function verifyJwt(token: string, algorithm: 'RS256' | 'ES256', publicKey: KeyObject): VerifiedJwt | string {
  const parts = token.split('.');
  if (parts.length !== 3) return 'not a three-part JWT';
  const [header, claims, signature] = parts as [string, string, string];
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  const decoded = { header: decode(header), claims: decode(claims) };
  if (decoded.header.alg !== algorithm) return `alg is ${String(decoded.header.alg)}, expected ${algorithm}`;
  const data = Buffer.from(`${header}.${claims}`);
  const raw = Buffer.from(signature, 'base64url');
  const valid =
    algorithm === 'RS256'
      ? verify('sha256', data, publicKey, raw)
      : raw.length === 64 && verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw);
  return valid ? decoded : 'bad signature';
}
