import { createPublicClient, getAbiItem, getAddress, http, zeroAddress, type Address, type PublicClient } from 'viem';
import type { LiquidityBandsSnapshot } from '../../schemas/kinds/buyback-report.js';
import { rwaDidRegistryAbi } from '../../schemas/abi.js';
import type { DidHash } from '../../schemas/ids.js';
import { KeyedMutex } from '../../common/mutex.js';
import { nextRange } from './scan.js';
import type { BrakesValues } from '../../schemas/kinds/brakes-source.js';

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
  /** Unix seconds after which the signer set verifies nothing on the receivers (the registry keeps it within 32 bits). */
  signersValidUntil: number;
}

/** What the oracle needs from the hub registry. */
export type RegistryPort = Pick<RegistryReader, 'getDid' | 'isCustodian' | 'isNavPublisher' | 'ping'>;
/** What the registry sync needs: every DID registered on the hub. */
export type RegistryListPort = Pick<RegistryReader, 'listDids' | 'getDid'>;
/** A DID's transport quorum on one chain (uint8 each); 0/0 = ungated, what the registry answers when never set. */
export interface TransportQuorum {
  k: number;
  transports: number;
}
/** The hub registry's transport quorum per (DID, chain) (RwaDidRegistry.transportQuorumOf): QuorumSync and signers. */
export interface TransportQuorumPort {
  transportQuorumOf(did: DidHash, chainId: bigint): Promise<TransportQuorum>;
}
/** The DID's buy-back custodian (undefined: none) and the issuer's liquidity settings (RwaDidRegistry.buyBackOf). */
export interface BuyBackSettings {
  custodian: Address | undefined;
  bands: LiquidityBandsSnapshot;
}
export type BuyBackPort = Pick<RegistryReader, 'buyBackOf'>;
/** The hub registry's brakes per (DID, chain) (RwaDidRegistry.brakesOf; all zero when never set): BrakesSync and signers. */
export interface BrakesPort {
  brakesOf(did: DidHash, chainId: bigint): Promise<BrakesValues>;
}
/** Who may post for a DID, folded from the registry's events (the contract keeps no enumerable list). */
export type RegistryMembersPort = Pick<RegistryReader, 'custodiansOf' | 'navPublishersOf'>;

const custodianSet = getAbiItem({ abi: rwaDidRegistryAbi, name: 'CustodianSet' });
const navPublisherSet = getAbiItem({ abi: rwaDidRegistryAbi, name: 'NavPublisherSet' });

/** How deep a block must be before the member events read from it are kept. */
const REORG_MARGIN = 64n;

type MemberEvent = { account: Address | undefined; allowed: boolean | undefined; blockNumber: bigint | null; logIndex: number | null };

/** Applies allow/revoke events in chain order; what is left allowed is the current set. */
function foldAllowed(events: readonly MemberEvent[]): Address[] {
  const ordered = [...events].sort((a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0));
  const state = new Map<string, boolean>();
  for (const e of ordered) if (e.account !== undefined && e.allowed !== undefined) state.set(getAddress(e.account), e.allowed);
  return [...state.entries()].filter(([, allowed]) => allowed).map(([a]) => a as Address);
}

/** Reads the hub's RwaDidRegistry: the oracle's only source for who may post what for a DID. */
export class RegistryReader implements TransportQuorumPort, BrakesPort {
  private readonly client: PublicClient;
  /** Member events per (event, DID) read so far, and the next block to read: each read only pages the new blocks. */
  private readonly members = new Map<string, { next: bigint; events: MemberEvent[] }>();
  private readonly memberLock = new KeyedMutex();

  constructor(
    rpcUrl: string,
    private readonly registry: Address,
    /** Where member events start (the registry's deployment block) and the most blocks one eth_getLogs may cover. */
    private readonly scan: { startBlock: bigint; maxSpan: bigint } = { startBlock: 0n, maxSpan: 5_000n },
  ) {
    // batch: reads asked in the same tick go in one JSON-RPC batch (one HTTP request), each answered on its own.
    this.client = createPublicClient({ transport: http(rpcUrl, { retryCount: 2, timeout: 10_000, batch: true }) });
  }

