/**
 * The buy-back report (kind 17) as the aggregator (oracle/intake/buyback-service.ts) and every committee signer
 * (committee/buyback-checks.ts) compute it: who may sign it (the DID's buy-back custodian in the hub registry) and
 * the liquidity figures the oracle adds (the LCR of liquidity/lcr.ts over the pool's buckets). Both sides run the
 * same functions on the same inputs, so a signer refuses figures that are not what it computes itself.
 */
import type { Address } from 'viem';
import type { DidHash } from '../schemas/ids.js';
import type { BuyBackReportMessage, BuyBackReportRequest, LiquidityBandsSnapshot } from '../schemas/kinds/buyback-report.js';
import type { LiquidityFigures } from '../schemas/kinds/spec.js';
import { computeLcr, type LiquidBucket } from '../liquidity/lcr.js';
import { LiquidityInputError } from '../liquidity/errors.js';
import type { BuyBackPort, DidRecord } from './chain/registry.js';
import { recoverCustodianSigner, type CustodianDomainParams } from './custodian-auth.js';
import { OracleError } from './errors.js';
import { readChain } from './guards.js';

/** Who signed a BuyBackReport (custodian domain of the hub registry). */
export const recoverBuyBackSigner = (p: CustodianDomainParams, body: BuyBackReportRequest): Promise<Address> => recoverCustodianSigner('BuyBackReport', p, body);

/** The DID's liquidity settings, or 403 unless `signer` is its buy-back custodian; 503 when the hub cannot be read. */
export async function requireBuyBackCustodian(registry: BuyBackPort, did: { hash: DidHash; record: DidRecord }, signer: Address, prefix = ''): Promise<LiquidityBandsSnapshot> {
  const settings = await readChain('the hub registry', () => registry.buyBackOf(did.hash));
  if (!settings.custodian || settings.custodian.toLowerCase() !== signer.toLowerCase()) {
    throw new OracleError('not_the_buyback_custodian', `${signer} is not the buy-back custodian of ${did.record.did}`, `${prefix}signature`);
  }
  return settings.bands;
}

/**
 * The figures of a report: LCR over the horizon of the issuer's bands, with projected net outflows = open requests +
 * stressRate x asset pool (liquidity/lcr.ts). A bucket the formula refuses is 400 invalid_liquidity_input naming it.
 */
export function liquidityFigures(request: BuyBackReportRequest, assetPoolValue: bigint, openRequests: bigint, bands: LiquidityBandsSnapshot, prefix = ''): LiquidityFigures {
  const buckets: LiquidBucket[] = request.buckets.map((b) => ({ kind: b.kind, amount: BigInt(b.amount), haircutBps: b.haircutBps, daysToCash: b.daysToCash }));
  try {
    const r = computeLcr({ buckets, horizonDays: bands.horizonDays, openRequests, stressRateBps: bands.stressRateBps, poolValue: assetPoolValue });
    return {
      assetPoolValue: assetPoolValue.toString(),
      openRequests: openRequests.toString(),
      liquidAssets: r.liquid.toString(),
      outflows: r.outflows.toString(),
      lcrBps: r.lcrBps === null ? null : r.lcrBps.toString(),
      bands: { ...bands },
    };
  } catch (err) {
    if (err instanceof LiquidityInputError) throw new OracleError('invalid_liquidity_input', err.message, `${prefix}${err.field}`, { cause: err });
    throw err;
  }
}

export type FloorReason = 'none' | 'lcr' | 'buyBackStale' | 'buyBackShort';

/**
 * The liquidity floor of a report as every chain computes it (contracts/src/libraries/LiquidityFloor.sol), in the
 * order of liquidity/bands.ts: LCR below the C band -> C, below the B band -> B, stale (when the floor asks) -> B,
 * pool below the issuer's share -> B, else A. A band of 0 never applies; an unbounded LCR is below no band.
 */
export function buyBackFloor(m: BuyBackReportMessage, stale: boolean): { stage: 'A' | 'B' | 'C'; reason: FloorReason } {
  const lcr = m.lcrBps;
  if (lcr !== null && lcr < BigInt(m.stageCBelowBps)) return { stage: 'C', reason: 'lcr' };
  if (lcr !== null && lcr < BigInt(m.stageBBelowBps)) return { stage: 'B', reason: 'lcr' };
  if (stale && m.staleFloor) return { stage: 'B', reason: 'buyBackStale' };
  if (m.poolCash * 10_000n < BigInt(m.minShareBps) * m.assetPoolValue) return { stage: 'B', reason: 'buyBackShort' };
  return { stage: 'A', reason: 'none' };
}
