/**
 * Watches one chain as an outside observer: every block's receipts (eth_getBlockReceipts), taken when the node
 * announces the block (eth_subscribe newHeads over its WebSocket). From them: the receiver's SettlementApplied events
 * (which settlement, in which block, seen when) and the relayer's transactions (receipt gasUsed). Nothing here asks
 * the relayer what it did.
 */
import { EventEmitter } from 'node:events';
import { createPublicClient, parseEventLogs, webSocket, type Address, type Hex, type Log } from 'viem';
import { rwaReceiverAbi } from '../schemas/abi.js';

export interface BlockSeen {
  number: bigint;
  /** performance.now() when the node announced the block (or a later block, when a head was skipped). */
  seenAt: number;
  relayerGas: bigint;
  relayerTxs: number;
  settlementsApplied: number;
}

export interface AppliedSeen {
  block: bigint;
  seenAt: number;
}

export const appliedKey = (didHash: Hex, nonce: bigint) => `${didHash.toLowerCase()}:${nonce}`;

interface RpcReceipt {
  from: string;
  gasUsed: bigint;
  logs: Log[];
}

/** The parts of an eth_getBlockReceipts answer the bench uses, checked at the edge. */
export function parseReceipts(raw: unknown): RpcReceipt[] {
  if (!Array.isArray(raw)) throw new Error('eth_getBlockReceipts: expected an array');
  return raw.map((r: unknown, i) => {
    const x = r as { from?: unknown; gasUsed?: unknown; logs?: unknown };
    if (typeof x?.from !== 'string' || typeof x.gasUsed !== 'string' || !Array.isArray(x.logs)) throw new Error(`eth_getBlockReceipts: receipt ${i} lacks from, gasUsed or logs`);
    return { from: x.from.toLowerCase(), gasUsed: BigInt(x.gasUsed), logs: x.logs as Log[] };
  });
}

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
  return body.result;
}

export class ChainWatch extends EventEmitter {
  readonly blocks: BlockSeen[] = [];
  readonly applied = new Map<string, AppliedSeen>();
  /** Last block processed. */
  head = -1n;
  blockGasLimit = 0n;
  /** The first failure of the watch: the bench reports it rather than measuring with a blind eye. */
  failure: Error | undefined;
  private queue: Promise<void> = Promise.resolve();
  private unwatch: (() => void) | undefined;
  private ws: { transport: { getRpcClient(): Promise<{ close(): void }> } } | undefined;

  constructor(
    readonly name: string,
    readonly chainId: number,
    readonly rpcUrl: string,
    private readonly receiver: Address,
    private readonly relayers: ReadonlySet<string>,
  ) {
    super();
  }

  /** Starts from the current head (blocks before it are not the bench's). */
  async start(): Promise<void> {
    const head = BigInt((await rpc(this.rpcUrl, 'eth_blockNumber', [])) as string);
    const block = (await rpc(this.rpcUrl, 'eth_getBlockByNumber', [`0x${head.toString(16)}`, false])) as { gasLimit: string };
    this.blockGasLimit = BigInt(block.gasLimit);
    this.head = head;
    // No reconnect: a dropped socket is a failure the bench reports, not a gap it papers over.
    const ws = createPublicClient({ transport: webSocket(this.rpcUrl.replace(/^http/, 'ws'), { reconnect: false, keepAlive: false }) });
    this.ws = ws;
    this.unwatch = ws.watchBlockNumber({
      onBlockNumber: (n) => this.catchUp(n, performance.now()),
      onError: (err) => this.fail(err),
    });
  }

  /** Processes every block up to the node's head now (the end of a round: nothing announced is left behind). */
  async sync(): Promise<void> {
    const head = BigInt((await rpc(this.rpcUrl, 'eth_blockNumber', [])) as string);
    await this.catchUp(head, performance.now());
    if (this.failure) throw this.failure;
  }

  /** Unsubscribes and closes the socket (before the chain stops: nothing is left trying to reach it). */
  async stop(): Promise<void> {
    this.unwatch?.();
    this.unwatch = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) (await ws.transport.getRpcClient()).close();
  }

  private fail(err: unknown): void {
    this.failure ??= err instanceof Error ? err : new Error(String(err));
    this.emit('failure', this.failure);
  }

  private catchUp(to: bigint, seenAt: number): Promise<void> {
    this.queue = this.queue.then(async () => {
      try {
        for (let n = this.head + 1n; n <= to; n++) await this.process(n, seenAt);
      } catch (err) {
        this.fail(err);
      }
    });
    return this.queue;
  }

  private async process(n: bigint, seenAt: number): Promise<void> {
    const receipts = parseReceipts(await rpc(this.rpcUrl, 'eth_getBlockReceipts', [`0x${n.toString(16)}`]));
    let relayerGas = 0n;
    let relayerTxs = 0;
    for (const r of receipts) {
      if (!this.relayers.has(r.from)) continue;
      relayerGas += r.gasUsed;
      relayerTxs++;
    }
    const logs = receipts.flatMap((r) => r.logs).filter((l) => l.address.toLowerCase() === this.receiver.toLowerCase());
    const applied = parseEventLogs({ abi: rwaReceiverAbi, logs, eventName: 'SettlementApplied' });
    const keys = applied.map((ev) => appliedKey(ev.args.did, ev.args.nonce));
    for (const k of keys) this.applied.set(k, { block: n, seenAt });
    this.blocks.push({ number: n, seenAt, relayerGas, relayerTxs, settlementsApplied: applied.length });
    this.head = n;
    this.emit('block', n, keys);
  }

  /** The blocks after `from` up to and including `to`. */
  window(from: bigint, to: bigint): BlockSeen[] {
    return this.blocks.filter((b) => b.number > from && b.number <= to);
  }
}
