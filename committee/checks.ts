import type { Address, Hex } from 'viem';
import type { DidHash } from '../schemas/ids.js';
import type { DeployedChain } from '../schemas/deployment.js';
import type { BuyBackPort, DidRecord, RegistryPort, TransportQuorumPort, BrakesPort } from '../core/chain/registry.js';
import type { Destinations } from '../core/chain/destinations.js';
import type { SourceRequest } from '../core/attestation.js';
import type { Destination } from '../core/committee-port.js';
import { recoverNavSigner, recoverSettlementSigner, type CustodianDomainParams } from '../core/custodian-auth.js';
import { OracleError } from '../core/errors.js';
import type { RedemptionCheckDeps } from './redemption-deps.js';
import { checkAmount, checkNav, checkNotInFuture, checkRedemptionCovered, checkSettlementApplies, type PreviousNav, type Refusal } from '../core/rules.js';
import { readChain, recoveredSigner, requireRole } from '../core/guards.js';

/** What a signer reads from destination chains (its own RPC endpoints). */
export type SignerChainsPort = Pick<Destinations, 'get' | 'balanceOf' | 'latestNav' | 'holdingsState' | 'isApplied' | 'settlementState' | 'moveOutcomeOf'>;

/** A signer set with its threshold (governance, or the set a config attestation installs). */
export interface SignerSet {
  signers: readonly Address[];
  threshold: number;
}

/** The set a config installs, with its end (past it the receivers hand the DID's next config to governance). */
export interface ConfigSignerSet extends SignerSet {
  signersValidUntil: number;
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
  signedConfigSet: (did: DidHash, beforeNonce: bigint) => ConfigSignerSet | undefined;
  /** The latest reserve as-of this signer has signed for a DID (its own store). */
  signedReserveAsOf: (did: DidHash) => bigint | undefined;
  /** Redemptions and move-outs of an investor on a chain this signer signed (its own store): they reserve holdings. */
  signedBurns?: (did: DidHash, chainId: number, investor: Address) => readonly { nonce: bigint; amount: bigint }[];
  /** Subscriptions and move-ins on a chain this signer signed, whoever the investor (its own store): they reserve cap headroom. */
  signedMints?: (did: DidHash, chainId: number) => readonly { nonce: bigint; amount: bigint; moveRef?: Hex }[];
  /**
   * Whether the chain should be asked which of `open` signed mints applied even though the bound fits (else, the bound
   * fitting, nothing is ever learnt applied and the list grows with the DID's history); told the count left after.
   */
  mintsRefineDue?: (did: DidHash, chainId: number, open: number) => boolean;
  mintsRefined?: (did: DidHash, chainId: number, open: number) => void;
  /** Nonces the chains showed used (`chainId:didHash:nonce`), remembered by the signer so each is read once. */
  appliedNonces?: Set<string>;
  /** The source reference of the message this signer signed at a DID's nonce, if any (its own store). */
  signedSourceRefAt?: (did: DidHash, nonce: bigint) => string | undefined;
  /** Redemption kinds (7..11): refused (503) by a signer without them. */
  redemption?: RedemptionCheckDeps;
  /** The hub registry's transport quorums (kind 12): refused (503) by a signer without them. */
  quorums?: TransportQuorumPort;
  /** The hub registry's buy-back custodian and liquidity bands (kind 17): refused (503) by a signer without them. */
  buyBacks?: BuyBackPort;
  /** The hub registry's brakes (kind 14): refused (503) by a signer without them. */
  brakes?: BrakesPort;
}

export interface Vetted {
  record: DidRecord;
  destinations: Destination[];
}

/** Rules name fields of the custodian's body; in a sign request that body sits under `request`. */
export const refuse = (r: Refusal | undefined) => {
  if (r) throw new OracleError(r.code, r.message, `request.${r.field}`);
};

/**
 * What of `signed` (other than at `nonce`) the chain has not released yet: `released` says whether the chain's balance
 * or supply includes one. Once included it stays included, so it is remembered (`appliedNonces`) and never read again:
 * the chain is asked only about the ones still pending, all at once.
 */
