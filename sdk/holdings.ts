import type { Address } from 'viem';
import { rwaHoldingsAbi, rwaReceiverAbi } from '../schemas/abi.js';
import type { ReaderChain, ReaderContext, ReaderDid } from './context.js';

/** An investor's units of a DID on one chain. `configured` false: the DID's config has not reached the chain yet. */
export interface ChainHolding {
  chainId: number;
  name: string;
  configured: boolean;
  /** Token base units (10^-decimals). */
  balance: bigint;
  decimals: number;
  /** On the DID's allow-list here (may receive subscriptions and transfers). */
  allowed: boolean;
  blockNumber: bigint;
}

export async function readHolding(ctx: ReaderContext, chain: ReaderChain, did: ReaderDid, investor: Address): Promise<ChainHolding> {
  const block = await ctx.block(chain);
  const a = await ctx.assets(chain, did, block.number);
  const base = { chainId: chain.chainId, name: chain.name, blockNumber: block.number };
  if (!a) return { ...base, configured: false, balance: 0n, decimals: 0, allowed: false };
  const token = { address: a.holdings, abi: rwaHoldingsAbi } as const;
  const [balance, decimals, allowed] = await chain.client.multicall({
    contracts: [
      { ...token, functionName: 'balanceOf', args: [investor] },
      { ...token, functionName: 'decimals' },
      { ...token, functionName: 'isAllowed', args: [investor] },
    ],
    allowFailure: false,
    deployless: true,
    blockNumber: block.number,
  });
  return { ...base, configured: true, balance, decimals, allowed };
}

/**
 * A DID's supply on one chain against the cap in force there: the chain's share of the custodian's attested reserve
 * (the latest reserve attestation, as of `reserveAsOf`). A cap below the supply is possible (a lowered reserve): it
 * blocks minting until redemptions bring the supply under it.
 */
export interface ChainSupply {
  chainId: number;
  name: string;
  configured: boolean;
  totalSupply: bigint;
  supplyCap: bigint;
  /** What may still be minted here: cap - supply, 0 when at or over the cap. */
  headroom: bigint;
  overCap: boolean;
  /** As-of time of the reserve attestation that set the cap; 0 before the first. */
  reserveAsOf: bigint;
  decimals: number;
  blockNumber: bigint;
}

export async function readSupply(ctx: ReaderContext, chain: ReaderChain, did: ReaderDid): Promise<ChainSupply> {
  const block = await ctx.block(chain);
  const a = await ctx.assets(chain, did, block.number);
  const base = { chainId: chain.chainId, name: chain.name, blockNumber: block.number };
  if (!a) return { ...base, configured: false, totalSupply: 0n, supplyCap: 0n, headroom: 0n, overCap: false, reserveAsOf: 0n, decimals: 0 };
  const token = { address: a.holdings, abi: rwaHoldingsAbi } as const;
  const [totalSupply, supplyCap, decimals, reserveAsOf] = await chain.client.multicall({
    contracts: [
      { ...token, functionName: 'totalSupply' },
      { ...token, functionName: 'supplyCap' },
      { ...token, functionName: 'decimals' },
      { address: chain.receiver, abi: rwaReceiverAbi, functionName: 'reserveAsOf', args: [did.didHash] },
    ],
    allowFailure: false,
    deployless: true,
    blockNumber: block.number,
  });
  return { ...base, configured: true, ...supplyFigures(totalSupply, supplyCap), reserveAsOf, decimals };
}

export function supplyFigures(totalSupply: bigint, supplyCap: bigint): { totalSupply: bigint; supplyCap: bigint; headroom: bigint; overCap: boolean } {
  return { totalSupply, supplyCap, headroom: supplyCap > totalSupply ? supplyCap - totalSupply : 0n, overCap: totalSupply > supplyCap };
}

/** Supply of a DID on every chain of the reader, and the sums. */
export interface SupplyReport {
  did: string;
  chains: ChainSupply[];
  totalSupply: bigint;
  totalCap: bigint;
}

export function sumSupply(did: string, chains: ChainSupply[]): SupplyReport {
  return {
    did,
    chains,
    totalSupply: chains.reduce((s, c) => s + c.totalSupply, 0n),
    totalCap: chains.reduce((s, c) => s + c.supplyCap, 0n),
  };
}
