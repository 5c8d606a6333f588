import { createPublicClient, http, type Address } from 'viem';
import { rwaHoldingsAbi, rwaNavFeedAbi } from '../../schemas/abi.js';
import type { Deployment } from '../../schemas/deployment.js';

export interface ChainView {
  chainId: number;
  name: string;
  balance: bigint;
  totalSupply: bigint;
  navRound: bigint;
  nav: bigint | undefined;
  navAsOf: bigint | undefined;
}

/** Reads holdings of `investor` and the latest NAV of the deployment's first DID on every chain. */
export async function inspectChains(d: Deployment, investor: Address): Promise<ChainView[]> {
  const did = d.dids[0];
  if (!did) throw new Error('deployment has no DID');
  return Promise.all(
    d.chains.map(async (c) => {
      const asset = did.assets.find((a) => a.chainId === c.chainId);
      if (!asset) throw new Error(`DID not configured on chain ${c.chainId}`);
      const client = createPublicClient({ transport: http(c.rpcUrl) });
      const [balance, totalSupply, navRound] = await Promise.all([
        client.readContract({ address: asset.holdings as Address, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [investor] }),
        client.readContract({ address: asset.holdings as Address, abi: rwaHoldingsAbi, functionName: 'totalSupply' }),
        client.readContract({ address: asset.navFeed as Address, abi: rwaNavFeedAbi, functionName: 'latestRound' }),
      ]);
      let nav: bigint | undefined;
      let navAsOf: bigint | undefined;
      if (navRound > 0n) {
        const [, answer, , updatedAt] = await client.readContract({ address: asset.navFeed as Address, abi: rwaNavFeedAbi, functionName: 'latestRoundData' });
        nav = answer;
        navAsOf = updatedAt;
      }
      return { chainId: c.chainId, name: c.name, balance, totalSupply, navRound, nav, navAsOf };
    }),
  );
}