async function pendingOf(
  d: SignerCheckDeps,
  did: DidHash,
  chainId: number,
  signed: readonly { nonce: bigint; amount: bigint }[],
  nonce: bigint | undefined,
  released: (nonce: bigint) => Promise<boolean>,
): Promise<bigint> {
  const open = signed.filter((s) => s.nonce !== nonce && !d.appliedNonces?.has(`${chainId}:${did}:${s.nonce}`));
  const applied = await Promise.all(open.map((s) => readChain(`nonce ${s.nonce} on chain ${chainId}`, () => released(s.nonce))));
  let pending = 0n;
  open.forEach((s, i) => (applied[i] ? d.appliedNonces?.add(`${chainId}:${did}:${s.nonce}`) : (pending += s.amount)));
  return pending;
}

/**
 * The upper bound of what `signed` (other than at `nonce`) reserves: every one not yet seen applied counts, without
 * asking the chain. Taken before the holdings are read, so a nonce known applied is in them: nothing counts zero times.
 */
function unconfirmed(d: SignerCheckDeps, did: DidHash, chainId: number, signed: readonly { nonce: bigint; amount: bigint }[], nonce: bigint | undefined): bigint {
  return signed.filter((s) => s.nonce !== nonce && !d.appliedNonces?.has(`${chainId}:${did}:${s.nonce}`)).reduce((a, s) => a + s.amount, 0n);
}

/**
 * Burns of the investor's holdings this signer signed (other than at `nonce`) whose nonce the chain has not used yet.
 * A burn the brakes queued has its units escrowed out of the balance already (docs/brakes.md): it reserves nothing.
 */
export function pendingBurns(d: SignerCheckDeps, did: DidHash, chainId: number, investor: Address, nonce: bigint | undefined): Promise<bigint> {
  return pendingOf(d, did, chainId, d.signedBurns?.(did, chainId, investor) ?? [], nonce, (n) => d.chains.isApplied(chainId, did, n));
}

/**
 * Mints under the chain's cap this signer signed (other than at `nonce`) that the chain has not applied yet. A mint the
 * brakes queued has its nonce used but is not in the supply until drained: it reserves until `settlementState` says
 * applied. A move's in leg whose move the chain shows voided can never apply (the void consumed its reference): it
 * reserves nothing.
 */
export async function pendingMints(d: SignerCheckDeps, did: DidHash, chainId: number, nonce: bigint | undefined): Promise<bigint> {
  const live: { nonce: bigint; amount: bigint }[] = [];
  for (const m of d.signedMints?.(did, chainId) ?? []) {
    if (m.moveRef && (await readChain(`move ${m.moveRef} on chain ${chainId}`, () => d.chains.moveOutcomeOf(chainId, did, m.moveRef!))) === 'voided') continue;
    live.push(m);
  }
  return pendingOf(d, did, chainId, live, nonce, async (n) => (await d.chains.settlementState(chainId, did, n)) === 'applied');
}

/**
 * A subscription (or a move's in leg) must apply on its chain now with what this signer signed and the chain has not
 * applied yet counted as applied: configured, not paused, investor allow-listed, and room under the cap for it and
 * every pending mint. While it fits with every signed mint not yet seen applied counted, the chain is not asked which
 * applied; otherwise pending first, holdings second (one applied in between counts twice, never zero times).
 */
