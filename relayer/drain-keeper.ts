import { createPublicClient, createWalletClient, defineChain, http, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Logger } from 'pino';
import type { Counter, Gauge } from 'prom-client';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { BRAKES_DIRECTION } from '../schemas/message.js';
import { drainableCount, secondsUntilHeadFits } from './drain-rule.js';
import type { KeeperChain } from './keeper.js';
import type { NonceManager } from './nonces.js';

const DIRECTION_NAMES = ['mint', 'burn'] as const;
const MAX_UINT256 = (1n << 256n) - 1n;

export interface DrainKeeperOptions {
  /** Most queued settlements one drainQueued call applies (gas per call grows with it). */
  maxItems: number;
  /** First block of the receiver's queue events to read (its deployment block; 0 on a devnet). */
  startBlock: bigint;
  /** Most blocks per eth_getLogs. */
  maxSpan: bigint;
  /** Wall clock in unix seconds; the chain's next block is at least this late. */
  nowSeconds?: () => bigint;
}

export interface DrainMetrics {
  brakesQueued: Gauge<'chain' | 'did' | 'direction'>;
  drainCalls: Counter<'chain' | 'outcome'>;
}

/** What one look at one queue found and did. */
export type DrainOutcome =
  | { did: Hex; direction: number; action: 'waiting'; queued: number; headFitsInSeconds: bigint | undefined }
  | { did: Hex; direction: number; action: 'drained'; queued: number; items: number; txHash: Hex };

/** A queued settlement as its SettlementQueued event told it. */
interface Item {
  nonce: bigint;
  amount: bigint;
}

/**
 * Drains the brakes queues of one chain's receiver (kind 14, docs/brakes-oracle.md). It follows SettlementQueued and
 * QueuedSettlementApplied from `startBlock` (amounts per queue index: the receiver has no view of an item), and at each
 * look, for every (DID, direction) with items waiting, reads `queuedOf` and `brakesOf` and calls the permissionless
 * `drainQueued(did, direction, n)` with the number of items from the head that the bucket holds now (relayer/
 * drain-rule.ts); nothing while the head does not fit. Kept in memory: a restart reads the events again.
 */
export class DrainKeeper {
  private readonly pub: PublicClient;
  private readonly wallet;
  private cursor: bigint | undefined;
  /** Items waiting per `did:direction`, by queue index. */
  private readonly queues = new Map<string, Map<bigint, Item>>();

