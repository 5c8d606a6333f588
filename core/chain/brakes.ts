import { createPublicClient, http, type PublicClient } from 'viem';
import { rwaReceiverAbi } from '../../schemas/abi.js';
import { BRAKES_DIRECTION } from '../../schemas/message.js';
import type { DeployedChain } from '../../schemas/deployment.js';
import type { DidHash } from '../../schemas/ids.js';
import type { BrakesValues } from '../../schemas/kinds/brakes-source.js';

/** uint256 max: what RwaReceiver.brakesOf answers as available for a direction without a limit. */
const UNLIMITED = (1n << 256n) - 1n;

/** A DID's brakes in force on one chain (RwaReceiver.brakesOf, queuedOf). */
export interface BrakesInForce extends BrakesValues {
  /** What each bucket holds now; undefined: no limit in that direction. */
  mintAvailable: bigint | undefined;
  burnAvailable: bigint | undefined;
  /** Settlements queued per direction (tail - head). */
  queuedMint: number;
  queuedBurn: number;
}

export interface BrakesChainPort {
  brakesInForce(chainId: number, did: DidHash): Promise<BrakesInForce>;
}

/** Reads the brakes of the destination chains' receivers (limits' RwaReceiverBrakes views). */
export class BrakesChains implements BrakesChainPort {
  private readonly clients = new Map<number, { chain: DeployedChain; client: PublicClient }>();

  constructor(chains: readonly DeployedChain[]) {
    // batch: the reads of one pass asked at once (the three views below) go in one JSON-RPC batch, one HTTP request.
    for (const chain of chains) this.clients.set(chain.chainId, { chain, client: createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 1, timeout: 5_000, batch: true }) }) });
  }

  async brakesInForce(chainId: number, did: DidHash): Promise<BrakesInForce> {
    const e = this.clients.get(chainId);
    if (!e) throw new Error(`chain ${chainId} is not in the deployment`);
    const block = await e.client.getBlockNumber({ cacheTime: 0 });
    const at = { address: e.chain.receiver as `0x${string}`, abi: rwaReceiverAbi, blockNumber: block } as const;
    const [b, mint, burn] = await Promise.all([
      e.client.readContract({ ...at, functionName: 'brakesOf', args: [did] }),
      e.client.readContract({ ...at, functionName: 'queuedOf', args: [did, BRAKES_DIRECTION.mint] }),
      e.client.readContract({ ...at, functionName: 'queuedOf', args: [did, BRAKES_DIRECTION.burn] }),
    ]);
    const [mintCapacity, mintRefillPerSecond, burnCapacity, burnRefillPerSecond, largeAmount, largeThreshold, mintAvailable, burnAvailable] = b;
    return {
      mintCapacity,
      mintRefillPerSecond,
      burnCapacity,
      burnRefillPerSecond,
      largeAmount,
      largeThreshold,
      mintAvailable: mintAvailable === UNLIMITED ? undefined : mintAvailable,
      burnAvailable: burnAvailable === UNLIMITED ? undefined : burnAvailable,
      queuedMint: Number(mint[1] - mint[0]),
      queuedBurn: Number(burn[1] - burn[0]),
    };
  }
}
