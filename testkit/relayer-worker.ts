import type { CurseFlag } from '../relayer/curse.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Hex } from 'viem';
import { openDb } from '../common/sqlite.js';
import * as schema from '../relayer/store/schema.js';
import { Outbox, type Job, type NewJob } from '../relayer/store/outbox.js';
import { ChainWorker } from '../relayer/worker.js';
import { createMetrics } from '../relayer/metrics.js';
import { BatchTooLargeError, type ReceiptState, type Replacement, type Submitted, type Transport } from '../relayer/transports/transport.js';
import type { TransportName } from '../schemas/deployment.js';
import type { AppliedBy } from '../relayer/transports/applied-by.js';
import { RwaError } from '../common/errors.js';

/** Unit-test kit of the chain worker: scripted transports and destinations (test doubles), an outbox on a temp file. */
export const CHAIN = 7;
export const NOW = 1_000_000;

/** A scripted transport (a unit-test double): records every call, answers from a queue of receipt states. */
export class ScriptedTransport implements Transport {
  readonly calls: string[] = [];
  applied = new Set<string>();
  receipts: (ReceiptState | Error)[] = [];
  private sent = 0;
  constructor(readonly name: TransportName) {}
  async isApplied(job: Job): Promise<boolean> {
    this.calls.push(`isApplied:${job.nonce}`);
    return this.applied.has(job.nonce);
  }
  /** Reverts to throw from simulate, by nonce, one per call. */
  simulateReverts = new Map<string, Error[]>();
  async simulate(job: Job): Promise<void> {
    this.calls.push(`simulate:${job.nonce}`);
    const err = this.simulateReverts.get(job.nonce)?.shift();
    if (err) throw err;
  }
  async submit(job: Job, replace?: Replacement): Promise<Submitted> {
    this.sent += 1;
    this.calls.push(`submit:${job.nonce}${replace ? `:replace@${replace.nonce}` : ''}`);
    const fees = replace ? { maxFeePerGas: replace.fees.maxFeePerGas * 2n, maxPriorityFeePerGas: replace.fees.maxPriorityFeePerGas * 2n } : { maxFeePerGas: 100n, maxPriorityFeePerGas: 10n };
    return { txHash: `0x${this.name === 'ccip' ? 'cc' : 'dd'}${String(this.sent).padStart(62, '0')}` as Hex, nonce: replace?.nonce ?? 40 + this.sent, fees };
  }
  async waitForReceipt(txHash: Hex, job: Job): Promise<ReceiptState> {
    this.calls.push(`wait:${job.nonce}:${txHash.slice(0, 4)}${txHash.slice(-2)}`);
    const next = this.receipts.shift() ?? { status: 'success' };
    if (next instanceof Error) throw next;
    if (next.status === 'success') this.applied.add(job.nonce);
    return next;
  }
}

/**
 * A scripted transport with batched delivery (a unit-test double of the CCTP-style one): account-ordered, a batch
 * applies all its items once its receipt is `success`; `maxItems` makes larger batches too large for a block.
 */
export class BatchScriptedTransport extends ScriptedTransport {
  readonly accountOrdered = true;
  maxItems = Number.POSITIVE_INFINITY;
  private readonly batchOf = new Map<string, string[]>();
  private batches = 0;
  async simulateBatch(jobs: readonly Job[]): Promise<void> {
    this.calls.push(`simulateBatch:${jobs.map((j) => j.nonce).join(',')}`);
    if (jobs.length > this.maxItems) throw new BatchTooLargeError(this.maxItems, BigInt(jobs.length) * 100n, BigInt(this.maxItems) * 100n);
    const failing = jobs.map((j) => this.simulateReverts.get(j.nonce)?.[0]).find((e) => e !== undefined);
    if (failing) throw failing;
  }
  async submitBatch(jobs: readonly Job[], replace?: Replacement): Promise<Submitted> {
    this.batches += 1;
    const nonces = jobs.map((j) => j.nonce);
    this.calls.push(`submitBatch:${nonces.join(',')}${replace ? `:replace@${replace.nonce}` : ''}`);
    const txHash = `0xba${String(this.batches).padStart(62, '0')}` as Hex;
    this.batchOf.set(txHash, nonces);
    const fees = replace ? { maxFeePerGas: replace.fees.maxFeePerGas * 2n, maxPriorityFeePerGas: replace.fees.maxPriorityFeePerGas * 2n } : { maxFeePerGas: 100n, maxPriorityFeePerGas: 10n };
    return { txHash, nonce: replace?.nonce ?? 80 + this.batches, fees };
  }
  override async waitForReceipt(txHash: Hex, job: Job): Promise<ReceiptState> {
    const r = await super.waitForReceipt(txHash, job);
    if (r.status === 'success') for (const n of this.batchOf.get(txHash) ?? []) this.applied.add(n);
    return r;
  }
}

