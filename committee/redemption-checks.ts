import { getAddress } from 'viem';
import type { DidHash } from '../schemas/ids.js';
import type { RedemptionSource } from '../core/redemption-attestation.js';
import { recoverAcceptanceSigner, recoverDisclosureSigner, recoverFulfilmentSigner } from '../core/custodian-auth.js';
import { OracleError } from '../core/errors.js';
import { checkAmount, checkNotInFuture } from '../core/rules.js';
import { checkAcceptance, checkFulfilment, checkPins } from '../core/redemption-rules.js';
import { destinationsOf, refuse, registered, requireMember, type SignerCheckDeps, type Vetted } from './checks.js';

/** What a signer needs for the redemption kinds: its own view of the chains' modules and of the hub registry. */
export type { RedemptionCheckDeps } from './redemption-deps.js';
import type { RedemptionCheckDeps } from './redemption-deps.js';
import { recoveredSigner, requireIssuer, requireRole, readChain } from '../core/guards.js';

const mismatch = (field: string, message: string) => new OracleError('event_mismatch', message, `request.${field}`);

/** A block past the chain's confirmations, as this signer's endpoint sees it. */
async function requireFinal(r: RedemptionCheckDeps, chainId: number, blockNumber: bigint, field: string): Promise<void> {
  const safe = await readChain(`the head of chain ${chainId}`, () => r.chains.safeHead(chainId));
  if (blockNumber > safe) throw new OracleError('not_final', `block ${blockNumber} of chain ${chainId} is not past its confirmations (safe head ${safe})`, `request.${field}`);
}

/**
 * A signer's own checks of the redemption kinds, reading the hub and the chains itself:
 * - redemptionRequest: signed for the hub only; the RedeemRequested event is in that block of the request's chain,
 *   past confirmations, with the same owner, amount and time; the request is accepted at this signer's safe head of
 *   that chain (only units the holder can no longer take back count as pressure); one pinned block per enabled chain, each final and
 *   not older than maxPinLagSeconds before the request; poolSupply is the sum of the supplies it reads there.
 * - redemptionStage: signed for chains other than the hub; the hub's RedemptionStageChanged with that stageSeq is
 *   in that block, final, with the same fields.
 * - redemptionPolicy: equals the hub registry's current policy of the DID.
 * - redemptionAcceptance: a custodian signed it; signed for the request's chain only; the request exists at the
 *   newest block, is open, not cancelled and not accepted, with the owner and amount the custodian signed.
 * - redemptionFulfilment: a custodian signed it; signed for the request's chain only; the request exists and is
 *   open; the amount fits what remains and the module's redeemableNow, less what this signer signed for the same
 *   request that the chain has not applied yet; all of it read at one block, the newest this signer's endpoint
 *   knows (the sign request names no block, and a block the aggregator chose would not be the signer's own view).
 * - disclosure: the issuer signed it; as-of not in the future and later than the last of its kind this signer signed.
 * Event and state checks run only for a message not approved yet (`rules`); the signer set and chains always.
 */