  constructor(
    private readonly chain: KeeperChain,
    key: Hex,
    private readonly nonces: NonceManager,
    private readonly metrics: DrainMetrics,
    private readonly logger: Logger,
    private readonly opts: DrainKeeperOptions,
  ) {
    const c = defineChain({ id: chain.chainId, name: chain.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [chain.rpcUrl] } } });
    const transport = http(chain.rpcUrl, { retryCount: 0, timeout: 10_000 });
    this.pub = createPublicClient({ chain: c, transport, pollingInterval: 100 }) as PublicClient;
    this.wallet = createWalletClient({ chain: c, transport, account: privateKeyToAccount(key) });
  }

  /** Queued settlements known per `did:direction` (status and tests). */
  queued(): Map<string, number> {
    return new Map([...this.queues].map(([k, q]) => [k, q.size]));
  }

  /** One look: read new events, then drain what fits. Throws on RPC failure (the caller retries later). */
  async tick(): Promise<DrainOutcome[]> {
    await this.readEvents();
    const out: DrainOutcome[] = [];
    for (const [key, items] of this.queues) {
      if (items.size === 0) continue;
      const [did, dir] = key.split(':') as [Hex, string];
      const outcome = await this.look(did, Number(dir), items);
      if (outcome) out.push(outcome);
    }
    return out;
  }

  private async readEvents(): Promise<void> {
    // cacheTime 0: viem would answer a block number up to a polling interval old, missing a drain just mined.
    const head = await this.pub.getBlockNumber({ cacheTime: 0 });
    const safe = head - BigInt(this.chain.confirmations);
    // From the cursor to the safe head, at most maxSpan blocks per eth_getLogs.
    for (let from = this.cursor ?? this.opts.startBlock; from <= safe; from = this.cursor ?? this.opts.startBlock) {
      const to = from + this.opts.maxSpan - 1n < safe ? from + this.opts.maxSpan - 1n : safe;
      const at = { address: this.chain.receiver, abi: rwaReceiverAbi, fromBlock: from, toBlock: to, strict: true } as const;
      const [queued, applied] = await Promise.all([
        this.pub.getContractEvents({ ...at, eventName: 'SettlementQueued' }),
        this.pub.getContractEvents({ ...at, eventName: 'QueuedSettlementApplied' }),
      ]);
      for (const e of queued) {
        const { did, nonce, direction, queueIndex, amount } = e.args;
        this.queueOf(did, direction).set(BigInt(queueIndex), { nonce: BigInt(nonce), amount });
        this.logger.info({ did, chainId: this.chain.chainId, direction: DIRECTION_NAMES[direction], nonce, queueIndex, amount }, 'settlement queued by the brakes');
      }
      for (const e of applied) this.queueOf(e.args.did, e.args.direction).delete(BigInt(e.args.queueIndex));
      this.cursor = to + 1n;
    }
  }

  private queueOf(did: Hex, direction: number): Map<bigint, Item> {
    const key = `${did.toLowerCase()}:${direction}`;
    let q = this.queues.get(key);
    if (!q) this.queues.set(key, (q = new Map()));
    return q;
  }

  /** One queue: drained as far as the bucket allows, or left waiting; undefined when the chain shows it empty. */
  private async look(did: Hex, direction: number, items: Map<bigint, Item>): Promise<DrainOutcome | undefined> {
    const block = await this.pub.getBlock();
    const at = { address: this.chain.receiver, abi: rwaReceiverAbi, blockNumber: block.number } as const;
    const [[head, tail], brakes] = await Promise.all([
      this.pub.readContract({ ...at, functionName: 'queuedOf', args: [did, direction] }),
      this.pub.readContract({ ...at, functionName: 'brakesOf', args: [did] }),
    ]);
    // Below the head: applied (an event of a block not read yet, or one missed); never drained again.
    for (const index of items.keys()) if (index < head) items.delete(index);
    const queued = Number(tail - head);
    const labels = { chain: String(this.chain.chainId), did, direction: DIRECTION_NAMES[direction] ?? String(direction) };
    this.metrics.brakesQueued.set(labels, queued);
    if (queued === 0) return undefined;
    const amounts: bigint[] = [];
    for (let i = head; i < tail; i += 1n) {
      const item = items.get(i);
      if (!item) break;
      amounts.push(item.amount);
    }
    const [mintCapacity, mintRefillPerSecond, burnCapacity, burnRefillPerSecond, , , mintAvailable, burnAvailable] = brakes;
    const mint = direction === BRAKES_DIRECTION.mint;
    const limit = { capacity: mint ? mintCapacity : burnCapacity, refillPerSecond: mint ? mintRefillPerSecond : burnRefillPerSecond };
    const available = mint ? mintAvailable : burnAvailable;
    const state = { tokens: available === MAX_UINT256 ? limit.capacity : available, updatedAt: block.timestamp };
    const wall = this.opts.nowSeconds?.() ?? BigInt(Math.floor(Date.now() / 1000));
    const now = wall > block.timestamp ? wall : block.timestamp;
    const n = drainableCount(limit, state, amounts, now, this.opts.maxItems);
    if (n === 0) {
      const headFitsInSeconds = amounts[0] === undefined ? undefined : secondsUntilHeadFits(limit, state, amounts[0], now);
      return { did, direction, action: 'waiting', queued, headFitsInSeconds };
    }
    const started = performance.now();
    let txHash: Hex;
    try {
      txHash = await this.nonces.send(this.pub, this.chain.chainId, this.wallet.account.address, (nonce) =>
        this.wallet.writeContract({ address: this.chain.receiver, abi: rwaReceiverAbi, functionName: 'drainQueued', args: [did, direction, BigInt(n)], nonce }),
      );
      const receipt = await this.pub.waitForTransactionReceipt({ hash: txHash, timeout: 60_000, confirmations: Math.max(1, this.chain.confirmations) });
      if (receipt.status !== 'success') throw new Error(`drainQueued(${did}, ${direction}, ${n}) reverted in ${txHash}`);
    } catch (err) {
      this.metrics.drainCalls.inc({ chain: labels.chain, outcome: 'failed' });
      throw err;
    }
    this.metrics.drainCalls.inc({ chain: labels.chain, outcome: 'sent' });
    this.metrics.brakesQueued.set(labels, queued - n);
    this.logger.info({ did, chainId: this.chain.chainId, direction: labels.direction, items: n, queued, txHash, duration_ms: Math.round(performance.now() - started) }, 'brakes queue drained');
    return { did, direction, action: 'drained', queued, items: n, txHash };
  }
}