export async function mintRefusal(d: SignerCheckDeps, did: DidHash, chainId: number, investor: Address, amount: bigint, nonce: bigint | undefined): Promise<Refusal | undefined> {
  if (d.mintsRefineDue?.(did, chainId, d.signedMints?.(did, chainId).length ?? 0)) {
    // Pending first (what applied is learnt and drops out of the list), holdings second: read below, after it.
    await pendingMints(d, did, chainId, nonce);
    d.mintsRefined?.(did, chainId, d.signedMints?.(did, chainId).length ?? 0);
  }
  const bound = unconfirmed(d, did, chainId, d.signedMints?.(did, chainId) ?? [], nonce);
  const now = await readChain(`holdings on chain ${chainId}`, () => d.chains.holdingsState(chainId, did, investor));
  if (!checkSettlementApplies('subscription', amount, now, { burn: 0n, mint: bound })) return undefined;
  const mint = await pendingMints(d, did, chainId, nonce);
  const state = await readChain(`holdings on chain ${chainId}`, () => d.chains.holdingsState(chainId, did, investor));
  return checkSettlementApplies('subscription', amount, state, { burn: 0n, mint });
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
    throw new OracleError('chain_mismatch', `a settlement is signed for its own chain ${source.request.chainId} only`, 'chainIds');
  }
  const destinations = destinationsOf(d, record, chainIds);

  if (source.kind === 'settlement') {
    const signer = await recoveredSigner(recoverSettlementSigner(d.custodianDomain, source.request), 'request.');
    await requireRole(d.registry, { hash: did, record }, 'custodian', signer, 'request.');
    if (!opts.rules) return { record, destinations };
    const amount = BigInt(source.request.amount);
    refuse(checkAmount(amount));
    refuse(checkNotInFuture('settledAt', BigInt(source.request.settledAt), d.now(), d.maxFutureSkewSeconds));
    if (source.request.kind === 'redemption') {
      const { chainId, investor } = source.request;
      // What this signer signed and the chain has not applied yet reserves the holdings. While the request fits with
      // every one not yet seen applied counted, the chain is not asked which applied; otherwise pending first, balance
      // second: one applied in between counts twice, a conservative refusal, never zero times.
      const bound = unconfirmed(d, did, chainId, d.signedBurns?.(did, chainId, investor as Address) ?? [], opts.nonce);
      const now = await readChain(`holdings on chain ${chainId}`, () => d.chains.balanceOf(chainId, did, investor as Address));
      if (!checkRedemptionCovered(amount, now, bound)) return { record, destinations };
      const reserved = await pendingBurns(d, did, chainId, investor as Address, opts.nonce);
      const balance = await readChain(`holdings on chain ${chainId}`, () => d.chains.balanceOf(chainId, did, investor as Address));
      refuse(checkRedemptionCovered(amount, balance, reserved));
    } else {
      refuse(await mintRefusal(d, did, source.request.chainId, source.request.investor as Address, amount, opts.nonce));
    }
    return { record, destinations };
  }

  const signer = await recoveredSigner(recoverNavSigner(d.custodianDomain, source.request), 'request.');
  await requireRole(d.registry, { hash: did, record }, 'navPublisher', signer, 'request.');
  if (!opts.rules) return { record, destinations };
  const next = { nav: BigInt(source.request.nav), asOf: BigInt(source.request.asOf) };
  refuse(checkNotInFuture('asOf', next.asOf, d.now(), d.maxFutureSkewSeconds));
  refuse(checkNav(next, await previousNav(d, did, chainIds), record.maxNavMoveBps));
  return { record, destinations };
}

/**
 * The DID's record on the hub registry, or 404 (core/guards.ts registeredDid's refusal). `did` is the hash the caller
 * computed from `didString` once for the whole request; it is not hashed again here.
 */
export async function registered(d: SignerCheckDeps, did: DidHash, didString: string): Promise<DidRecord> {
  const record = await readChain('the hub registry', () => d.registry.getDid(did));
  if (!record) throw new OracleError('unknown_did', `${didString} is not registered on the hub`, 'request.did');
  return record;
}

/** This signer must be in `set` (described by `which` in the refusal). */
export function requireMember(d: SignerCheckDeps, set: readonly Address[], which: string): void {
  if (!set.some((s) => s.toLowerCase() === d.self.toLowerCase())) {
    throw new OracleError('not_in_signer_set', `this signer (${d.self}) is not in ${which}`);
  }
}

/** Every proposed chain must be in this signer's deployment and enabled for the DID; their receiver domains. */
export function destinationsOf(d: SignerCheckDeps, record: DidRecord, chainIds: readonly number[]): Destination[] {
  const destinations: Destination[] = [];
  for (const chainId of chainIds) {
    const chain: DeployedChain | undefined = d.chains.get(chainId);
    if (!chain || !record.chainIds.includes(BigInt(chainId))) {
      throw new OracleError('chain_not_enabled', `chain ${chainId} is not enabled for ${record.did}`, 'chainIds');
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
  const onChain = await Promise.all(chainIds.map((c) => readChain(`the latest NAV on chain ${c}`, () => d.chains.latestNav(c, did))));
  let latest = d.signedNav(did);
  for (const n of onChain) if (n && (!latest || n.asOf > latest.asOf)) latest = n;
  return latest;
}
