import { zeroAddress, type Address, type Hex, type PublicClient } from 'viem';
import { rwaReceiverAbi } from '../schemas/abi.js';
import type { Deployment } from '../schemas/deployment.js';
import { isRpcUnavailable } from '../common/rpc-errors.js';
import { ChainMismatchError, ChainUnreachableError, DidNotConfiguredError, InvalidDeploymentError, ReadFailedError, SdkError, UnknownChainError, UnknownDidError } from './errors.js';

/** One chain the reader reads: the deployment's entry and the caller's client for it. */
export interface ReaderChain {
  chainId: number;
  name: string;
  receiver: Address;
  client: PublicClient;
  /** First block searched for events (disclosure URIs); 0 unless the caller says otherwise. */
  fromBlock: bigint;
}

export interface ReaderDid {
  did: string;
  didHash: Hex;
}

/** A DID's contracts on one chain. Fixed once the DID's first config applied there, so they are cached. */
export interface DidAssets {
  holdings: Address;
  navFeed: Address;
  redemptions: Address;
}

/** The block every read of one call is pinned to, so the values of one answer belong together. */
export interface BlockRef {
  number: bigint;
  timestamp: bigint;
}

export interface ChainInput {
  chainId: number;
  client: PublicClient;
  fromBlock?: bigint;
}

/**
 * What every operation of the reader shares: the lookup of DIDs and chains, the cached DID contracts, and the one
 * place where a node's failure becomes a typed error with the chain id.
 */
export class ReaderContext {
  private readonly chainsById = new Map<number, ReaderChain>();
  private readonly dids: ReaderDid[];
  private readonly assetCache = new Map<string, DidAssets>();
  private readonly chainChecks = new Map<number, Promise<void>>();
  private readonly order: number[];

  constructor(deployment: Deployment, inputs: readonly ChainInput[]) {
    this.order = deployment.chains.map((c) => c.chainId);
    this.dids = deployment.dids.map((d) => ({ did: d.did, didHash: d.didHash.toLowerCase() as Hex }));
    for (const input of inputs) {
      const entry = deployment.chains.find((c) => c.chainId === input.chainId);
      if (!entry) throw new UnknownChainError(input.chainId, 'not in the deployment');
      if (this.chainsById.has(input.chainId)) throw new InvalidDeploymentError(`chain ${input.chainId} given twice`);
      this.chainsById.set(input.chainId, { chainId: entry.chainId, name: entry.name, receiver: entry.receiver as Address, client: input.client, fromBlock: input.fromBlock ?? 0n });
    }
    if (this.chainsById.size === 0) throw new InvalidDeploymentError('no chain given');
  }

  /** A DID by its string (`did:rwa:...`) or its hash. */
  did(input: string): ReaderDid {
    const key = input.toLowerCase();
    const found = this.dids.find((d) => d.did === input || d.didHash === key);
    if (!found) throw new UnknownDidError(input);
    return found;
  }

  chain(chainId: number): ReaderChain {
    const c = this.chainsById.get(chainId);
    if (!c) throw new UnknownChainError(chainId, 'no client given');
    return c;
  }

  /** The reader's chains, in the deployment's order (whatever order the clients were given in). */
  chains(): ReaderChain[] {
    return this.order.flatMap((id) => this.chainsById.get(id) ?? []);
  }

  /**
   * Runs `read` against one chain and turns what goes wrong into the reader's errors: an unreachable node into
   * ChainUnreachableError, any other failure into ReadFailedError (`what` names the read), both with the chain id.
   * The first read of a chain also checks that its client is connected to that chain.
   */
  async onChain<T>(chain: ReaderChain, what: string, read: () => Promise<T>): Promise<T> {
    try {
      await this.checkChain(chain);
      return await read();
    } catch (err) {
      if (err instanceof SdkError) throw err;
      if (isRpcUnavailable(err)) throw new ChainUnreachableError(chain.chainId, err);
      throw new ReadFailedError(chain.chainId, what, err);
    }
  }

  private checkChain(chain: ReaderChain): Promise<void> {
    let check = this.chainChecks.get(chain.chainId);
    if (!check) {
      check = chain.client.getChainId().then((actual) => {
        if (actual !== chain.chainId) throw new ChainMismatchError(chain.chainId, actual);
      });
      // A failed check (the node was down) is tried again next time; a mismatch stays a mismatch either way.
      check.catch(() => this.chainChecks.delete(chain.chainId));
      this.chainChecks.set(chain.chainId, check);
    }
    return check;
  }

  /** The latest block: its number pins the reads of one call, its timestamp is the chain's "now". */
  async block(chain: ReaderChain): Promise<BlockRef> {
    const b = await chain.client.getBlock({ blockTag: 'latest' });
    return { number: b.number, timestamp: b.timestamp };
  }

  /** The DID's contracts on the chain, or undefined while its config has not arrived there. */
  async assets(chain: ReaderChain, did: ReaderDid, blockNumber: bigint): Promise<DidAssets | undefined> {
    const key = `${chain.chainId}:${did.didHash}`;
    const cached = this.assetCache.get(key);
    if (cached) return cached;
    const receiver = { address: chain.receiver, abi: rwaReceiverAbi } as const;
    const [state, navFeed, redemptions] = await chain.client.multicall({
      contracts: [
        { ...receiver, functionName: 'didState', args: [did.didHash] },
        { ...receiver, functionName: 'navFeedOf', args: [did.didHash] },
        { ...receiver, functionName: 'redemptions' },
      ],
      allowFailure: false,
      deployless: true,
      blockNumber,
    });
    if (state.holdings === zeroAddress) return undefined;
    const found = { holdings: state.holdings, navFeed, redemptions };
    this.assetCache.set(key, found);
    return found;
  }

  /** Like `assets`, for reads that need the DID configured on the chain. */
  async requireAssets(chain: ReaderChain, did: ReaderDid, blockNumber: bigint): Promise<DidAssets> {
    const a = await this.assets(chain, did, blockNumber);
    if (!a) throw new DidNotConfiguredError(did.did, chain.chainId);
    return a;
  }
}
