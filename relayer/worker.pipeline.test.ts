import { describe, expect, it } from 'vitest';
import { ContractFunctionRevertedError, encodeErrorResult } from 'viem';
import { rwaHoldingsAbi } from '../schemas/abi.js';
import { BatchScriptedTransport, NOW, ScriptedTransport, setup } from '../testkit/relayer-worker.js';

const DID_A = `0x${'aa'.repeat(32)}`;
const DID_B = `0x${'bb'.repeat(32)}`;
const notAllowListed = () =>
  new ContractFunctionRevertedError({
    abi: rwaHoldingsAbi,
    functionName: 'receiveMessage',
    data: encodeErrorResult({ abi: rwaHoldingsAbi, errorName: 'NotAllowListed', args: ['0x90F79bf6EB2c4f870365E785982E1f101E93b906'] }),
  });
const sends = (t: ScriptedTransport) => t.calls.filter((c) => c.startsWith('submit'));

describe('ChainWorker: pipelined and batched delivery', () => {
  it.each([
    [1, 1, ['submit:1']],
    [3, 3, ['submitBatch:1,2,3']],
    [7, 3, ['submitBatch:1,2,3', 'submitBatch:4,5,6', 'submit:7']],
  ])('delivers %i settlements of one DID in batches of at most %i, in oracle order, in one pass', async (n, maxBatch, expected) => {
    const cctp = new BatchScriptedTransport('cctp');
    const w = setup([cctp], { pipeline: { maxInFlight: 8, maxBatch } });
    for (let s = 1; s <= n; s++) w.add(s, 'cctp', null, 'settlement', DID_A);
    await w.tick();
    expect(sends(cctp)).toEqual(expected);
    for (let s = 1; s <= n; s++) expect(w.job(s).state).toBe('confirmed');
    const hist = (await w.metrics.batchSize.get()).values.find((v) => v.metricName === 'relayer_batch_size_count');
    expect(hist?.value ?? 0).toBe(expected.filter((c) => c.startsWith('submitBatch')).length);
  });

  it('mixes kinds and DIDs in one batch, but a NAV waits for its DID’s earlier settlements to be finished', async () => {
    const cctp = new BatchScriptedTransport('cctp');
    const w = setup([cctp], { pipeline: { maxInFlight: 8, maxBatch: 16 } });
    w.add(1, 'cctp', null, 'settlement', DID_A);
    w.add(2, 'cctp', null, 'nav', DID_B);
    w.add(3, 'cctp', null, 'nav', DID_A);
    w.add(4, 'cctp', null, 'settlement', DID_B);
    w.add(5, 'cctp', null, 'reserve', DID_A);
    await w.tick();
    expect(sends(cctp)).toEqual(['submitBatch:1,2,4,5']);
    expect(w.job(3).state).toBe('pending');
    await w.tick();
    expect(sends(cctp)).toEqual(['submitBatch:1,2,4,5', 'submit:3']);
    expect([1, 2, 3, 4, 5].map((s) => w.job(s).state)).toEqual(Array(5).fill('confirmed'));
  });

  it('cuts a batch that would not fit a block; the rest goes in the next pass', async () => {
    const cctp = new BatchScriptedTransport('cctp');
    cctp.maxItems = 2;
    const w = setup([cctp], { pipeline: { maxInFlight: 1, maxBatch: 5 } });
    for (let s = 1; s <= 5; s++) w.add(s, 'cctp', null, 'settlement', DID_A);
    await w.tick();
    expect(sends(cctp)).toEqual(['submitBatch:1,2']);
    await w.tick();
    await w.tick();
    expect(sends(cctp)).toEqual(['submitBatch:1,2', 'submitBatch:3,4', 'submit:5']);
    expect([1, 2, 3, 4, 5].every((s) => w.job(s).state === 'confirmed')).toBe(true);
  });

  it('finds the item a batch reverts on, sends the rest, and lets it wait as a single delivery would', async () => {
    const cctp = new BatchScriptedTransport('cctp');
    const w = setup([cctp], { pipeline: { maxInFlight: 4, maxBatch: 8 } });
    for (let s = 1; s <= 4; s++) w.add(s, 'cctp', null, 'settlement', s === 3 ? DID_B : DID_A);
    cctp.simulateReverts.set('3', [notAllowListed()]);
    await w.tick();
    expect(cctp.calls.filter((c) => c.startsWith('simulate'))).toEqual(['simulateBatch:1,2,3,4', 'simulate:1', 'simulate:2', 'simulate:3', 'simulate:4', 'simulateBatch:1,2,4']);
    expect(sends(cctp)).toEqual(['submitBatch:1,2,4']);
    expect(w.job(3)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'reverted: NotAllowListed', nextAttemptAt: NOW + 2_000 });
    expect(w.outbox.deadLetters()).toEqual([]);
  });

  it('after a restart follows a batch sent before the crash: confirms what landed, sends nothing again', async () => {
    const cctp = new BatchScriptedTransport('cctp');
    const before = setup([cctp], { pipeline: { maxInFlight: 4, maxBatch: 8 } });
    for (let s = 1; s <= 3; s++) before.add(s, 'cctp', null, 'settlement', DID_A);
    const sent = await cctp.submitBatch([1, 2, 3].map((s) => before.job(s)));
    for (let s = 1; s <= 3; s++) before.outbox.markSubmitted(before.job(s).id, sent, NOW);
    // The crash: the process is gone; a new worker on the same outbox.
    const after = setup([cctp], { pipeline: { maxInFlight: 4, maxBatch: 8 }, outbox: before.outbox });
    await after.tick();
    expect(sends(cctp)).toEqual(['submitBatch:1,2,3']);
    expect([1, 2, 3].map((s) => after.job(s).state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
  });

  it('replaces a batch not mined within the wait: same nonce, escalated fees, items already applied left out', async () => {
    const cctp = new BatchScriptedTransport('cctp');
    const w = setup([cctp], { pipeline: { maxInFlight: 4, maxBatch: 8 } });
    for (let s = 1; s <= 3; s++) w.add(s, 'cctp', null, 'settlement', DID_A);
    cctp.receipts = [{ status: 'unknown' }, { status: 'unknown' }, { status: 'success' }];
    await w.tick();
    expect(w.job(1)).toMatchObject({ state: 'submitted', txNonce: 81, maxFeePerGas: '100' });
    // Item 2 was applied meanwhile by another of our transactions (say, before a crash).
    cctp.applied.add('2');
    w.advance(1_000);
    await w.tick();
    expect(sends(cctp)).toEqual(['submitBatch:1,2,3', 'submitBatch:1,3:replace@81']);
    expect([1, 2, 3].map((s) => w.job(s).state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(w.job(1)).toMatchObject({ txNonce: 81, maxFeePerGas: '200' });
  });

  it('without batched delivery sends one job per transaction, many at once (other DIDs do not wait)', async () => {
    const ccip = new ScriptedTransport('ccip');
    const w = setup([ccip], { pipeline: { maxInFlight: 8, maxBatch: 8 } });
    w.add(1, 'ccip', null, 'settlement', DID_A);
    w.add(2, 'ccip', null, 'settlement', DID_B);
    w.add(3, 'ccip', null, 'settlement', DID_A);
    expect(await w.tick()).toBe(2);
    expect(sends(ccip).sort()).toEqual(['submit:1', 'submit:2']);
    await w.tick();
    expect(sends(ccip)).toHaveLength(3);
    expect(w.job(3).state).toBe('confirmed');
  });

  it('keeps at most maxInFlight tasks', async () => {
    const cctp = new BatchScriptedTransport('cctp');
    const w = setup([cctp], { pipeline: { maxInFlight: 2, maxBatch: 1 } });
    for (let s = 1; s <= 5; s++) w.add(s, 'cctp', null, 'nav', `0x${String(s).repeat(64)}`);
    expect(await w.tick()).toBe(2);
    expect(sends(cctp)).toEqual(['submit:1', 'submit:2']);
  });
});
