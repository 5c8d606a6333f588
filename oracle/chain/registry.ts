import { createPublicClient, http, type Address, type PublicClient } from 'viem';
import { rwaDidRegistryAbi } from '../../schemas/abi.js';
import type { DidHash } from '../../schemas/ids.js';

export interface DidRecord {
  did: string;
  name: string;
  symbol: string;
  issuer: Address;
  navDecimals: number;
  tokenDecimals: number;
  threshold: number;
  heartbeat: number;
  maxNavMoveBps: number;
  signers: readonly Address[];
  chainIds: readonly bigint[];
}

/** What the oracle needs from the hub registry. */
export type RegistryPort = Pick<RegistryReader, 'getDid' | 'isCustodian' | 'isNavPublisher' | 'ping'>;

/** Reads the hub's RwaDidRegistry: the oracle's only source for who may post what for a DID. */
export class RegistryReader {
  private readonly client: PublicClient;

  constructor(rpcUrl: string, private readonly registry: Address) {
    this.client = createPublicClient({ transport: http(rpcUrl, { retryCount: 2, timeout: 10_000 }) });
  }

  async getDid(did: DidHash): Promise<DidRecord | undefined> {
    const registered = await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'isRegistered', args: [did] });
    if (!registered) return undefined;
    const r = await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'getDid', args: [did] });
    return {
      did: r.did,
      name: r.name,
      symbol: r.symbol,
      issuer: r.config.issuer,
      navDecimals: r.config.navDecimals,
      tokenDecimals: r.config.tokenDecimals,
      threshold: r.config.threshold,
      heartbeat: r.config.heartbeat,
      maxNavMoveBps: r.config.maxNavMoveBps,
      signers: r.signers,
      chainIds: r.chainIds,
    };
  }

  isCustodian(did: DidHash, account: Address): Promise<boolean> {
    return this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'isCustodian', args: [did, account] });
  }

  isNavPublisher(did: DidHash, account: Address): Promise<boolean> {
    return this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'isNavPublisher', args: [did, account] });
  }

  async ping(): Promise<boolean> {
    await this.client.getBlockNumber();
    return true;
  }
}
