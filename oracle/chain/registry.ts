import { createPublicClient, getAbiItem, getAddress, http, type Address, type PublicClient } from 'viem';
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
/** What the registry sync needs: every DID registered on the hub. */
export type RegistryListPort = Pick<RegistryReader, 'listDids' | 'getDid'>;
/** Who may post for a DID, folded from the registry's events (the contract keeps no enumerable list). */
export type RegistryMembersPort = Pick<RegistryReader, 'custodiansOf' | 'navPublishersOf'>;

const custodianSet = getAbiItem({ abi: rwaDidRegistryAbi, name: 'CustodianSet' });
const navPublisherSet = getAbiItem({ abi: rwaDidRegistryAbi, name: 'NavPublisherSet' });

/** Applies allow/revoke events in chain order; what is left allowed is the current set. */
function foldAllowed(events: readonly { account: Address | undefined; allowed: boolean | undefined; blockNumber: bigint | null; logIndex: number | null }[]): Address[] {
  const ordered = [...events].sort((a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0));
  const state = new Map<string, boolean>();
  for (const e of ordered) if (e.account !== undefined && e.allowed !== undefined) state.set(getAddress(e.account), e.allowed);
  return [...state.entries()].filter(([, allowed]) => allowed).map(([a]) => a as Address);
}

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

  /** Every DID hash registered on the hub, in registration order. */
  async listDids(): Promise<DidHash[]> {
    const count = await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'didCount' });
    const out: DidHash[] = [];
    for (let i = 0n; i < count; i++) {
      out.push((await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'didAt', args: [i] })) as DidHash);
    }
    return out;
  }

  async ping(): Promise<boolean> {
    await this.client.getBlockNumber();
    return true;
  }

  /**
   * Current custodians of a DID from its CustodianSet events since genesis. One eth_getLogs over the whole range:
   * fine for anvil and archive nodes; providers that cap log ranges need paging (not done yet).
   */
  async custodiansOf(did: DidHash): Promise<Address[]> {
    const logs = await this.client.getLogs({ address: this.registry, event: custodianSet, args: { did }, fromBlock: 0n, toBlock: 'latest', strict: true });
    return foldAllowed(logs.map((l) => ({ account: l.args.custodian, allowed: l.args.allowed, blockNumber: l.blockNumber, logIndex: l.logIndex })));
  }

  async navPublishersOf(did: DidHash): Promise<Address[]> {
    const logs = await this.client.getLogs({ address: this.registry, event: navPublisherSet, args: { did }, fromBlock: 0n, toBlock: 'latest', strict: true });
    return foldAllowed(logs.map((l) => ({ account: l.args.publisher, allowed: l.args.allowed, blockNumber: l.blockNumber, logIndex: l.logIndex })));
  }
}
