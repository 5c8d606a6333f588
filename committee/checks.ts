import type { Address } from 'viem';
import type { DidHash } from '../schemas/ids.js';
import type { DeployedChain } from '../schemas/deployment.js';
import type { DidRecord, RegistryPort, TransportQuorumPort } from '../core/chain/registry.js';
import type { Destinations } from '../core/chain/destinations.js';
import type { SourceRequest } from '../core/attestation.js';
import type { Destination } from '../core/committee-port.js';
import { recoverNavSigner, recoverSettlementSigner, type CustodianDomainParams } from '../core/custodian-auth.js';
import { OracleError } from '../core/errors.js';
import type { RedemptionCheckDeps } from './redemption-checks.js';
import { checkAmount, checkNav, checkNotInFuture, checkRedemptionCovered, type PreviousNav, type Refusal } from '../core/rules.js';

/** What a signer reads from destination chains (its own RPC endpoints). */
export type SignerChainsPort = Pick<Destinations, 'get' | 'balanceOf' | 'latestNav' | 'holdingsState' | 'isApplied' | 'moveOutcomeOf'>;

/** A signer set with its threshold (governance, or the set a config attestation installs). */
export interface SignerSet {
  signers: readonly Address[];
  threshold: number;
}

export interface SignerCheckDeps {
  registry: Pick<RegistryPort, 'getDid' | 'isCustodian' | 'isNavPublisher'>;
  chains: SignerChainsPort;
  custodianDomain: CustodianDomainParams;
  /** This signer's own address. */
  self: Address;
  now: () => bigint;
  maxFutureSkewSeconds: number;
  /** The latest NAV this signer has signed for a DID (its own store). */
  signedNav: (did: DidHash) => PreviousNav | undefined;
  /** Signs the first config of a DID on every receiver (the deployment file's `governance`). */
  governance: SignerSet;
  /** The set installed by the last config this signer signed for a DID below a nonce (its own store). */
  signedConfigSet: (did: DidHash, beforeNonce: bigint) => SignerSet | undefined;
  /** The latest reserve as-of this signer has signed for a DID (its own store). */
  signedReserveAsOf: (did: DidHash) => bigint | undefined;
  /** Redemptions and move-outs of an investor on a chain this signer signed (its own store): they reserve holdings. */
  signedBurns?: (did: DidHash, chainId: number, investor: Address) => readonly { nonce: bigint; amount: bigint }[];
  /** The source reference of the message this signer signed at a DID's nonce, if any (its own store). */
  signedSourceRefAt?: (did: DidHash, nonce: bigint) => string | undefined;
  /** Redemption kinds (7..11): refused (503) by a signer without them. */
  redemption?: RedemptionCheckDeps;
  /** The hub registry's transport quorums (kind 12): refused (503) by a signer without them. */
  quorums?: TransportQuorumPort;
}

export interface Vetted {
  record: DidRecord;
  destinations: Destination[];
}

/** Rules name fields of the custodian's body; in a sign request that body sits under `request`. */
export const refuse = (r: Refusal | undefined) => {
  if (r) throw new OracleError(422, r.code, r.message, `request.${r.field}`);
};

/** Reads a chain; a chain that cannot be read refuses the request (503): a signer never signs on half a view. */
export async function read<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new OracleError(503, 'chain_unavailable', `cannot read ${what}`, undefined, { cause: err });
  }
}

/** Burns of the investor's holdings this signer signed (other than at `nonce`) that the chain has not applied yet. */
export async function pendingBurns(d: SignerCheckDeps, did: DidHash, chainId: number, investor: Address, nonce: bigint | undefined): Promise<bigint> {
  let pending = 0n;
  for (const b of d.signedBurns?.(did, chainId, investor) ?? []) {
    if (b.nonce === nonce) continue;
    if (!(await read(`nonce ${b.nonce} on chain ${chainId}`, () => d.chains.isApplied(chainId, did, b.nonce)))) pending += b.amount;
  }
  return pending;
}

/**
 * A signer's own checks before it signs, independent of the aggregator: the DID is registered on the hub, this
 * signer is in its signer set, every proposed chain is enabled for it (a settlement goes to its own chain only),
 * the custodian's EIP-712 signature recovers to a custodian (or NAV publisher) of the DID, and, unless the message
 * was already approved, the rules. Throws OracleError; reads the chains itself.
 */
