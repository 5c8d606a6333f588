/**
 * The checks every request passes before its kind's own rules, written once for the aggregator (oracle/intake) and
 * every committee signer (committee/): the signature recovers a signer (401), the DID is registered on the hub (404),
 * the signer holds the role the kind needs (403), and a chain that cannot be read is a retryable 503.
 * `prefix` names where the request sits in the body: '' for the aggregator's API, 'request.' for POST /v1/sign.
 */
import { getAddress, type Address } from 'viem';
import { didHash, type DidHash, type DidString } from '../schemas/ids.js';
import type { DidRecord } from './chain/registry.js';
import { OracleError, type OracleErrorCode } from './errors.js';

/** Runs a chain or hub read; a failure is 503 chain_unavailable (retryable), naming what could not be read. */
export async function readChain<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new OracleError('chain_unavailable', `cannot read ${what}`, undefined, { cause: err });
  }
}

/** The signer an EIP-712 request recovers, or bad_signature (401). */
export async function recoveredSigner(recovering: Promise<Address>, prefix = ''): Promise<Address> {
  try {
    return await recovering;
  } catch (err) {
    throw new OracleError('bad_signature', 'signature does not recover a signer', `${prefix}signature`, { cause: err });
  }
}

/** The DID's record on the hub registry, or 404 unknown_did; a registry that cannot be read is 503. */
export async function registeredDid(
  registry: { getDid(did: DidHash): Promise<DidRecord | undefined> },
  did: string,
  prefix = '',
): Promise<{ hash: DidHash; record: DidRecord }> {
  const hash = didHash(did as DidString);
  const record = await readChain('the hub registry', () => registry.getDid(hash));
  if (!record) throw new OracleError('unknown_did', `${did} is not registered on the hub`, `${prefix}did`);
  return { hash, record };
}

/** The roles the hub registry grants per DID. */
export type Role = 'custodian' | 'navPublisher';

/** The registry question that grants each role. */
export type RoleReader<R extends Role> = R extends 'custodian'
  ? { isCustodian(did: DidHash, who: Address): Promise<boolean> }
  : { isNavPublisher(did: DidHash, who: Address): Promise<boolean> };

const REFUSAL: Record<Role, { code: OracleErrorCode; what: string }> = {
  custodian: { code: 'not_a_custodian', what: 'a registered custodian of' },
  navPublisher: { code: 'not_a_nav_publisher', what: 'a registered NAV publisher of' },
};

/** 403 unless the hub registry says `signer` holds `role` for the DID; a registry that cannot be read is 503. */
export async function requireRole<R extends Role>(
  registry: RoleReader<R>,
  did: { hash: DidHash; record: DidRecord },
  role: R,
  signer: Address,
  prefix = '',
): Promise<void> {
  const ask = (): Promise<boolean> =>
    role === 'custodian'
      ? (registry as RoleReader<'custodian'>).isCustodian(did.hash, signer)
      : (registry as RoleReader<'navPublisher'>).isNavPublisher(did.hash, signer);
  const holds = await readChain('the hub registry', ask);
  if (!holds) {
    const r = REFUSAL[role];
    throw new OracleError(r.code, `${signer} is not ${r.what} ${did.record.did}`, `${prefix}signature`);
  }
}

/** 403 not_the_issuer unless `signer` is the DID's issuer (from its hub record). */
export function requireIssuer(record: DidRecord, signer: Address, prefix = ''): void {
  if (getAddress(signer) !== getAddress(record.issuer)) {
    throw new OracleError('not_the_issuer', `${signer} is not the issuer of ${record.did}`, `${prefix}signature`);
  }
}
