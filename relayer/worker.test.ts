import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Hex } from 'viem';
import { openDb } from '../common/sqlite.js';
import * as schema from './store/schema.js';
import { Outbox, type Job, type NewJob } from './store/outbox.js';
import { ChainWorker } from './worker.js';
import { createMetrics } from './metrics.js';
import type { ReceiptState, Replacement, Submitted, Transport } from './transports/transport.js';
import type { TransportName } from '../schemas/deployment.js';

const CHAIN = 7;
const NOW = 1_000_000;

/** A scripted transport (a unit-test double): records every call, answers from a queue of receipt states. */
class ScriptedTransport implements Transport {
  readonly calls: string[] = [];
  applied = new Set<string>();
  receipts: (ReceiptState | Error)[] = [];
  private sent = 0;
  constructor(readonly name: TransportName) {}
  async isApplied(job: Job): Promise<boolean> {
    this.calls.push(`isApplied:${job.nonce}`);
    return this.applied.has(job.nonce);
  }
  async simulate(job: Job): Promise<void> {
    this.calls.push(`simulate:${job.nonce}`);
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

class RetryableError extends Error {
  readonly retryable = true;
}

function setup(transports: ScriptedTransport[]) {
  const { db } = openDb(join(tmpdir(), `worker-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'store', 'migrations'));
  const outbox = new Outbox(db);
  const worker = new ChainWorker({
    chainId: CHAIN,
    outbox,
    transports: new Map(transports.map((t) => [t.name, t])),
    inFlightPollMs: 5_000,
    policy: { baseMs: 100, capMs: 1_000, jitter: 0, maxAttempts: 3 },
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
    now: () => NOW,
    random: () => 0.5,
    idleMs: 10,
  });
  const add = (seq: number, transport: TransportName) => {
    const job: NewJob = {
      attestationId: `0x${seq.toString(16).padStart(64, '0')}`,
      seq,
      did: 'did:rwa:test',
      didHash: `0x${'ab'.repeat(32)}`,
      nonce: String(seq),
      kind: 'nav',
      chainId: CHAIN,
      transport,
      receiver: `0x${'11'.repeat(20)}`,
      message: '0x01',
      signatures: '0x',
    };
    outbox.ingest([job], seq, NOW);
  };
  /** Runs the head job once, as the worker's loop does. */
  const step = async () => {
    const head = outbox.head(CHAIN);
    if (!head) throw new Error('no job due');
    await worker.process(head);
  };
  const job = (seq: number) => outbox.byAttestation(`0x${seq.toString(16).padStart(64, '0')}`)[0]!;
  return { outbox, add, step, job };
}

describe('ChainWorker', () => {
  it('delivers each job over the transport its route named, in oracle order on one chain', async () => {
    const cctp = new ScriptedTransport('cctp');
    const ccip = new ScriptedTransport('ccip');
    const w = setup([cctp, ccip]);
    w.add(1, 'ccip');
    w.add(2, 'cctp');
    await w.step();
    expect(w.job(1).state).toBe('confirmed');
    expect(w.job(2).state).toBe('pending');
    await w.step();
    expect(w.job(2).state).toBe('confirmed');
    expect(ccip.calls.filter((c) => c.startsWith('submit'))).toEqual(['submit:1']);
    expect(cctp.calls.filter((c) => c.startsWith('submit'))).toEqual(['submit:2']);
  });

  it('keeps a delivery the transport’s network carries in flight: no attempt counted, never sent twice', async () => {
    const ccip = new ScriptedTransport('ccip');
    const w = setup([ccip]);
    w.add(1, 'ccip');
    ccip.receipts = [{ status: 'inFlight', detail: 'message m in flight' }, { status: 'inFlight', detail: 'message m in flight' }, { status: 'success' }];
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'submitted', attempts: 0, lastError: 'in flight: message m in flight', nextAttemptAt: NOW + 5_000 });
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'submitted', attempts: 0 });
    await w.step();
    expect(w.job(1).state).toBe('confirmed');
    expect(ccip.calls.filter((c) => c.startsWith('submit'))).toEqual(['submit:1']);
    expect(ccip.calls.filter((c) => c.startsWith('wait'))).toEqual(['wait:1:0xcc01', 'wait:1:0xcc01', 'wait:1:0xcc01']);
  });

  it('follows the submitted transaction after a failure past submission (e.g. a CCIP execution to run again)', async () => {
    const ccip = new ScriptedTransport('ccip');
    const w = setup([ccip]);
    w.add(1, 'ccip');
    ccip.receipts = [new RetryableError('execution ended FAILURE; it will be executed again'), { status: 'success' }];
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'submitted', attempts: 1, txHash: `0xcc${'1'.padStart(62, '0')}` });
    expect(w.job(1).lastError).toMatch(/executed again/);
    await w.step();
    expect(w.job(1).state).toBe('confirmed');
    expect(ccip.calls.filter((c) => c.startsWith('submit'))).toEqual(['submit:1']);
  });

  it('replaces a delivery not mined within the wait: same nonce, the fees it offered passed on to escalate', async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    w.add(1, 'cctp');
    cctp.receipts = [{ status: 'unknown' }, { status: 'unknown' }, { status: 'success' }];
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'submitted', txNonce: 41, maxFeePerGas: '100', maxPriorityFeePerGas: '10' });
    await w.step();
    expect(cctp.calls.filter((c) => c.startsWith('submit'))).toEqual(['submit:1', 'submit:1:replace@41']);
    expect(w.job(1)).toMatchObject({ state: 'confirmed', txHash: `0xdd${'2'.padStart(62, '0')}` });
  });

  it('confirms without sending what the chain already applied (a restart after a crash)', async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    w.add(1, 'cctp');
    cctp.applied.add('1');
    await w.step();
    expect(w.job(1).state).toBe('confirmed');
    expect(cctp.calls).toEqual(['isApplied:1']);
  });

  it('dead-letters, with the reason, a job routed to a transport this chain does not have', async () => {
    const w = setup([new ScriptedTransport('cctp')]);
    w.add(1, 'ccip');
    await w.step();
    expect(w.job(1).state).toBe('dead');
    expect(w.job(1).lastError).toBe(`no ccip transport to chain ${CHAIN} in this relayer's deployment`);
  });

  it('sends again after a reverted delivery, and dead-letters after the attempt limit', async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    w.add(1, 'cctp');
    cctp.receipts = Array.from({ length: 6 }, () => ({ status: 'reverted' as const }));
    for (let i = 0; i < 3; i++) await w.step();
    expect(w.job(1).state).toBe('dead');
    expect(w.job(1).lastError).toMatch(/^gave up after 3 attempts: transaction 0xdd0+3 reverted/);
    // Each pass waits on the stored transaction once more before re-simulating and sending a new one.
    expect(cctp.calls.filter((c) => c.startsWith('submit'))).toEqual(['submit:1', 'submit:1', 'submit:1']);
  });
});
