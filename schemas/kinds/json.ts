/**
 * JSON Schema (draft 2020-12) building blocks of the request schemas in the kind modules and of schemas/http.ts and
 * schemas/committee.ts. Numbers past 2^53 travel as decimal strings.
 */
export const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
export const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' } as const;
export const bytes32 = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } as const;
export const signature = { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$', description: '65-byte EIP-712 signature (r, s, v)' } as const;
/** uint256 as a decimal string: JSON numbers lose precision past 2^53. */
export const uintString = { type: 'string', pattern: '^(0|[1-9][0-9]{0,77})$' } as const;
export const did = { type: 'string', pattern: '^did:rwa:[a-z0-9][a-z0-9._-]{0,63}(:[a-z0-9][a-z0-9._-]{0,63}){0,2}$' } as const;
export const unixSeconds = { type: 'integer', minimum: 1, maximum: 18446744073709551615 } as const;
/** A custodian's or issuer's reference: printable ASCII, no spaces. */
export const ref = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' } as const;
export const evmChainId = { type: 'integer', minimum: 1, maximum: 9007199254740991 } as const;
/** uint64 as a decimal string, 1 .. 2^64-1 (the upper bound is checked in code: a pattern cannot bound it). */
export const uint64String = { type: 'string', pattern: '^[1-9][0-9]{0,19}$' } as const;
/** A block number as a decimal string (uint64 range checked in code). */
export const blockNumber = { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' } as const;
/** A DID as the hub registry holds it (registry snapshots and event reports; not pattern-checked there). */
export const registryDid = { type: 'string', minLength: 1, maxLength: 256 } as const;

export const MAX_UINT64 = (1n << 64n) - 1n;
