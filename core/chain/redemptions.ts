import { createPublicClient, getAbiItem, http, zeroAddress, type Address, type PublicClient } from 'viem';
import { rwaDidRegistryAbi, rwaHoldingsAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../../schemas/abi.js';
import type { DidHash } from '../../schemas/ids.js';
import { REDEMPTION_STAGE, REDEMPTION_STAGE_REASON, type RedemptionStageName, type RedemptionStageReasonName } from '../../schemas/message.js';
import type { DeployedChain } from '../../schemas/deployment.js';
import type { RedeemCancelledLog, RedeemRequestedLog, RedemptionChainsPort, RedemptionPolicy, RedemptionPolicyPort, RequestState, StageChangedLog, StageState } from './redemption-types.js';

const redeemRequested = getAbiItem({ abi: rwaRedemptionsAbi, name: 'RedeemRequested' });
const redeemCancelled = getAbiItem({ abi: rwaRedemptionsAbi, name: 'RedeemCancelled' });
const stageChanged = getAbiItem({ abi: rwaRedemptionsAbi, name: 'RedemptionStageChanged' });

const nameOf = <T extends Record<string, number>>(table: T, value: number, what: string): keyof T & string => {
  const name = (Object.keys(table) as (keyof T & string)[]).find((k) => table[k] === value);
  if (name === undefined) throw new Error(`unknown ${what} ${value} read from chain`);
  return name;
};
const stageName = (n: number): RedemptionStageName => nameOf(REDEMPTION_STAGE, n === 0 ? REDEMPTION_STAGE.A : n, 'redemption stage');
const reasonName = (n: number): RedemptionStageReasonName => nameOf(REDEMPTION_STAGE_REASON, n, 'redemption stage reason');
const byPosition = (a: { blockNumber: bigint; logIndex: number }, b: { blockNumber: bigint; logIndex: number }) =>
  a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1;

/**
 * Reads each chain's RwaRedemptions module (found through its receiver, `receiver.redemptions()`) and the hub
 * registry's redemption policies. Logs are read with strict decoding; a log missing its block or index (pending)
 * is never returned, since only ranges up to the safe head are asked for.
 */
export class RedemptionChains implements RedemptionChainsPort, RedemptionPolicyPort {
  private readonly entries = new Map<number, { chain: DeployedChain; client: PublicClient }>();
  private readonly modules = new Map<number, Promise<Address>>();
  private readonly hub: PublicClient;
  private readonly registry: Address;

  constructor(
    chains: readonly DeployedChain[],
    hub: { rpcUrl: string; registry: Address },
  ) {
    for (const chain of chains) this.entries.set(chain.chainId, { chain, client: createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 1, timeout: 10_000, batch: true }) }) });
    this.hub = createPublicClient({ transport: http(hub.rpcUrl, { retryCount: 2, timeout: 10_000, batch: true }) });
    this.registry = hub.registry;
  }

  private entry(chainId: number) {
    const e = this.entries.get(chainId);
    if (!e) throw new Error(`chain ${chainId} is not in the deployment`);
    return e;
  }

  /** The module address never changes (the receiver creates it in its constructor): read once per chain. */
  private module(chainId: number): Promise<Address> {
    let m = this.modules.get(chainId);
    if (!m) {
      const { chain, client } = this.entry(chainId);
      m = client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'redemptions' });
      // A failed read is not cached (callers still get the rejection): the next call asks the chain again.
      m.catch(() => this.modules.delete(chainId));
      this.modules.set(chainId, m);
    }
    return m;
  }

  async safeHead(chainId: number): Promise<bigint> {
    const { chain, client } = this.entry(chainId);
    const head = await client.getBlockNumber({ cacheTime: 0 });
    const confirmations = BigInt(chain.confirmations);
    return head > confirmations ? head - confirmations : 0n;
  }

  async latestBlock(chainId: number): Promise<bigint> {
    // No cache: viem would otherwise answer the same number for a polling interval.
    return this.entry(chainId).client.getBlockNumber({ cacheTime: 0 });
  }

  async blockTimestamp(chainId: number, blockNumber: bigint): Promise<bigint> {
    return (await this.entry(chainId).client.getBlock({ blockNumber })).timestamp;
  }

  async requestLogs(chainId: number, fromBlock: bigint, toBlock: bigint): Promise<{ requested: RedeemRequestedLog[]; cancelled: RedeemCancelledLog[] }> {
    const { client } = this.entry(chainId);
    const address = await this.module(chainId);
    const [requested, cancelled] = await Promise.all([
      client.getLogs({ address, event: redeemRequested, fromBlock, toBlock, strict: true }),
      client.getLogs({ address, event: redeemCancelled, fromBlock, toBlock, strict: true }),
    ]);
    return {
      requested: requested
        .map((l) => ({ did: l.args.did as DidHash, requestId: l.args.requestId, owner: l.args.owner, amount: l.args.amount, requestedAt: l.args.requestedAt, blockNumber: l.blockNumber, logIndex: l.logIndex }))
        .sort(byPosition),
      cancelled: cancelled.map((l) => ({ did: l.args.did as DidHash, requestId: l.args.requestId, blockNumber: l.blockNumber, logIndex: l.logIndex })).sort(byPosition),
    };
  }

  async requestLogAt(chainId: number, did: DidHash, requestId: bigint, blockNumber: bigint): Promise<RedeemRequestedLog | undefined> {
    const { client } = this.entry(chainId);
    const logs = await client.getLogs({ address: await this.module(chainId), event: redeemRequested, args: { did, requestId }, fromBlock: blockNumber, toBlock: blockNumber, strict: true });
    const l = logs[0];
    return l && { did, requestId, owner: l.args.owner, amount: l.args.amount, requestedAt: l.args.requestedAt, blockNumber: l.blockNumber, logIndex: l.logIndex };
  }

  async stageLogs(chainId: number, fromBlock: bigint, toBlock: bigint, did?: DidHash): Promise<StageChangedLog[]> {
    const { client } = this.entry(chainId);
    const logs = await client.getLogs({ address: await this.module(chainId), event: stageChanged, args: did ? { did } : {}, fromBlock, toBlock, strict: true });
    return logs
      .map((l) => ({
        did: l.args.did as DidHash,
        stageSeq: l.args.stageSeq,
        stage: stageName(l.args.stage),
        since: l.args.since,
        reason: reasonName(l.args.reason),
        dayRequested: l.args.dayRequested,
        poolSupply: l.args.poolSupply,
        blockNumber: l.blockNumber,
        logIndex: l.logIndex,
      }))
      .sort(byPosition);
  }

  async requestOf(chainId: number, did: DidHash, requestId: bigint, blockNumber?: bigint): Promise<RequestState | undefined> {
    const r = await this.entry(chainId).client.readContract({ address: await this.module(chainId), abi: rwaRedemptionsAbi, functionName: 'requestOf', args: [did, requestId], blockNumber });
    if (r.owner === zeroAddress) return undefined;
    return { owner: r.owner, amount: r.amount, fulfilled: r.fulfilled, requestedAt: r.requestedAt, cancelled: r.cancelled, accepted: r.accepted };
  }

  async redeemableNow(chainId: number, did: DidHash, requestId: bigint, blockNumber?: bigint): Promise<bigint> {
    return this.entry(chainId).client.readContract({ address: await this.module(chainId), abi: rwaRedemptionsAbi, functionName: 'redeemableNow', args: [did, requestId], blockNumber });
  }

  async stageOf(chainId: number, did: DidHash): Promise<StageState> {
    const s = await this.entry(chainId).client.readContract({ address: await this.module(chainId), abi: rwaRedemptionsAbi, functionName: 'stageOf', args: [did] });
    return { stage: stageName(s.stage), stageSeq: s.stageSeq, since: s.since, reason: reasonName(s.reason), dayRequested: s.dayRequested, poolSupply: s.poolSupply };
  }

  async totalSupplyAt(chainId: number, did: DidHash, blockNumber: bigint): Promise<bigint> {
    const { chain, client } = this.entry(chainId);
    const state = await client.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'didState', args: [did], blockNumber });
    if (state.holdings === zeroAddress) return 0n;
    return client.readContract({ address: state.holdings, abi: rwaHoldingsAbi, functionName: 'totalSupply', blockNumber });
  }

  async redemptionPolicyOf(did: DidHash): Promise<RedemptionPolicy | undefined> {
    const p = await this.hub.readContract({ address: this.registry, abi: rwaDidRegistryAbi, functionName: 'redemptionPolicyOf', args: [did] });
    return { stageBBps: p.stageBBps, stageCBps: p.stageCBps, instalments: p.instalments, windowSeconds: p.windowSeconds, emergency: p.emergency };
  }
}
