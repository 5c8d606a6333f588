import { describe, expect, it } from 'vitest';
import { ContractFunctionRevertedError, encodeErrorResult } from 'viem';
import { rwaHoldingsAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import { encodeMessage } from '../schemas/message.js';
import type { DidHash } from '../schemas/ids.js';
import type { TransportName } from '../schemas/deployment.js';
import { CHAIN, NOW, QuorumChain, QuorumTransport, RetryableError, ScriptedTransport, setup } from '../testkit/relayer-worker.js';

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

  describe("a move's in leg the to-chain refuses for now", () => {
    const settlement = (settlementKind: 'moveIn' | 'subscription') =>
      encodeMessage({ kind: 'settlement', did: `0x${'ab'.repeat(32)}` as DidHash, nonce: 1n, settlementKind, settlementRef: `0x${'01'.repeat(32)}`, investor: `0x${'22'.repeat(20)}`, amount: 100n, cashLegRef: `0x${'00'.repeat(32)}`, settledAt: 1n, peerChainId: settlementKind === 'moveIn' ? 31337n : 0n });
    const notAllowed = () =>
      new ContractFunctionRevertedError({ abi: rwaHoldingsAbi, functionName: 'mint', data: encodeErrorResult({ abi: rwaHoldingsAbi, errorName: 'NotAllowListed', args: [`0x${'22'.repeat(20)}`] }) });
    const voided = () =>
      new ContractFunctionRevertedError({
        abi: rwaReceiverAbi,
        functionName: 'receiveMessage',
        data: encodeErrorResult({ abi: rwaReceiverAbi, errorName: 'MoveAlreadySettled', args: [`0x${'ab'.repeat(32)}`, `0x${'01'.repeat(32)}`, 2] }),
      });

    it('is parked out of order, so the deliveries behind it go on; once the move is voided it is dead-lettered at once', async () => {
      const cctp = new ScriptedTransport('cctp');
      const w = setup([cctp]);
      w.add(1, 'cctp', null, 'settlement', undefined, settlement('moveIn'));
      w.add(2, 'cctp');
      cctp.simulateReverts.set('1', [notAllowed(), voided()]);
      await w.step();
      expect(w.job(1)).toMatchObject({ state: 'parked', attempts: 1, lastError: 'reverted: NotAllowListed' });
      await w.step();
      expect(w.job(2).state).toBe('confirmed');
      await w.worker.process(w.outbox.dueParked(CHAIN, NOW + 5_000)!);
      expect(w.job(1)).toMatchObject({ state: 'dead', lastError: 'reverted: MoveAlreadySettled' });
    });

    it('keeps a subscription the chain refuses in the chain’s order (bounded retries)', async () => {
      const cctp = new ScriptedTransport('cctp');
      const w = setup([cctp]);
      w.add(1, 'cctp', null, 'settlement', undefined, settlement('subscription'));
      w.add(2, 'cctp');
      cctp.simulateReverts.set('1', [notAllowed()]);
      await w.step();
      expect(w.job(1)).toMatchObject({ state: 'pending', attempts: 1 });
      expect(w.outbox.head(CHAIN)?.seq).toBe(1);
    });
  });
});
