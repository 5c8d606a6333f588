import { type Address } from 'viem';
import type { DidHash } from '../schemas/ids.js';
import type { DidRecord } from '../core/chain/registry.js';
import { configSnapshotOf, type AdminSource, type RegistryConfigSnapshot, type ReserveCaps } from '../core/attestation.js';
import { recoverAllowListSigner, recoverPauseSigner, recoverReserveSigner } from '../core/custodian-auth.js';
import { OracleError } from '../core/errors.js';
import { checkNotInFuture } from '../core/rules.js';
import { configSignerSet } from '../core/config-signers.js';
import { destinationsOf, refuse, registered, requireMember, type SignerCheckDeps, type Vetted } from './checks.js';
import { recoveredSigner, requireIssuer, requireRole, readChain } from '../core/guards.js';

/**
 * A signer's own checks of the admin kinds, independent of the aggregator, reading the hub and the chains itself:
 * - config: the snapshot equals the hub registry's current config of the DID, and this signer is in the set that
 *   must sign it: the governance set for a DID's first config, else the set of the last config it signed (which
 *   the chains hold once it applied). A signer that never signed a config of the DID treats it as a first config.
 * - allowlist, pause: the EIP-712 order recovers to the DID's issuer; this signer is in the set the chains hold
 *   (chainSetOf: the set of the last config it signed below this nonce, else the registry's).
 * - reserve: a custodian signed it; this signer is in the set the chains hold; unless the message was already approved,
 *   as-of not in the future and later than the last reserve it signed, and the caps are sound (checkCaps).
 * Throws OracleError; the refusals name fields of the sign request (`request.*`, `caps`).
 */
export async function vetAdminRequest(d: SignerCheckDeps, source: AdminSource, did: DidHash, chainIds: readonly number[], nonce: bigint, opts: { rules: boolean }): Promise<Vetted> {
  const record = await registered(d, did, source.request.did);
  switch (source.kind) {
    case 'config': {
      checkSnapshot(source.request, configSnapshotOf(record));
      // Governance signs a first config and one that follows a set past its end (the receivers verify it so).
      const previous = d.signedConfigSet(did, nonce);
      const set = configSignerSet(previous, d.governance, d.now());
      requireMember(d, set.signers, set === previous ? `the signer set of the last config it signed for ${record.did}` : `the governance set that signs the first config of ${record.did} and one after its set's end`);
      return { record, destinations: destinationsOf(d, record, chainIds) };
    }
    case 'allowlist':
    case 'pause': {
      requireMember(d, chainSetOf(d, did, nonce, record), `the signer set the chains hold for ${record.did}`);
      const destinations = destinationsOf(d, record, chainIds);
      const signer = await recoveredSigner(source.kind === 'allowlist' ? recoverAllowListSigner(d.custodianDomain, source.request) : recoverPauseSigner(d.custodianDomain, source.request), 'request.');
      requireIssuer(record, signer, 'request.');
      return { record, destinations };
    }
    case 'reserve': {
      requireMember(d, chainSetOf(d, did, nonce, record), `the signer set the chains hold for ${record.did}`);
      const destinations = destinationsOf(d, record, chainIds);
      const signer = await recoveredSigner(recoverReserveSigner(d.custodianDomain, source.request), 'request.');
      await requireRole(d.registry, { hash: did, record }, 'custodian', signer, 'request.');
      if (!opts.rules) return { record, destinations };
      const asOf = BigInt(source.request.asOf);
      refuse(checkNotInFuture('asOf', asOf, d.now(), d.maxFutureSkewSeconds));
      const last = d.signedReserveAsOf(did);
      if (last !== undefined && asOf <= last) throw new OracleError('reserve_not_newer', `asOf ${asOf} is not later than the last reserve this signer signed (${last})`, 'request.asOf');
      await checkCaps(d, record, did, BigInt(source.request.reserve), source.caps);
      return { record, destinations };
    }
    default:
      // Every kind of the union has its case: a new one is a type error here.
      return source satisfies never;
  }
}

/**
 * The set the receivers verify an admin attestation at `nonce` against: the one installed by the last config this
 * signer signed below it (the chains hold it once it applied; mid-rotation the registry already names the next
 * set), else the registry's set (no config signed yet).
 */
function chainSetOf(d: SignerCheckDeps, did: DidHash, nonce: bigint, record: DidRecord): readonly Address[] {
  return d.signedConfigSet(did, nonce)?.signers ?? record.signers;
}


/** The proposed snapshot must be the registry's current config field by field (the first difference is named). */
function checkSnapshot(proposed: RegistryConfigSnapshot, current: RegistryConfigSnapshot): void {
  for (const key of Object.keys(current) as (keyof RegistryConfigSnapshot)[]) {
    const a = proposed[key];
    const b = current[key];
    const same = Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
    if (!same) throw new OracleError('config_mismatch', `${key} differs from the hub registry's current config of ${current.did}`, `request.${key}`);
  }
}

/**
 * Per-chain caps of a reserve: every cap's chain is enabled for the DID (and in this signer's deployment), every such
 * chain has exactly one cap, the caps sum to at most the reserve, and no cap is below the supply this signer reads on
 * that chain now (a cap below it would strand minted units). Caps are < 2^128 already (the edge checks it).
 */
async function checkCaps(d: SignerCheckDeps, record: DidRecord, did: DidHash, reserve: bigint, caps: ReserveCaps): Promise<void> {
  const enabled = record.chainIds.map(Number).filter((c) => d.chains.get(c) !== undefined);
  const seen = new Set<number>();
  for (const c of caps) {
    if (!enabled.includes(c.chainId)) throw new OracleError('chain_not_enabled', `a cap names chain ${c.chainId}, which is not enabled for ${record.did}`, 'caps');
    if (seen.has(c.chainId)) throw new OracleError('caps_mismatch', `chain ${c.chainId} has more than one cap`, 'caps');
    seen.add(c.chainId);
  }
  const missing = enabled.filter((c) => !seen.has(c));
  if (missing.length > 0) throw new OracleError('caps_mismatch', `no cap for enabled chain(s) ${missing.join(', ')}`, 'caps');
  const total = caps.reduce((sum, c) => sum + BigInt(c.cap), 0n);
  if (total > reserve) throw new OracleError('caps_exceed_reserve', `the caps sum to ${total}, more than the reserve ${reserve}`, 'caps');
  const states = await Promise.all(caps.map((c) => readChain(`the supply on chain ${c.chainId}`, () => d.chains.holdingsState(c.chainId, did))));
  caps.forEach((c, i) => {
    const { totalSupply: supply, supplyCap } = states[i]!;
    if (BigInt(c.cap) < supply) throw new OracleError('cap_below_supply', `the cap ${c.cap} of chain ${c.chainId} is below its supply ${supply}`, 'caps');
    // The ceiling must bound what the chain can reach before it applies the caps (its supply, or a mint under its cap).
    const reach = supply > supplyCap ? supply : supplyCap;
    if (BigInt(c.ceiling) < reach) throw new OracleError('ceiling_below_reach', `the ceiling ${c.ceiling} of chain ${c.chainId} is below what it can reach, ${reach}`, 'caps');
  });
}
