import { rwaHoldingsAbi, rwaNavFeedAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import { ok } from './call-result.js';
import type { ReaderChain, ReaderContext, ReaderDid } from './context.js';
import type { ChainSnapshot } from './consistency.js';
import { stageName } from './freshness.js';

/** Attestation kinds whose newest nonce the receiver records (AttestationCodec KIND_CONFIG, KIND_PAUSE). */
const KIND_CONFIG = 3;
const KIND_PAUSE = 5;

const UNCONFIGURED = {
  configured: false,
  navRound: null,
  navAnswer: null,
  navAsOf: null,
  navDecimals: null,
  tokenDecimals: null,
  heartbeat: null,
  maxMoveBps: null,
  threshold: null,
  configNonce: null,
  reserveAsOf: null,
  paused: null,
  pauseNonce: null,
  stage: null,
  stageSeq: null,
  emergency: null,
  supplyCap: null,
  totalSupply: null,
} as const satisfies Omit<ChainSnapshot, 'chainId' | 'name' | 'blockNumber'>;

/** Everything `consistency` compares, read from one chain in one multicall at one block. */
export async function readSnapshot(ctx: ReaderContext, chain: ReaderChain, did: ReaderDid): Promise<ChainSnapshot> {
  const block = await ctx.block(chain);
  const base = { chainId: chain.chainId, name: chain.name, blockNumber: block.number };
  const a = await ctx.assets(chain, did, block.number);
  if (!a) return { ...base, ...UNCONFIGURED };
  const receiver = { address: chain.receiver, abi: rwaReceiverAbi } as const;
  const feed = { address: a.navFeed, abi: rwaNavFeedAbi } as const;
  const token = { address: a.holdings, abi: rwaHoldingsAbi } as const;
  const module = { address: a.redemptions, abi: rwaRedemptionsAbi } as const;
  const r = await chain.client.multicall({
    contracts: [
      { ...receiver, functionName: 'didState', args: [did.didHash] },
      { ...receiver, functionName: 'newestAdminNonce', args: [did.didHash, KIND_CONFIG] },
      { ...receiver, functionName: 'newestAdminNonce', args: [did.didHash, KIND_PAUSE] },
      { ...receiver, functionName: 'reserveAsOf', args: [did.didHash] },
      { ...feed, functionName: 'latestRound' },
      { ...feed, functionName: 'latestRoundData' },
      { ...feed, functionName: 'decimals' },
      { ...feed, functionName: 's_heartbeat' },
      { ...feed, functionName: 's_maxMoveBps' },
      { ...token, functionName: 'decimals' },
      { ...token, functionName: 'paused' },
      { ...token, functionName: 'supplyCap' },
      { ...token, functionName: 'totalSupply' },
      { ...module, functionName: 'stageOf', args: [did.didHash] },
      { ...module, functionName: 'policyOf', args: [did.didHash] },
    ],
    allowFailure: true,
    deployless: true,
    blockNumber: block.number,
  });
  const [state, configNonce, pauseNonce, reserveAsOf, latestRound, latest, navDecimals, heartbeat, maxMoveBps, tokenDecimals, paused, supplyCap, totalSupply, stage, policy] = r;
  const navRound = ok(latestRound, 'latestRound');
  const round = navRound === 0n ? undefined : ok(latest, 'latestRoundData');
  const [anyConfig, configN] = ok(configNonce, 'newestAdminNonce(config)');
  const [anyPause, pauseN] = ok(pauseNonce, 'newestAdminNonce(pause)');
  const s = ok(stage, 'stageOf');
  return {
    ...base,
    configured: true,
    navRound,
    navAnswer: round?.[1] ?? null,
    navAsOf: round?.[3] ?? null,
    navDecimals: ok(navDecimals, 'feed decimals'),
    tokenDecimals: ok(tokenDecimals, 'token decimals'),
    heartbeat: BigInt(ok(heartbeat, 's_heartbeat')),
    maxMoveBps: ok(maxMoveBps, 's_maxMoveBps'),
    threshold: ok(state, 'didState').threshold,
    configNonce: anyConfig ? configN : null,
    reserveAsOf: ok(reserveAsOf, 'reserveAsOf'),
    paused: ok(paused, 'paused'),
    pauseNonce: anyPause ? pauseN : null,
    stage: stageName(s.stage),
    stageSeq: s.stageSeq,
    emergency: ok(policy, 'policyOf').emergency,
    supplyCap: ok(supplyCap, 'supplyCap'),
    totalSupply: ok(totalSupply, 'totalSupply'),
  };
}