export async function vetSignRequest(d: SignerCheckDeps, source: SourceRequest, did: DidHash, chainIds: readonly number[], opts: { rules: boolean; nonce?: bigint }): Promise<Vetted> {
  const record = await registered(d, did, source.request.did);
  requireMember(d, record.signers, `the signer set of ${source.request.did}`);

  if (source.kind === 'settlement' && (chainIds.length !== 1 || chainIds[0] !== source.request.chainId)) {
    throw new OracleError(422, 'chain_mismatch', `a settlement is signed for its own chain ${source.request.chainId} only`, 'chainIds');
  }
  const destinations = destinationsOf(d, record, chainIds);

  if (source.kind === 'settlement') {
    const signer = await recoverSettlementSigner(d.custodianDomain, source.request).catch((err: unknown) => {
      throw new OracleError(401, 'bad_signature', 'signature does not recover a signer', 'request.signature', { cause: err });
    });
    if (!(await read('the hub registry', () => d.registry.isCustodian(did, signer)))) {
      throw new OracleError(403, 'not_a_custodian', `${signer} is not a registered custodian of ${source.request.did}`, 'request.signature');
    }
    if (!opts.rules) return { record, destinations };
    const amount = BigInt(source.request.amount);
    refuse(checkAmount(amount));
    refuse(checkNotInFuture('settledAt', BigInt(source.request.settledAt), d.now(), d.maxFutureSkewSeconds));
    if (source.request.kind === 'redemption') {
      const { chainId, investor } = source.request;
      // What this signer signed and the chain has not applied yet reserves the holdings (pending first, balance
      // second: one applied in between counts twice, a conservative refusal, never zero times).
      const reserved = await pendingBurns(d, did, chainId, investor as Address, opts.nonce);
      const balance = await read(`holdings on chain ${chainId}`, () => d.chains.balanceOf(chainId, did, investor as Address));
      refuse(checkRedemptionCovered(amount, balance, reserved));
    }
    return { record, destinations };
  }

  const signer = await recoverNavSigner(d.custodianDomain, source.request).catch((err: unknown) => {
    throw new OracleError(401, 'bad_signature', 'signature does not recover a signer', 'request.signature', { cause: err });
  });
  if (!(await read('the hub registry', () => d.registry.isNavPublisher(did, signer)))) {
    throw new OracleError(403, 'not_a_nav_publisher', `${signer} is not a registered NAV publisher of ${source.request.did}`, 'request.signature');
  }
  if (!opts.rules) return { record, destinations };
  const next = { nav: BigInt(source.request.nav), asOf: BigInt(source.request.asOf) };
  refuse(checkNotInFuture('asOf', next.asOf, d.now(), d.maxFutureSkewSeconds));
  refuse(checkNav(next, await previousNav(d, did, chainIds), record.maxNavMoveBps));
  return { record, destinations };
}

/** The DID's record on the hub registry, or 404. */
export async function registered(d: SignerCheckDeps, did: DidHash, didString: string): Promise<DidRecord> {
  const record = await read('the hub registry', () => d.registry.getDid(did));
  if (!record) throw new OracleError(404, 'unknown_did', `${didString} is not registered on the hub`, 'request.did');
  return record;
}

/** This signer must be in `set` (described by `which` in the refusal). */
export function requireMember(d: SignerCheckDeps, set: readonly Address[], which: string): void {
  if (!set.some((s) => s.toLowerCase() === d.self.toLowerCase())) {
    throw new OracleError(403, 'not_in_signer_set', `this signer (${d.self}) is not in ${which}`);
  }
}

/** Every proposed chain must be in this signer's deployment and enabled for the DID; their receiver domains. */
export function destinationsOf(d: SignerCheckDeps, record: DidRecord, chainIds: readonly number[]): Destination[] {
  const destinations: Destination[] = [];
  for (const chainId of chainIds) {
    const chain: DeployedChain | undefined = d.chains.get(chainId);
    if (!chain || !record.chainIds.includes(BigInt(chainId))) {
      throw new OracleError(422, 'chain_not_enabled', `chain ${chainId} is not enabled for ${record.did}`, 'chainIds');
    }
    destinations.push({ chainId: BigInt(chainId), receiver: chain.receiver as Address });
  }
  return destinations;
}

/**
 * The NAV to check a new one against: the latest (by as-of) of what this signer signed and what the destination
 * chains have applied, so a signer that was down while others signed still sees the NAV once it is on chain.
 * Fails closed: a chain that cannot be read refuses the request (503), the signer does not sign on half a view.
 */
async function previousNav(d: SignerCheckDeps, did: DidHash, chainIds: readonly number[]): Promise<PreviousNav | undefined> {
  const onChain = await Promise.all(chainIds.map((c) => read(`the latest NAV on chain ${c}`, () => d.chains.latestNav(c, did))));
  let latest = d.signedNav(did);
  for (const n of onChain) if (n && (!latest || n.asOf > latest.asOf)) latest = n;
  return latest;
}
