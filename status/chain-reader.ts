/**
 * Reads a DID's state on each chain through viem: the receiver's DID entry, its token (supply, cap, paused), its NAV
 * feed (round, value, as-of, heartbeat, stale) and the redemption stage. Calls of one pass go out as JSON-RPC batches;
 * what never changes once the DID is configured (token and feed addresses, decimals) is read once.
 */
import { createPublicClient, http, zeroAddress, type Address, type Hex, type PublicClient } from 'viem';
import { rwaHoldingsAbi, rwaNavFeedAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import type { ChainRead } from './inputs.js';

interface Fixed {
  holdings: Address;
  navFeed: Address;
  holdingsDecimals: number;
  navDecimals: number;
}

const UNCONFIGURED: ChainRead = {
  configured: false,
  holdingsDecimals: 0,
  navDecimals: 0,
  totalSupply: 0n,
  supplyCap: 0n,
  paused: false,
  navRound: 0n,
  nav: undefined,
  navAsOf: undefined,
  heartbeatSeconds: 0,
  navStale: true,
  stage: { stage: 0, since: 0n, reason: 0 },
  reserveAsOf: 0n,
};

export class ChainReader {
  private readonly client: PublicClient;
  private redemptions: Address | undefined;
  private readonly fixed = new Map<string, Fixed>();

  constructor(
    private readonly receiver: Address,
    rpcUrl: string,
    timeoutMs: number,
  ) {
    // No retries: the page refreshes every second anyway, and a chain that is down must show as such at once.
    this.client = createPublicClient({ transport: http(rpcUrl, { batch: true, retryCount: 0, timeout: timeoutMs }) });
  }

  private async fixedOf(did: Hex): Promise<Fixed | undefined> {
    const known = this.fixed.get(did);
    if (known) return known;
    const c = this.client;
    const [state, navFeed] = await Promise.all([
      c.readContract({ address: this.receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [did] }),
      c.readContract({ address: this.receiver, abi: rwaReceiverAbi, functionName: 'navFeedOf', args: [did] }),
    ]);
    if (state.holdings === zeroAddress) return undefined;
    const [holdingsDecimals, navDecimals] = await Promise.all([
      c.readContract({ address: state.holdings, abi: rwaHoldingsAbi, functionName: 'decimals' }),
      c.readContract({ address: navFeed, abi: rwaNavFeedAbi, functionName: 'decimals' }),
    ]);
    const f = { holdings: state.holdings, navFeed, holdingsDecimals, navDecimals };
    this.fixed.set(did, f);
    return f;
  }

  /** The DID on this chain; throws (viem's error) when the chain cannot be read. */
  async read(did: Hex): Promise<ChainRead> {
    const f = await this.fixedOf(did);
    if (!f) return UNCONFIGURED;
    const c = this.client;
    this.redemptions ??= await c.readContract({ address: this.receiver, abi: rwaReceiverAbi, functionName: 'redemptions' });
    const [totalSupply, supplyCap, paused, navRound, heartbeat, navStale, stage, reserveAsOf] = await Promise.all([
      c.readContract({ address: f.holdings, abi: rwaHoldingsAbi, functionName: 'totalSupply' }),
      c.readContract({ address: f.holdings, abi: rwaHoldingsAbi, functionName: 'supplyCap' }),
      c.readContract({ address: f.holdings, abi: rwaHoldingsAbi, functionName: 'paused' }),
      c.readContract({ address: f.navFeed, abi: rwaNavFeedAbi, functionName: 'latestRound' }),
      c.readContract({ address: f.navFeed, abi: rwaNavFeedAbi, functionName: 's_heartbeat' }),
      c.readContract({ address: f.navFeed, abi: rwaNavFeedAbi, functionName: 'isStale' }),
      c.readContract({ address: this.redemptions, abi: rwaRedemptionsAbi, functionName: 'stageOf', args: [did] }),
      c.readContract({ address: this.receiver, abi: rwaReceiverAbi, functionName: 'reserveAsOf', args: [did] }),
    ]);
    let nav: bigint | undefined;
    let navAsOf: bigint | undefined;
    if (navRound > 0n) {
      const [, answer, , updatedAt] = await c.readContract({ address: f.navFeed, abi: rwaNavFeedAbi, functionName: 'latestRoundData' });
      nav = answer;
      navAsOf = updatedAt;
    }
    return {
      configured: true,
      holdingsDecimals: f.holdingsDecimals,
      navDecimals: f.navDecimals,
      totalSupply,
      supplyCap,
      paused,
      navRound,
      nav,
      navAsOf,
      heartbeatSeconds: heartbeat,
      navStale,
      stage: { stage: stage.stage, since: stage.since, reason: stage.reason },
      reserveAsOf,
    };
  }
}
