import { keccak256, stringToBytes, type Hex } from 'viem';
import type { BuyBackReportRequest, BuyBackReportSource, LiquidityBandsSnapshot } from '../../schemas/kinds/buyback-report.js';
import type { DidHash } from '../../schemas/ids.js';
import { decodeMessage } from '../../schemas/message.js';
import type { BuyBackPort } from '../../core/chain/registry.js';
import { liquidityFigures, recoverBuyBackSigner, requireBuyBackCustodian } from '../../core/buyback.js';
import { attestationOf } from '../../core/attestation.js';
import { OracleError } from '../../core/errors.js';
import { checkNotInFuture } from '../../core/rules.js';
import { recoveredSigner, registeredDid } from '../../core/guards.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import { enabledChains, issueDepsOf, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains, type SubmitResult } from './settlement-service.js';

export interface BuyBackDeps extends RedemptionDeps {
  /** The hub registry's buy-back custodian and the issuer's liquidity bands. */
  buyBacks: BuyBackPort;
}

const requestHashOf = (b: BuyBackReportRequest): Hex =>
  keccak256(stringToBytes(JSON.stringify([b.did, b.poolCash, b.asOf, b.buckets.map((x) => [x.kind, x.amount, x.haircutBps, x.daysToCash])])));

/**
 * The buy-back custodian's report (kind 17): the pool's cash and liquid assets by bucket. The oracle adds the asset
 * pool (the DID's latest attested reserve), the open redemption requests over every chain (its redemption store) and
 * the issuer's bands (hub registry), computes the LCR with liquidity/lcr.ts over the bands' horizon, and has the
 * committee sign it for every chain of the DID. Ordered by asOf like the chains: an older one is refused (422).
 * Idempotent by asOf: the same body again answers the same attestation, another body is a 409.
 */
export class BuyBackService {
  constructor(private readonly d: BuyBackDeps) {}

  async submit(body: BuyBackReportRequest): Promise<SubmitResult> {
    const { hash, record } = await registeredDid(this.d.registry, body.did);
    const signer = await recoveredSigner(recoverBuyBackSigner({ hubChainId: this.d.hubChainId, registry: this.d.registryAddress }, body));
    const bands = await requireBuyBackCustodian(this.d.buyBacks, { hash, record }, signer);
    const future = checkNotInFuture('asOf', BigInt(body.asOf), this.d.now(), this.d.maxFutureSkewSeconds);
    if (future) throw new OracleError(future.code, future.message, future.field);
    if (BigInt(body.poolCash) >= 1n << 128n) throw new OracleError('invalid_liquidity_input', 'poolCash exceeds 2^128 - 1', 'poolCash');
    body.buckets.forEach((b, i) => {
      if (BigInt(b.amount) >= 1n << 128n) throw new OracleError('invalid_liquidity_input', `buckets.${i}.amount exceeds 2^128 - 1`, `buckets.${i}.amount`);
    });

    const sourceRef = String(body.asOf);
    const requestHash = requestHashOf(body);
    return issueOnce(this.d, { did: body.did, hash, kind: 'buybackReport', sourceRef, requestHash, field: 'asOf' }, async (nonce) => {
      const latest = this.d.store.latestOfKind(hash, 'buybackReport');
      if (latest?.asOf !== null && latest?.asOf !== undefined && body.asOf <= latest.asOf) {
        throw new OracleError('buyback_not_newer', `asOf ${body.asOf} is not later than the latest buy-back report's (${latest.asOf})`, 'asOf');
      }
      // A round for this very request still open: complete it with the figures first proposed, never recomputed.
      const open = this.d.store.proposals.openBySource(body.did, 'buybackReport', sourceRef);
      const source: BuyBackReportSource = open && open.requestHash === requestHash ? (JSON.parse(open.source) as BuyBackReportSource) : this.compute(body, hash, bands);
      const liquidity = source.liquidity;
      this.d.metrics.buyBackLcr.set({ did: body.did }, liquidity.lcrBps === null ? Number.POSITIVE_INFINITY : Number(liquidity.lcrBps) / 10_000);
      const pool = BigInt(liquidity.assetPoolValue);
      this.d.metrics.buyBackShareBps.set({ did: body.did }, pool === 0n ? 10_000 : Number((BigInt(body.poolCash) * 10_000n) / pool));
      this.d.logger.info({ did: body.did, asOf: body.asOf, lcrBps: liquidity.lcrBps, openRequests: liquidity.openRequests }, 'buy-back report computed');
      return issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), enabledChains(this.d, record).map(BigInt), {
        did: body.did,
        didHash: hash,
        nonce,
        kind: 'buybackReport',
        sourceRef,
        requestHash,
        request: JSON.stringify(body),
        submitter: signer,
        asOf: body.asOf,
      });
    });
  }

  /** The figures of a new report: the asset pool from the latest attested reserve, the open requests from the store. */
  private compute(body: BuyBackReportRequest, hash: DidHash, bands: LiquidityBandsSnapshot): BuyBackReportSource {
    const reserve = this.d.store.latestOfKind(hash, 'reserve');
    const decoded = reserve ? decodeMessage(reserve.message as Hex) : undefined;
    if (decoded?.kind !== 'reserve') throw new OracleError('no_reserve', `${body.did} has no attested reserve: the asset pool is not known`, 'did');
    return { kind: 'buybackReport', request: body, liquidity: liquidityFigures(body, decoded.reserve, this.d.redemptions.openRequested(hash), bands) };
  }
}