export class RetryableError extends RwaError<'test_transient'> {
  constructor(message: string) {
    super(message, { code: 'test_transient', retryable: true });
  }
}

export const BIT: Record<TransportName, number> = { cctp: 1, ccip: 2, wormhole: 4 };

/**
 * A destination with a transport quorum, as RwaTransportQuorum keeps it (a unit-test double): arrivals per nonce; the
 * attestation is applied on the k-th distinct transport.
 */
export class QuorumChain {
  readonly arrived = new Map<string, number>();
  readonly applied = new Set<string>();
  /** Nonces applied on their first arrival, as RwaReceiver applies a move void (kind 15) past the gate. */
  readonly ungated = new Set<string>();
  constructor(readonly k: number) {}
  arrive(nonce: string, transport: TransportName): void {
    const mask = (this.arrived.get(nonce) ?? 0) | BIT[transport];
    this.arrived.set(nonce, mask);
    if (this.ungated.has(nonce) || [1, 2, 4].filter((b) => (mask & b) !== 0).length >= this.k) this.applied.add(nonce);
  }
}

/** A transport into a QuorumChain: a successful delivery is one arrival. */
export class QuorumTransport extends ScriptedTransport {
  constructor(
    name: TransportName,
    private readonly chain: QuorumChain,
  ) {
    super(name);
    this.applied = chain.applied;
  }
  override async waitForReceipt(txHash: Hex, job: Job): Promise<ReceiptState> {
    this.calls.push(`wait:${job.nonce}`);
    const next = this.receipts.shift() ?? { status: 'success' };
    if (next instanceof Error) throw next;
    if (next.status === 'success') this.chain.arrive(job.nonce, this.name);
    return next;
  }
}

export function setup(
  transports: ScriptedTransport[],
  opts: { disabled?: TransportName[]; quorum?: QuorumChain; appliedBy?: (j: Job) => AppliedBy | undefined; pipeline?: { maxInFlight: number; maxBatch: number; scanLimit?: number }; outbox?: Outbox; curse?: CurseFlag } = {},
) {
  const disabled = new Set(opts.disabled ?? []);
  const { db } = openDb(join(tmpdir(), `worker-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, '..', 'relayer', 'store', 'migrations'));
  const outbox = opts.outbox ?? new Outbox(db);
  const metrics = createMetrics();
  const clock = { now: NOW };
  const worker = new ChainWorker({
    chainId: CHAIN,
    outbox,
    transports: new Map(transports.map((t) => [t.name, t])),
    inFlightPollMs: 5_000,
    disabled,
    arrivals: async (j) => opts.quorum?.arrived.get(j.nonce) ?? 0,
    policy: { baseMs: 100, capMs: 1_000, jitter: 0, maxAttempts: 3 },
    parkPolicy: { baseMs: 5_000, capMs: 300_000, jitter: 0, maxAttempts: Number.POSITIVE_INFINITY },
    didWaitPolicy: { baseMs: 2_000, capMs: 60_000, jitter: 0, maxAttempts: Number.POSITIVE_INFINITY },
    maxCcipExecutions: 3,
    appliedBy: async (j) => opts.appliedBy?.(j) ?? { by: 'ours', txHash: `0x${'ee'.repeat(32)}` },
    metrics,
    logger: pino({ level: 'silent' }),
    now: () => clock.now,
    random: () => 0.5,
    idleMs: 10,
    ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
    ...(opts.curse ? { curse: opts.curse } : {}),
  });
  const add = (seq: number, transport: TransportName, quorumTransports: number | null = null, kind: NewJob['kind'] = 'nav', didHash = `0x${'ab'.repeat(32)}`, message: Hex = '0x01') => {
    const job: NewJob = {
      attestationId: `0x${seq.toString(16).padStart(64, '0')}`,
      seq,
      did: `did:rwa:${didHash.slice(2, 6)}`,
      didHash,
      nonce: String(seq),
      kind,
      chainId: CHAIN,
      transport,
      receiver: `0x${'11'.repeat(20)}`,
      message,
      signatures: '0x',
      quorumTransports,
    };
    outbox.ingest([job], seq, NOW);
  };
  /** Runs the head job once, as the worker's loop does. */
  const step = async () => {
    const head = outbox.head(CHAIN, disabled);
    if (!head) throw new Error('no job due');
    await worker.process(head);
  };
  const job = (seq: number, transport?: TransportName) => outbox.byAttestation(`0x${seq.toString(16).padStart(64, '0')}`).find((j) => !transport || j.transport === transport)!;
  /** One pass of the pipelined loop, and every task it started run to its end. */
  const tick = async () => {
    const started = worker.tick();
    await worker.idle();
    return started;
  };
  /** Moves the worker's clock on (the pipelined loop only takes due jobs). */
  const advance = (ms: number) => {
    clock.now += ms;
  };
  return { outbox, add, step, tick, advance, job, disabled, worker, metrics };
}