  async getDid(did: DidHash): Promise<DidRecord | undefined> {
    // Both asked at once (one JSON-RPC batch, one round trip): getDid reverts for a DID not registered, so its answer
    // only counts once isRegistered said yes.
    const [registered, record] = await Promise.allSettled([
      this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'isRegistered', args: [did] }),
      this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'getDid', args: [did] }),
    ]);
    if (registered.status === 'rejected') throw registered.reason;
    if (!registered.value) return undefined;
    if (record.status === 'rejected') throw record.reason;
    const r = record.value;
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
      signersValidUntil: Number(r.signersValidUntil),
    };
  }

  isCustodian(did: DidHash, account: Address): Promise<boolean> {
    return this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'isCustodian', args: [did, account] });
  }

  async buyBackOf(did: DidHash): Promise<BuyBackSettings> {
    const [custodian, b] = await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'buyBackOf', args: [did] });
    return {
      custodian: custodian === zeroAddress ? undefined : custodian,
      bands: { minShareBps: b.minShareBps, stageBBelowBps: b.stageBBelowBps, stageCBelowBps: b.stageCBelowBps, staleFloor: b.staleFloor, stressRateBps: b.stressRateBps, horizonDays: b.horizonDays },
    };
  }

  isNavPublisher(did: DidHash, account: Address): Promise<boolean> {
    return this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'isNavPublisher', args: [did, account] });
  }

  async transportQuorumOf(did: DidHash, chainId: bigint): Promise<TransportQuorum> {
    const [k, transports] = await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'transportQuorumOf', args: [did, chainId] });
    return { k, transports };
  }

  async brakesOf(did: DidHash, chainId: bigint): Promise<BrakesValues> {
    const b = await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'brakesOf', args: [did, chainId] });
    return { mintCapacity: b.mintCapacity, mintRefillPerSecond: b.mintRefillPerSecond, burnCapacity: b.burnCapacity, burnRefillPerSecond: b.burnRefillPerSecond, largeAmount: b.largeAmount, largeThreshold: b.largeThreshold };
  }

  /** Every DID hash registered on the hub, in registration order. */
  async listDids(): Promise<DidHash[]> {
    const count = await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'didCount' });
    // Every index asked at once: one JSON-RPC batch rather than one round trip per DID.
    const indices = Array.from({ length: Number(count) }, (_v, i) => BigInt(i));
    return Promise.all(indices.map(async (i) => (await this.client.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'didAt', args: [i] })) as DidHash));
  }

  async ping(): Promise<boolean> {
    await this.client.getBlockNumber();
    return true;
  }

  /** Current custodians of a DID: its CustodianSet events folded in chain order. */
  custodiansOf(did: DidHash): Promise<Address[]> {
    return this.membersOf('custodian', did, async (fromBlock, toBlock) =>
      (await this.client.getLogs({ address: this.registry, event: custodianSet, args: { did }, fromBlock, toBlock, strict: true })).map((l) => ({
        account: l.args.custodian,
        allowed: l.args.allowed,
        blockNumber: l.blockNumber,
        logIndex: l.logIndex,
      })),
    );
  }

  /** Current NAV publishers of a DID: its NavPublisherSet events folded in chain order. */
  navPublishersOf(did: DidHash): Promise<Address[]> {
    return this.membersOf('publisher', did, async (fromBlock, toBlock) =>
      (await this.client.getLogs({ address: this.registry, event: navPublisherSet, args: { did }, fromBlock, toBlock, strict: true })).map((l) => ({
        account: l.args.publisher,
        allowed: l.args.allowed,
        blockNumber: l.blockNumber,
        logIndex: l.logIndex,
      })),
    );
  }

  /**
   * Pages the blocks not read yet for this (role, DID) in spans of at most `maxSpan` (providers cap log ranges) and
   * folds everything. Blocks more than REORG_MARGIN deep are kept and never read again; the newest ones are read at
   * every call, so a reorg there cannot leave a stale member behind. One read at a time per (role, DID).
   */
  private membersOf(role: string, did: DidHash, read: (from: bigint, to: bigint) => Promise<MemberEvent[]>): Promise<Address[]> {
    const key = `${role}:${did}`;
    return this.memberLock.run(key, async () => {
      const known = this.members.get(key) ?? { next: this.scan.startBlock, events: [] };
      this.members.set(key, known);
      // No cached head: a member granted a moment ago must show at once.
      const latest = await this.client.getBlockNumber({ cacheTime: 0 });
      const stable = latest - REORG_MARGIN;
      const pages = async (until: bigint, onPage: (to: bigint, events: MemberEvent[]) => void) => {
        let from = known.next;
        for (let r = nextRange(from, this.scan.startBlock, until, this.scan.maxSpan); r; r = nextRange(from, this.scan.startBlock, until, this.scan.maxSpan)) {
          onPage(r.to, await read(r.from, r.to));
          from = r.to + 1n;
        }
      };
      await pages(stable, (to, events) => {
        known.events.push(...events);
        known.next = to + 1n;
      });
      const recent: MemberEvent[] = [];
      await pages(latest, (_to, events) => recent.push(...events));
      return foldAllowed([...known.events, ...recent]);
    });
  }
}
