import type { DidHash } from '../schemas/ids.js';
import type { BuyBackReportSource } from '../schemas/kinds/buyback-report.js';
import { liquidityFigures, recoverBuyBackSigner, requireBuyBackCustodian } from '../core/buyback.js';
import { OracleError } from '../core/errors.js';
import { checkNotInFuture } from '../core/rules.js';
import { recoveredSigner } from '../core/guards.js';
import { destinationsOf, refuse, registered, requireMember, type SignerCheckDeps, type Vetted } from './checks.js';

/**
 * A buy-back report (kind 17), vetted by a signer on its own: the request recovers the DID's buy-back custodian in
 * the hub registry, its asOf is not in the future, the bands in the envelope are the registry's now, and the LCR
 * figures are what liquidity/lcr.ts gives for the posted buckets with the envelope's asset pool and open requests.
 * Those two inputs are the aggregator's reads (its latest attested reserve, its redemption store); the signer does
 * not re-derive them.
 */
export async function vetBuyBackRequest(d: SignerCheckDeps, source: BuyBackReportSource, did: DidHash, chainIds: readonly number[], opts: { rules: boolean }): Promise<Vetted> {
  const record = await registered(d, did, source.request.did);
  requireMember(d, record.signers, `the signer set of ${record.did}`);
  const buyBacks = d.buyBacks;
  if (!buyBacks) throw new OracleError('chain_unavailable', 'this signer does not read the buy-back settings of the hub registry');
  const destinations = destinationsOf(d, record, chainIds);
  const signer = await recoveredSigner(recoverBuyBackSigner(d.custodianDomain, source.request), 'request.');
  const bands = await requireBuyBackCustodian(buyBacks, { hash: did, record }, signer, 'request.');
  if (!opts.rules) return { record, destinations };
  refuse(checkNotInFuture('asOf', BigInt(source.request.asOf), d.now(), d.maxFutureSkewSeconds));
  const l = source.liquidity;
  const expected = liquidityFigures(source.request, BigInt(l.assetPoolValue), BigInt(l.openRequests), bands, 'request.');
  for (const f of ['liquidAssets', 'outflows', 'lcrBps'] as const) {
    if (expected[f] !== l[f]) throw new OracleError('liquidity_mismatch', `${f} is ${String(l[f])}, the formula gives ${String(expected[f])}`, `liquidity.${f}`);
  }
  for (const k of Object.keys(bands) as (keyof typeof bands)[]) {
    if (bands[k] !== l.bands[k]) throw new OracleError('liquidity_mismatch', `bands.${k} is ${String(l.bands[k])}, the hub registry holds ${String(bands[k])}`, `liquidity.bands.${k}`);
  }
  return { record, destinations };
}
