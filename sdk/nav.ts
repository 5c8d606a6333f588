import type { Address } from 'viem';
import { rwaHoldingsAbi, rwaNavFeedAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import type { ReaderChain, ReaderContext, ReaderDid } from './context.js';
import { ok } from './call-result.js';
import { freshnessOf, stageName, type Freshness, type RedemptionStageName } from './freshness.js';

/** The NAV of a DID on one chain with everything a protocol needs to decide whether to use it. */
export interface NavReading extends Freshness {
  did: string;
  chainId: number;
  feed: Address;
  /** The NAV in units of 10^-decimals; undefined while no NAV was applied (roundId 0). */
  answer: bigint | undefined;
  decimals: number;
  roundId: bigint;
  /** When the NAV was struck (the feed's `updatedAt` and `startedAt` are this as-of time); undefined without a NAV. */
  asOf: bigint | undefined;
  heartbeat: bigint;
  paused: boolean;
  stage: RedemptionStageName;
  emergency: boolean;
  /** The block the values were read at; its timestamp is the `now` of the freshness arithmetic unless the reader has a clock. */
  blockNumber: bigint;
  blockTimestamp: bigint;
}

/**
 * Reads the NAV and its freshness in one multicall at one block: latestRound, latestRoundData (reverts
 * NoDataPresent before the first NAV, so it may fail), decimals, heartbeat, the token's pause, the redemption stage
 * and policy. The feed helper's one-call freshness view (issue 22, item 1) would replace the seven calls below with
 * one; `freshnessOf` would then only be the fallback for feeds deployed before it.
 */
export async function readNav(ctx: ReaderContext, chain: ReaderChain, did: ReaderDid, now: (() => bigint) | undefined): Promise<NavReading> {
  const block = await ctx.block(chain);
  const a = await ctx.requireAssets(chain, did, block.number);
  const feed = { address: a.navFeed, abi: rwaNavFeedAbi } as const;
  const redemptions = { address: a.redemptions, abi: rwaRedemptionsAbi } as const;
  const [latestRound, latest, decimals, heartbeat, paused, stage, policy] = await chain.client.multicall({
    contracts: [
      { ...feed, functionName: 'latestRound' },
      { ...feed, functionName: 'latestRoundData' },
      { ...feed, functionName: 'decimals' },
      { ...feed, functionName: 's_heartbeat' },
      { address: a.holdings, abi: rwaHoldingsAbi, functionName: 'paused' },
      { ...redemptions, functionName: 'stageOf', args: [did.didHash] },
      { ...redemptions, functionName: 'policyOf', args: [did.didHash] },
    ],
    allowFailure: true,
    deployless: true,
    blockNumber: block.number,
  });
  const roundId = ok(latestRound, 'latestRound');
  // latestRoundData may revert only before the first round; any other failure is a real one.
  const round = roundId === 0n ? undefined : ok(latest, 'latestRoundData');
  const answer = round?.[1];
  const asOf = round?.[3];
  const reading = {
    roundId,
    answer,
    asOf,
    decimals: ok(decimals, 'decimals'),
    heartbeat: BigInt(ok(heartbeat, 's_heartbeat')),
    paused: ok(paused, 'paused'),
    stage: stageName(ok(stage, 'stageOf').stage),
    emergency: ok(policy, 'policyOf').emergency,
  };
  const freshness = freshnessOf({ ...reading, asOf: asOf ?? 0n, now: now ? now() : block.timestamp });
  return { did: did.did, chainId: chain.chainId, feed: a.navFeed, ...reading, ...freshness, blockNumber: block.number, blockTimestamp: block.timestamp };
}
