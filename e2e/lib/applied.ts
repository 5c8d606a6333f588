import { createPublicClient, http, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem';
import { rwaHoldingsAbi, rwaNavFeedAbi, rwaReceiverAbi } from '../../schemas/abi.js';
import type { DeployedChain } from '../../schemas/deployment.js';
import { didAssets } from '../../devnet/inspect.js';
import type { AppliedSettlement, NavRound } from './exactly-once.js';

/**
 * What one chain applied for one DID, read from its events: SettlementApplied and NavApplied of the receiver,
 * NavUpdated of the DID's NAV feed, in log order. Each `poll` reads only the blocks mined since the last one, so a
 * run can follow thousands of deliveries cheaply; a new reader polled once reads everything from block 0.
 */
export class AppliedLog {
  readonly settlements: AppliedSettlement[] = [];
  readonly navNonces: bigint[] = [];
  readonly rounds: NavRound[] = [];
  private next = 0n;

  private constructor(
    readonly name: string,
    private readonly client: PublicClient,
    private readonly receiver: Address,
    private readonly didHash: Hex,
    private readonly holdings: Address,
    private readonly navFeed: Address,
  ) {}

  /** A reader for the DID on the chain; throws while the DID's config has not reached it. */
  static async open(chain: Pick<DeployedChain, 'name' | 'rpcUrl' | 'receiver'>, didHash: Hex): Promise<AppliedLog> {
    const client: PublicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    const assets = await didAssets(client, chain.receiver as Address, didHash);
    if (!assets) throw new Error(`${chain.name}: DID ${didHash} not configured`);
    return new AppliedLog(chain.name, client, chain.receiver as Address, didHash, assets.holdings, assets.navFeed);
  }

  /** Reads the blocks mined since the last poll (the chain must be up). */
  async poll(): Promise<void> {
    const latest = await this.client.getBlockNumber({ cacheTime: 0 });
    if (latest < this.next) return;
    const range = { fromBlock: this.next, toBlock: latest };
    const [receiverLogs, feedLogs] = await Promise.all([this.client.getLogs({ address: this.receiver, ...range }), this.client.getLogs({ address: this.navFeed, ...range })]);
    for (const e of parseEventLogs({ abi: rwaReceiverAbi, logs: receiverLogs, eventName: ['SettlementApplied', 'NavApplied'] })) {
      if (e.args.did !== this.didHash) continue;
      if (e.eventName === 'SettlementApplied') this.settlements.push({ nonce: e.args.nonce, ref: e.args.settlementRef, investor: e.args.investor, amount: e.args.amount });
      else this.navNonces.push(e.args.nonce);
    }
    for (const e of parseEventLogs({ abi: rwaNavFeedAbi, logs: feedLogs, eventName: 'NavUpdated' })) this.rounds.push({ roundId: e.args.roundId, nav: e.args.nav, asOf: e.args.asOf });
    this.next = latest + 1n;
  }

  /** Each investor's balance of the DID's holdings on the chain now. */
  async balances(investors: readonly Address[]): Promise<Map<Address, bigint>> {
    const read = (i: Address) => this.client.readContract({ address: this.holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [i] });
    return new Map(await Promise.all(investors.map(async (i) => [i, await read(i)] as const)));
  }
}
