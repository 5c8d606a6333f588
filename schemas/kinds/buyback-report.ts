import { concat } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, did, signature, uintString, unixSeconds } from './json.js';
import { RequestIssue, defineKind, defineSigning, defineSource, signedPostResponses, type LiquidityFigures } from './spec.js';

/**
 * Kind 17: the buy-back custodian's proof of the issuer's buy-back pool, with the liquidity coverage ratio (LCR) the
 * oracle computed from the pool's liquid assets (liquidity/lcr.ts computeLcr) and the issuer's liquidity floor from
 * the hub registry (`setBuyBack`). Every chain keeps the latest by asOf (contracts/src/libraries/BuyBackCodec.sol).
 * Amounts in token base units (the reserve's unit).
 *
 * ```
 * offset size field
 *  42     8   asOf            unix seconds of the custodian's statement
 *  50    16   poolCash        cash in the buy-back pool
 *  66    16   assetPoolValue  the asset pool: the DID's latest attested reserve
 *  82    16   openRequests    open redemption requests over every chain
 *  98    16   liquidAssets    liquid assets after haircuts within the horizon
 * 114    16   outflows        openRequests + floor(stressRateBps x assetPoolValue / 10000)
 * 130     4   lcrBps          floor(10000 x liquidAssets / outflows), capped at 0xFFFFFFFE; 0xFFFFFFFF unbounded
 * 134     2   minShareBps     floor: stage B below this share of the asset pool (0: none)
 * 136     2   stageBBelowBps  floor: stage B for an LCR below this (0: none)
 * 138     2   stageCBelowBps  floor: stage C for an LCR below this (0: none; <= stageBBelowBps)
 * 140     1   staleFloor      1: stage B while the report is older than the DID's heartbeat
 * ```
 */
export const BUYBACK_REPORT_LENGTH = 141;
export const LCR_UNBOUNDED = 0xffffffffn;
const MAX_U128 = (1n << 128n) - 1n;

/** The issuer's liquidity settings (hub registry `buyBackOf`): the floor, and the stress rate and horizon of the LCR. */
export type LiquidityBandsSnapshot = LiquidityFigures['bands'];

export interface BuyBackReportMessage {
  kind: 'buybackReport';
  did: DidHash;
  nonce: bigint;
  asOf: bigint;
  poolCash: bigint;
  assetPoolValue: bigint;
  openRequests: bigint;
  liquidAssets: bigint;
  outflows: bigint;
  /** null: unbounded (no outflow). */
  lcrBps: bigint | null;
  minShareBps: number;
  stageBBelowBps: number;
  stageCBelowBps: number;
  staleFloor: boolean;
}

const bucket = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'amount', 'haircutBps', 'daysToCash'],
  properties: {
    kind: { enum: ['cash', 'tbill', 'other'] },
    amount: { ...uintString, description: 'value today, token base units' },
    haircutBps: { type: 'integer', minimum: 0, maximum: 10_000, description: 'discount taken turning it into cash, bps of its value' },
    daysToCash: { type: 'integer', minimum: 0, maximum: 3650, description: 'days until it is cash (0: cash now)' },
  },
} as const;

export const buyBackReportRequestSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/buyback-report-request.json',
  title: "Buy-back pool report signed by the DID's buy-back custodian: the pool's cash and liquid assets by bucket",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'poolCash', 'asOf', 'buckets', 'signature'],
  properties: {
    did,
    poolCash: { ...uintString, description: 'cash in the buy-back pool, token base units (at most 2^128 - 1)' },
    asOf: { ...unixSeconds, description: 'unix seconds of the statement; must be later than the latest report' },
    buckets: { type: 'array', minItems: 1, maxItems: 16, items: bucket, description: "the pool's liquid assets (cash, T-bills, other assets)" },
    signature,
  },
} as const;
export type BuyBackReportRequest = FromSchema<typeof buyBackReportRequestSchema>;

export type { LiquidityFigures } from './spec.js';

/** The wire value of an LCR: capped below the sentinel, the sentinel for unbounded. */
export const lcrOnWire = (lcrBps: bigint | null): bigint => (lcrBps === null ? LCR_UNBOUNDED : lcrBps >= LCR_UNBOUNDED ? LCR_UNBOUNDED - 1n : lcrBps);

