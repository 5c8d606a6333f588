import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ContractFunctionRevertedError, encodeErrorResult, type Hex } from 'viem';
import { rwaRedemptionsAbi } from '../schemas/abi.js';
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

class RetryableError extends Error {
  readonly retryable = true;
}

const BIT: Record<TransportName, number> = { cctp: 1, ccip: 2, wormhole: 4 };

/**
 * A destination with a transport quorum, as RwaTransportQuorum keeps it (a unit-test double): arrivals per nonce; the
 * attestation is applied on the k-th distinct transport.
 */
class QuorumChain {
  readonly arrived = new Map<string, number>();
  readonly applied = new Set<string>();
  constructor(readonly k: number) {}
  arrive(nonce: string, transport: TransportName): void {
    const mask = (this.arrived.get(nonce) ?? 0) | BIT[transport];
    this.arrived.set(nonce, mask);
    if ([1, 2, 4].filter((b) => (mask & b) !== 0).length >= this.k) this.applied.add(nonce);
  }
}

/** A transport into a QuorumChain: a successful delivery is one arrival. */
class QuorumTransport extends ScriptedTransport {
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

function setup(transports: ScriptedTransport[], opts: { disabled?: TransportName[]; quorum?: QuorumChain } = {}) {
  const disabled = new Set(opts.disabled ?? []);
  const { db } = openDb(join(tmpdir(), `worker-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'store', 'migrations'));
  const outbox = new Outbox(db);
  const worker = new ChainWorker({
    chainId: CHAIN,
    outbox,
    transports: new Map(transports.map((t) => [t.name, t])),
    inFlightPollMs: 5_000,
    disabled,
    arrivals: async (j) => opts.quorum?.arrived.get(j.nonce) ?? 0,
    policy: { baseMs: 100, capMs: 1_000, jitter: 0, maxAttempts: 3 },
    parkPolicy: { baseMs: 5_000, capMs: 300_000, jitter: 0, maxAttempts: Number.POSITIVE_INFINITY },
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
    now: () => NOW,
    random: () => 0.5,
    idleMs: 10,
  });
  const add = (seq: number, transport: TransportName, quorumTransports: number | null = null, kind: NewJob['kind'] = 'nav') => {
    const job: NewJob = {
      attestationId: `0x${seq.toString(16).padStart(64, '0')}`,
      seq,
      did: 'did:rwa:test',
      didHash: `0x${'ab'.repeat(32)}`,
      nonce: String(seq),
      kind,
      chainId: CHAIN,
      transport,
      receiver: `0x${'11'.repeat(20)}`,
      message: '0x01',
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
  return { outbox, add, step, job, disabled, worker };
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

  describe('under a transport quorum (2 of cctp, ccip, wormhole)', () => {
    const ALL = 7;
    function quorumSetup(disabled: TransportName[] = []) {
      const chain = new QuorumChain(2);
      const ts = (['cctp', 'ccip', 'wormhole'] as const).map((n) => new QuorumTransport(n, chain));
      const w = setup(ts, { disabled, quorum: chain });
      const addAll = (seq: number) => {
        for (const t of ts) w.add(seq, t.name, ALL);
      };
      const sent = () => ts.flatMap((t) => t.calls.filter((c) => c.startsWith('submit')).map((c) => `${t.name}:${c}`));
      return { ...w, chain, addAll, sent };
    }

    it('applies on the second transport and closes the third without sending it', async () => {
      const q = quorumSetup();
      q.addAll(1);
      await q.step();
      expect(q.chain.applied.has('1')).toBe(false);
      expect(q.outbox.byAttestation(q.job(1).attestationId).filter((j) => j.state === 'confirmed')).toHaveLength(1);
      await q.step();
      expect(q.chain.applied.has('1')).toBe(true);
      expect(q.outbox.byAttestation(q.job(1).attestationId).map((j) => j.state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
      expect(q.sent()).toHaveLength(2);
      expect(q.outbox.head(CHAIN)).toBeUndefined();
    });

    it('does not let a failing transport hold the others back', async () => {
      const q = quorumSetup();
      q.addAll(1);
      const cctp = q.outbox.byAttestation(q.job(1).attestationId).find((j) => j.transport === 'cctp')!;
      expect(q.outbox.head(CHAIN)?.id).toBe(cctp.id);
      // cctp reverts: its job backs off, and the next due job of the same attestation is another transport's.
      q.outbox.markRetry(cctp.id, 1, 'reverted', NOW + 60_000, NOW);
      expect(q.outbox.head(CHAIN)?.transport).toBe('ccip');
      await q.step();
      await q.step();
      expect(q.chain.applied.has('1')).toBe(true);
      expect(q.job(1, 'cctp').state).toBe('confirmed');
      expect(q.sent()).toEqual(['ccip:submit:1', 'wormhole:submit:1']);
    });

    it('with one transport disabled still applies; the next attestation follows', async () => {
      const q = quorumSetup(['wormhole']);
      q.addAll(1);
      q.addAll(2);
      for (let i = 0; i < 4; i++) await q.step();
      expect([...q.chain.applied].sort()).toEqual(['1', '2']);
      expect(q.sent().filter((c) => c.startsWith('wormhole'))).toEqual([]);
      expect(q.outbox.head(CHAIN, new Set(['wormhole']))).toBeUndefined();
      expect(q.outbox.depth(CHAIN)).toBe(0);
    });

    it('with two disabled records one arrival, applies nothing, and holds the chain until one comes back', async () => {
      const disabled: TransportName[] = ['ccip', 'wormhole'];
      const q = quorumSetup(disabled);
      q.addAll(1);
      q.addAll(2);
      await q.step();
      expect(q.chain.arrived.get('1')).toBe(1);
      expect(q.chain.applied.size).toBe(0);
      // Only disabled transports' jobs are left for attestation 1: nothing is due, and attestation 2 waits behind it.
      expect(q.outbox.head(CHAIN, new Set(disabled))).toBeUndefined();
      expect(q.job(2, 'cctp').state).toBe('pending');
      // The operator enables wormhole again: attestation 1 is applied (ccip's job closed), then 2.
      q.disabled.delete('wormhole');
      expect(q.outbox.head(CHAIN, q.disabled)).toMatchObject({ transport: 'wormhole', seq: 1 });
      await q.step();
      expect(q.chain.applied.has('1')).toBe(true);
      expect(q.job(1, 'ccip').state).toBe('confirmed');
      await q.step();
      await q.step();
      expect(q.chain.applied.has('2')).toBe(true);
      expect(q.sent()).toEqual(['cctp:submit:1', 'cctp:submit:2', 'wormhole:submit:1', 'wormhole:submit:2']);
    });

    it('confirms a transport whose arrival the chain already recorded (a restart after a crash) without sending', async () => {
      const q = quorumSetup();
      q.addAll(1);
      q.chain.arrive('1', 'cctp');
      await q.step();
      expect(q.job(1, 'cctp').state).toBe('confirmed');
      expect(q.sent()).toEqual([]);
    });
  });

  describe('a redemption fulfilment the chain refuses for now', () => {
    const halted = () =>
      new ContractFunctionRevertedError({
        abi: rwaRedemptionsAbi,
        functionName: 'receiveMessage',
        data: encodeErrorResult({ abi: rwaRedemptionsAbi, errorName: 'RedemptionsHalted', args: [`0x${'ab'.repeat(32)}`, 1] }),
      });

    it('is parked out of order, lets the NAV behind it through, and applies once the chain allows it', async () => {
      const cctp = new ScriptedTransport('cctp');
      const w = setup([cctp]);
      w.add(1, 'cctp', null, 'redemptionFulfilment');
      w.add(2, 'cctp');
      cctp.simulateReverts.set('1', [halted(), halted()]);
      await w.step();
      expect(w.job(1)).toMatchObject({ state: 'parked', attempts: 1, lastError: 'reverted: RedemptionsHalted', nextAttemptAt: NOW + 5_000 });
      // The NAV is the chain's head now.
      await w.step();
      expect(w.job(2).state).toBe('confirmed');
      expect(w.outbox.dueParked(CHAIN, NOW)).toBeUndefined();
      // Still halted on the next look: parked again, later, never dead-lettered for it.
      await w.worker.process(w.outbox.dueParked(CHAIN, NOW + 5_000)!);
      expect(w.job(1)).toMatchObject({ state: 'parked', attempts: 2, nextAttemptAt: NOW + 10_000 });
      // The stage fell back: applied.
      await w.worker.process(w.outbox.dueParked(CHAIN, NOW + 10_000)!);
      expect(w.job(1).state).toBe('confirmed');
      expect(cctp.calls.filter((c) => c.startsWith('submit'))).toEqual(['submit:2', 'submit:1']);
    });

    it('parks a fulfilment that overtook its acceptance (RequestNotAccepted) like a halted one', async () => {
      const cctp = new ScriptedTransport('cctp');
      const w = setup([cctp]);
      w.add(1, 'cctp', null, 'redemptionFulfilment');
      w.add(2, 'cctp');
      const notAccepted = () =>
        new ContractFunctionRevertedError({
          abi: rwaRedemptionsAbi,
          functionName: 'receiveMessage',
          data: encodeErrorResult({ abi: rwaRedemptionsAbi, errorName: 'RequestNotAccepted', args: [`0x${'ab'.repeat(32)}`, 1n] }),
        });
      cctp.simulateReverts.set('1', [notAccepted()]);
      await w.step();
      expect(w.job(1)).toMatchObject({ state: 'parked', attempts: 1, lastError: 'reverted: RequestNotAccepted' });
      await w.step();
      expect(w.job(2).state).toBe('confirmed');
      // The acceptance landed: applied on the next look.
      await w.worker.process(w.outbox.dueParked(CHAIN, NOW + 5_000)!);
      expect(w.job(1).state).toBe('confirmed');
    });

    it('keeps any other kind in the chain’s order (bounded retries)', async () => {
      const cctp = new ScriptedTransport('cctp');
      const w = setup([cctp]);
      w.add(1, 'cctp');
      w.add(2, 'cctp');
      cctp.simulateReverts.set('1', [halted()]);
      await w.step();
      expect(w.job(1)).toMatchObject({ state: 'pending', attempts: 1 });
      expect(w.outbox.head(CHAIN)?.seq).toBe(1);
    });
  });
});
