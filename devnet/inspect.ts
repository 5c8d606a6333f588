import { createPublicClient, http, zeroAddress, type Address, type Hex, type PublicClient } from 'viem';
import { rwaHoldingsAbi, rwaNavFeedAbi, rwaReceiverAbi } from '../schemas/abi.js';
import type { Deployment } from '../schemas/deployment.js';

export interface ChainView {
  chainId: number;
  name: string;
  configured: boolean;
  investorAllowed: boolean;
  balance: bigint;
  totalSupply: bigint;
  supplyCap: bigint;
  navRound: bigint;
  nav: bigint | undefined;
  navAsOf: bigint | undefined;
}

/** Holdings token and NAV feed of a DID on one chain, or undefined while its config has not arrived there. */
export async function didAssets(client: PublicClient, receiver: Address, did: Hex): Promise<{ holdings: Address; navFeed: Address } | undefined> {
  const [state, navFeed] = await Promise.all([
    client.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [did] }),
    client.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'navFeedOf', args: [did] }),
  ]);
  if (state.holdings === zeroAddress) return undefined;
  return { holdings: state.holdings, navFeed };
}

/** Reads holdings of `investor` and the latest NAV of the deployment's first DID on every chain. */
export async function inspectChains(d: Deployment, investor: Address): Promise<ChainView[]> {
  const did = d.dids[0];
  if (!did) throw new Error('deployment has no DID');
  return Promise.all(
    d.chains.map(async (c) => {
      const client = createPublicClient({ transport: http(c.rpcUrl) });
      const asset = await didAssets(client, c.receiver as Address, did.didHash as Hex);
      if (!asset) return { chainId: c.chainId, name: c.name, configured: false, investorAllowed: false, balance: 0n, totalSupply: 0n, supplyCap: 0n, navRound: 0n, nav: undefined, navAsOf: undefined };
      const [balance, totalSupply, supplyCap, investorAllowed, navRound] = await Promise.all([
        client.readContract({ address: asset.holdings as Address, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [investor] }),
        client.readContract({ address: asset.holdings as Address, abi: rwaHoldingsAbi, functionName: 'totalSupply' }),
        client.readContract({ address: asset.holdings as Address, abi: rwaHoldingsAbi, functionName: 'supplyCap' }),
        client.readContract({ address: asset.holdings as Address, abi: rwaHoldingsAbi, functionName: 'isAllowed', args: [investor] }),
        client.readContract({ address: asset.navFeed as Address, abi: rwaNavFeedAbi, functionName: 'latestRound' }),
      ]);
      let nav: bigint | undefined;
      let navAsOf: bigint | undefined;
      if (navRound > 0n) {
        const [, answer, , updatedAt] = await client.readContract({ address: asset.navFeed as Address, abi: rwaNavFeedAbi, functionName: 'latestRoundData' });
        nav = answer;
        navAsOf = updatedAt;
      }
      return { chainId: c.chainId, name: c.name, configured: true, investorAllowed, balance, totalSupply, supplyCap, navRound, nav, navAsOf };
    }),
  );
}