export const buybackReport = defineKind({
  code: 17,
  name: 'buybackReport',
  label: 'buy-back report',
  encodeBody: (m: BuyBackReportMessage) =>
    concat([
      u(m.asOf, 8),
      u(m.poolCash, 16),
      u(m.assetPoolValue, 16),
      u(m.openRequests, 16),
      u(m.liquidAssets, 16),
      u(m.outflows, 16),
      u(lcrOnWire(m.lcrBps), 4),
      u(m.minShareBps, 2),
      u(m.stageBBelowBps, 2),
      u(m.stageCBelowBps, 2),
      u(m.staleFloor ? 1 : 0, 1),
    ]),
  decodeBody: ({ did, nonce }, r): BuyBackReportMessage => {
    r.exact(BUYBACK_REPORT_LENGTH, 'buy-back report');
    const lcr = r.big(130, 134);
    const stale = r.num(140, 141);
    if (stale > 1) r.fail(`staleFloor must be 0 or 1, got ${stale}`);
    return {
      kind: 'buybackReport',
      did,
      nonce,
      asOf: r.big(42, 50),
      poolCash: r.big(50, 66),
      assetPoolValue: r.big(66, 82),
      openRequests: r.big(82, 98),
      liquidAssets: r.big(98, 114),
      outflows: r.big(114, 130),
      lcrBps: lcr === LCR_UNBOUNDED ? null : lcr,
      minShareBps: r.num(134, 136),
      stageBBelowBps: r.num(136, 138),
      stageCBelowBps: r.num(138, 140),
      staleFloor: stale === 1,
    };
  },
});

export type BuyBackReportSource = { kind: 'buybackReport'; request: BuyBackReportRequest; liquidity: LiquidityFigures };

export function buyBackReportAttestation(s: BuyBackReportSource, did: DidHash, nonce: bigint): BuyBackReportMessage {
  const l = s.liquidity;
  return {
    kind: 'buybackReport',
    did,
    nonce,
    asOf: BigInt(s.request.asOf),
    poolCash: BigInt(s.request.poolCash),
    assetPoolValue: BigInt(l.assetPoolValue),
    openRequests: BigInt(l.openRequests),
    liquidAssets: BigInt(l.liquidAssets),
    outflows: BigInt(l.outflows),
    lcrBps: l.lcrBps === null ? null : BigInt(l.lcrBps),
    minShareBps: l.bands.minShareBps,
    stageBBelowBps: l.bands.stageBBelowBps,
    stageCBelowBps: l.bands.stageCBelowBps,
    staleFloor: l.bands.staleFloor,
  };
}

export const buybackReportSource = defineSource({
  kind: 'buybackReport',
  requestSchema: buyBackReportRequestSchema,
  extras: ['liquidity'],
  fromRequest: (request: BuyBackReportRequest, env): BuyBackReportSource => {
    const l = env.liquidity;
    if (!l) throw new RequestIssue('liquidity', 'is required for a buy-back report');
    if (BigInt(request.poolCash) > MAX_U128) throw new RequestIssue('poolCash', 'exceeds 2^128 - 1');
    for (const f of ['assetPoolValue', 'openRequests', 'liquidAssets', 'outflows'] as const) {
      if (BigInt(l[f]) > MAX_U128) throw new RequestIssue(`liquidity.${f}`, 'exceeds 2^128 - 1');
    }
    return { kind: 'buybackReport', request, liquidity: { ...l, bands: { ...l.bands } } };
  },
  build: (s: BuyBackReportSource, did, nonce) => buyBackReportAttestation(s, did, nonce),
  ref: (s) => String(s.request.asOf),
  asOf: (s) => s.request.asOf,
  route: {
    path: '/v1/buyback-reports',
    schemaName: 'BuyBackReportRequest',
    summary:
      "Post the buy-back custodian's signed BuyBackReport (pool cash, liquid assets by bucket): the oracle computes the LCR (liquidity/lcr.ts) and attests the pool, the LCR and the issuer's liquidity floor to every chain of the DID (kind 17)",
    responses: signedPostResponses({
      signer: 'the buy-back custodian',
      repeat: 'same asOf and body seen before: the existing attestation',
      conflict: 'asOf reused with a different body (field asOf)',
      refused: 'buyback_not_newer (asOf not later than the latest report), time_in_future (asOf), no_buyback_custodian, no_reserve (the asset pool is not known yet), invalid_liquidity_input (a bucket, named)',
      unavailable: 'the hub, a chain or the committee cannot be reached; retry',
    }),
  },
});

/**
 * The EIP-712 type the request is signed as (custodian domain of the hub registry): the buckets as parallel arrays
 * (kind codes 0 cash, 1 T-bill, 2 other). Signed by the DID's buy-back custodian.
 */
export const BUCKET_CODE = { cash: 0, tbill: 1, other: 2 } as const;
export const buybackReportSigning = defineSigning({
  primaryType: 'BuyBackReport',
  fields: [
    { name: 'did', type: 'string' },
    { name: 'poolCash', type: 'uint256' },
    { name: 'asOf', type: 'uint64' },
    { name: 'bucketKinds', type: 'uint8[]' },
    { name: 'amounts', type: 'uint256[]' },
    { name: 'haircutBps', type: 'uint16[]' },
    { name: 'daysToCash', type: 'uint32[]' },
  ],
  message: (body: Omit<BuyBackReportRequest, 'signature'>) => ({
    did: body.did,
    poolCash: BigInt(body.poolCash),
    asOf: BigInt(body.asOf),
    bucketKinds: body.buckets.map((b) => BUCKET_CODE[b.kind]),
    amounts: body.buckets.map((b) => BigInt(b.amount)),
    haircutBps: body.buckets.map((b) => b.haircutBps),
    daysToCash: body.buckets.map((b) => b.daysToCash),
  }),
});