export async function vetRedemptionRequest(d: SignerCheckDeps, source: RedemptionSource, did: DidHash, chainIds: readonly number[], nonce: bigint, opts: { rules: boolean }): Promise<Vetted> {
  const record = await registered(d, did, source.request.did);
  requireMember(d, record.signers, `the signer set of ${record.did}`);
  const r = d.redemption;
  if (!r) throw new OracleError('redemptions_not_configured', 'this signer does not read the redemptions modules');
  const hub = r.hubChainId;

  switch (source.kind) {
    case 'redemptionRequest': {
      const q = source.request;
      if (chainIds.length !== 1 || chainIds[0] !== hub) throw new OracleError('chain_mismatch', `a redemption request is reported to the hub ${hub} only`, 'chainIds');
      const destinations = destinationsOf(d, record, chainIds);
      if (!opts.rules) return { record, destinations };
      const enabled = record.chainIds.map(Number).filter((c) => d.chains.get(c) !== undefined);
      if (!enabled.includes(q.chainId)) throw new OracleError('chain_not_enabled', `chain ${q.chainId} is not enabled for ${record.did}`, 'request.chainId');
      const block = BigInt(q.blockNumber);
      await requireFinal(r, q.chainId, block, 'blockNumber');
      const log = await readChain(`the redemptions module of chain ${q.chainId}`, () => r.chains.requestLogAt(q.chainId, did, BigInt(q.requestId), block));
      if (!log) throw new OracleError('event_not_found', `no RedeemRequested of request ${q.requestId} in block ${block} of chain ${q.chainId}`, 'request.blockNumber');
      if (getAddress(q.owner) !== getAddress(log.owner)) throw mismatch('owner', `the event's owner is ${log.owner}`);
      if (BigInt(q.amount) !== log.amount) throw mismatch('amount', `the event's amount is ${log.amount}`);
      if (BigInt(q.requestedAt) !== log.requestedAt) throw mismatch('requestedAt', `the event's requestedAt is ${log.requestedAt}`);
      const safe = await readChain(`the head of chain ${q.chainId}`, () => r.chains.safeHead(q.chainId));
      const state = await readChain(`request ${q.requestId} on chain ${q.chainId}`, () => r.chains.requestOf(q.chainId, did, BigInt(q.requestId), safe));
      if (!state?.accepted) throw new OracleError('not_accepted', `request ${q.requestId} of chain ${q.chainId} is not accepted past its confirmations: only accepted requests count as pressure`, 'request.requestId');
      refuse(checkPins(enabled, q.pins));
      const supplies = await Promise.all(
        q.pins.map(async (p) => {
          const at = BigInt(p.blockNumber);
          await requireFinal(r, p.chainId, at, 'pins');
          const time = await readChain(`block ${at} of chain ${p.chainId}`, () => r.chains.blockTimestamp(p.chainId, at));
          if (time + BigInt(r.maxPinLagSeconds) < log.requestedAt) {
            throw new OracleError('pin_too_old', `block ${at} of chain ${p.chainId} is more than ${r.maxPinLagSeconds} s older than the request`, 'request.pins');
          }
          return readChain(`the supply on chain ${p.chainId}`, () => r.chains.totalSupplyAt(p.chainId, did, at));
        }),
      );
      const pool = supplies.reduce((a, b) => a + b, 0n);
      if (pool !== BigInt(q.poolSupply)) throw new OracleError('pool_supply_mismatch', `the supply over the pinned blocks is ${pool}`, 'request.poolSupply');
      return { record, destinations };
    }
    case 'redemptionStage': {
      const s = source.request;
      if (chainIds.includes(hub)) throw new OracleError('chain_mismatch', `a stage goes to the chains other than the hub ${hub}`, 'chainIds');
      const destinations = destinationsOf(d, record, chainIds);
      if (!opts.rules) return { record, destinations };
      const block = BigInt(s.blockNumber);
      await requireFinal(r, hub, block, 'blockNumber');
      const logs = await readChain('the hub redemptions module', () => r.chains.stageLogs(hub, block, block, did));
      const log = logs.find((l) => l.stageSeq === BigInt(s.stageSeq));
      if (!log) throw new OracleError('event_not_found', `no RedemptionStageChanged with stageSeq ${s.stageSeq} in block ${block} of the hub`, 'request.blockNumber');
      if (log.stage !== s.stage) throw mismatch('stage', `the event's stage is ${log.stage}`);
      if (log.since !== BigInt(s.since)) throw mismatch('since', `the event's since is ${log.since}`);
      if (log.reason !== s.reason) throw mismatch('reason', `the event's reason is ${log.reason}`);
      if (log.dayRequested !== BigInt(s.dayRequested)) throw mismatch('dayRequested', `the event's dayRequested is ${log.dayRequested}`);
      if (log.poolSupply !== BigInt(s.poolSupply)) throw mismatch('poolSupply', `the event's poolSupply is ${log.poolSupply}`);
      return { record, destinations };
    }
    case 'redemptionPolicy': {
      const destinations = destinationsOf(d, record, chainIds);
      const current = await readChain('the hub registry', () => r.policies.redemptionPolicyOf(did));
      if (!current) throw new OracleError('policy_not_set', `the hub registry has no redemption policy for ${record.did}`, 'request');
      for (const key of ['stageBBps', 'stageCBps', 'instalments', 'windowSeconds', 'emergency'] as const) {
        if (current[key] !== source.request[key]) throw new OracleError('policy_mismatch', `${key} differs from the hub registry's policy (${current[key]})`, `request.${key}`);
      }
      return { record, destinations };
    }
    case 'redemptionFulfilment': {
      const f = source.request;
      if (chainIds.length !== 1 || chainIds[0] !== f.chainId) throw new OracleError('chain_mismatch', `a fulfilment is signed for the request's chain ${f.chainId} only`, 'chainIds');
      const destinations = destinationsOf(d, record, chainIds);
      const signer = await recoveredSigner(recoverFulfilmentSigner(d.custodianDomain, f), 'request.');
      await requireRole(d.registry, { hash: did, record }, 'custodian', signer, 'request.');
      if (!opts.rules) return { record, destinations };
      const amount = BigInt(f.amount);
      refuse(checkAmount(amount));
      refuse(checkNotInFuture('settledAt', BigInt(f.settledAt), d.now(), d.maxFutureSkewSeconds));
      const requestId = BigInt(f.requestId);
      // One block for the request, the allowance and the nonces: a fulfilment applied between unpinned reads would
      // count in some and not in others.
      const at = await readChain(`the newest block of chain ${f.chainId}`, () => r.chains.latestBlock(f.chainId));
      const [request, allowance, pending] = await Promise.all([
        readChain(`request ${requestId} on chain ${f.chainId}`, () => r.chains.requestOf(f.chainId, did, requestId, at)),
        readChain(`the allowance of request ${requestId} on chain ${f.chainId}`, () => r.chains.redeemableNow(f.chainId, did, requestId, at)),
        pendingOf(d, r, did, f.chainId, requestId, nonce, at),
      ]);
      refuse(checkFulfilment(amount, request, allowance, pending));
      return { record, destinations };
    }
    case 'redemptionAcceptance': {
      const a = source.request;
      if (chainIds.length !== 1 || chainIds[0] !== a.chainId) throw new OracleError('chain_mismatch', `an acceptance is signed for the request's chain ${a.chainId} only`, 'chainIds');
      const destinations = destinationsOf(d, record, chainIds);
      const signer = await recoveredSigner(recoverAcceptanceSigner(d.custodianDomain, a), 'request.');
      await requireRole(d.registry, { hash: did, record }, 'custodian', signer, 'request.');
      if (!opts.rules) return { record, destinations };
      refuse(checkNotInFuture('acceptedAt', BigInt(a.acceptedAt), d.now(), d.maxFutureSkewSeconds));
      const at = await readChain(`the newest block of chain ${a.chainId}`, () => r.chains.latestBlock(a.chainId));
      const request = await readChain(`request ${a.requestId} on chain ${a.chainId}`, () => r.chains.requestOf(a.chainId, did, BigInt(a.requestId), at));
      refuse(checkAcceptance(a.owner, BigInt(a.amount), request));
      return { record, destinations };
    }
    case 'disclosure': {
      const q = source.request;
      const destinations = destinationsOf(d, record, chainIds);
      const signer = await recoveredSigner(recoverDisclosureSigner(d.custodianDomain, q), 'request.');
      requireIssuer(record, signer, 'request.');
      if (!opts.rules) return { record, destinations };
      const asOf = BigInt(q.asOf);
      refuse(checkNotInFuture('asOf', asOf, d.now(), d.maxFutureSkewSeconds));
      const last = r.signedDisclosureAsOf(did, q.docKind);
      if (last !== undefined && asOf <= last) throw new OracleError('disclosure_not_newer', `asOf ${asOf} is not later than the last ${q.docKind} this signer signed (${last})`, 'request.asOf');
      return { record, destinations };
    }
    default:
      // Every kind of the union has its case: a new one is a type error here.
      return source satisfies never;
  }
}

/** What this signer signed for a request (other than the message at `nonce`) that its chain had not applied by block `at`. */
async function pendingOf(d: SignerCheckDeps, r: RedemptionCheckDeps, did: DidHash, chainId: number, requestId: bigint, nonce: bigint, at: bigint): Promise<bigint> {
  let pending = 0n;
  for (const f of r.signedFulfilments(did, chainId, requestId)) {
    if (f.nonce === nonce) continue;
    const applied = await readChain(`nonce ${f.nonce} on chain ${chainId}`, () => d.chains.isApplied(chainId, did, f.nonce, at));
    if (!applied) pending += f.amount;
  }
  return pending;
}

