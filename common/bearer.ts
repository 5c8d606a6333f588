import { timingSafeEqual, createHash } from 'node:crypto';

/** Shortest shared secret accepted between the oracle and a committee signer. */
export const MIN_TOKEN_LENGTH = 32;

/** Whether an `Authorization` header carries `Bearer <token>`; constant time in the token's content. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (\S+)$/.exec(header ?? '');
  if (!m) return false;
  // Hash both sides so the comparison is constant time whatever the lengths.
  const a = createHash('sha256').update(m[1] ?? '').digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** A token from the environment: printable, no spaces, at least MIN_TOKEN_LENGTH characters; undefined if unset. */
export function parseToken(value: string | undefined): string | undefined | { error: string } {
  if (value === undefined || value === '') return undefined;
  if (!/^[\x21-\x7e]+$/.test(value)) return { error: 'expected printable characters without spaces' };
  if (value.length < MIN_TOKEN_LENGTH) return { error: `expected at least ${MIN_TOKEN_LENGTH} characters` };
  return value;
}
