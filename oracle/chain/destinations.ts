import { createPublicClient, http, type Address, type PublicClient } from 'viem';
import { rwaHoldingsAbi, rwaReceiverAbi } from '../../schemas/abi.js';
import type { DidHash } from '../../schemas/ids.js';
import type { DeployedChain } from '../../schemas/deployment.js';

/** What the oracle needs from destination chains. */
export type DestinationsPort = Pick<Destinations, 'get' | 'isApplied' | 'balanceOf'>;

/** Read-only view of the destination chains: what has been applied, and balances for redemption checks. */
export class Destinations {
  private readonly clients = new Map<number, { chain: DeployedChain; client: PublicClient }>();

  constructor(chains: readonly DeployedChain[]) {
    for (const chain of chains) {
      this.clients.set(chain.chainId, { chain, client: createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 1, timeout: 5_000 }) }) });
    }
  }

  get(chainId: number): DeployedChain | undefined {
    return this.clients.get(chainId)?.chain;
  }

  private entry(chainId: number) {
    const e = this.clients.get(chainId);
    if (!e) throw new Error(`chain ${chainId} is not in the deployment`);
    return e;
  }

  isApplied(chainId: number, did: DidHash, nonce: bigint): Promise<boolean> {
    const { chain, client } = this.entry(chainId);
    return client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [did, nonce] });
  }

  async balanceOf(chainId: number, did: DidHash, investor: Address): Promise<bigint> {
    const { chain, client } = this.entry(chainId);
    const state = await client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'didState', args: [did] });
    if (state.holdings === '0x0000000000000000000000000000000000000000') return 0n;
    return client.readContract({ address: state.holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [investor] });
  }
}
