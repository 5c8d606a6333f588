import { describe, expect, it } from 'vitest';
import { ContractFunctionRevertedError, encodeErrorResult, HttpRequestError, InsufficientFundsError, BaseError, type Hex } from 'viem';
import { rwaHoldingsAbi } from '../schemas/abi.js';
import { CHAIN, NOW, ScriptedTransport, setup } from '../testkit/relayer-worker.js';
import { FeeCapReachedError } from './transports/send.js';
import { CcipExecutionFailedError } from './transports/ccip/executor.js';
import { createStatusApp } from './http.js';
import { GOVERNANCE_DID_HASH } from './store/outbox.js';

const DID_A = `0x${'aa'.repeat(32)}`;
const DID_B = `0x${'bb'.repeat(32)}`;

const capExceeded = () =>
  new ContractFunctionRevertedError({
    abi: rwaHoldingsAbi,
    functionName: 'receiveMessage',
    data: encodeErrorResult({ abi: rwaHoldingsAbi, errorName: 'SupplyCapExceeded', args: [10n, 5n, 12n] }),
  });

const submits = (t: ScriptedTransport) => t.calls.filter((c) => c.startsWith('submit'));

describe('ChainWorker: order per DID on a chain', () => {
  it("lets another DID's NAV and settlements through while one DID's settlement waits on its cap, alone and never dead-lettered", async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    w.add(1, 'cctp', null, 'settlement', DID_A);
    w.add(2, 'cctp', null, 'nav', DID_B);
    w.add(3, 'cctp', null, 'settlement', DID_A);
    w.add(4, 'cctp', null, 'settlement', DID_B);
    cctp.simulateReverts.set('1', Array.from({ length: 20 }, capExceeded));
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'reverted: SupplyCapExceeded', nextAttemptAt: NOW + 2_000 });
    // DID B goes on; DID A's later settlement waits behind its first.
    await w.step();
    await w.step();
    expect(w.job(2).state).toBe('confirmed');
    expect(w.job(4).state).toBe('confirmed');
    expect(w.job(3).state).toBe('pending');
    expect(w.outbox.head(CHAIN)?.seq).toBe(1);
    // Far past the message attempt limit (3 here): still waiting, with a capped growing delay.
    for (let i = 0; i < 12; i++) await w.step();
    expect(w.job(1)).toMatchObject({ state: 'pending', attempts: 13, nextAttemptAt: NOW + 60_000 });
    expect(w.outbox.deadLetters()).toEqual([]);
    // The cap was raised (a reserve attestation): A's settlements apply in order.
    cctp.simulateReverts.delete('1');
    await w.step();
    await w.step();
    expect([w.job(1).state, w.job(3).state]).toEqual(['confirmed', 'confirmed']);
    expect(submits(cctp)).toEqual(['submit:2', 'submit:4', 'submit:1', 'submit:3']);
  });

  it('holds every DID behind an unfinished governance rotation (DID 0)', async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    w.add(1, 'cctp', null, 'config', GOVERNANCE_DID_HASH);
    w.add(2, 'cctp', null, 'config', DID_B);
    cctp.simulateReverts.set('1', [capExceeded()]);
    await w.step();
    expect(w.job(1).state).toBe('pending');
    expect(w.outbox.head(CHAIN)?.seq).toBe(1);
  });

  it('shows the waiting DID in the status API and its metric', async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    w.add(1, 'cctp', null, 'settlement', DID_A);
    cctp.simulateReverts.set('1', [capExceeded()]);
    await w.step();
    const app = createStatusApp(w.outbox, w.metrics, [CHAIN], undefined, () => w.worker.blocked());
    const body = (await (await app.request('/v1/queues')).json()) as { chains: { blocked: unknown; waiting: { did: string; kind: string; lastError: string; attempts: number }[] }[] };
    expect(body.chains[0]).toMatchObject({ blocked: null, waiting: [{ did: w.job(1).did, kind: 'settlement', lastError: 'reverted: SupplyCapExceeded', attempts: 1 }] });
  });
});

describe('ChainWorker: chain-wide conditions block the chain, burn no attempt, dead-letter nothing', () => {
  const insufficientFunds = () => new BaseError('send failed', { cause: new InsufficientFundsError() });
  it.each([
    ['an empty gas wallet', insufficientFunds, /^gas wallet: insufficient funds/],
    ['fees above the cap', () => new FeeCapReachedError('network maxFeePerGas 900 is above the cap 500'), /^fee cap:/],
    ['an RPC outage', () => new HttpRequestError({ url: 'http://127.0.0.1:1', details: 'ECONNREFUSED' }), /^rpc:/],
  ])('%s', async (_name, fault, reason) => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    w.add(1, 'cctp', null, 'nav', DID_A);
    w.add(2, 'cctp', null, 'nav', DID_B);
    const failing = cctp.submit.bind(cctp);
    let faults = 10;
    cctp.submit = async (job, replace) => {
      if (faults-- > 0) throw fault();
      return failing(job, replace);
    };
    for (let i = 0; i < 10; i++) await w.step();
    expect(w.job(1)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(w.job(2)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(w.job(1).lastError).toMatch(reason);
    expect(w.worker.blocked()?.reason).toMatch(reason);
    expect((await w.metrics.chainBlocked.get()).values[0]?.value).toBe(1);
    const app = createStatusApp(w.outbox, w.metrics, [CHAIN], undefined, () => w.worker.blocked());
    const body = (await (await app.request('/v1/queues')).json()) as { chains: { blocked: { reason: string } | null }[] };
    expect(body.chains[0]?.blocked?.reason).toMatch(reason);
    expect(w.outbox.deadLetters()).toEqual([]);
    // The condition clears: deliveries go on and the block lifts.
    await w.step();
    await w.step();
    expect([w.job(1).state, w.job(2).state]).toEqual(['confirmed', 'confirmed']);
    expect(w.worker.blocked()).toBeUndefined();
    expect((await w.metrics.chainBlocked.get()).values[0]?.value).toBe(0);
  });
});

describe('ChainWorker: a CCIP execution that ends FAILURE', () => {
  it('is executed again over its one send, then parked with its reason and an alert', async () => {
    const ccip = new ScriptedTransport('ccip');
    const w = setup([ccip]);
    w.add(1, 'ccip', null, 'settlement', DID_A);
    w.add(2, 'ccip', null, 'nav', DID_A);
    const failure = () => new CcipExecutionFailedError(`0x${'cd'.repeat(32)}`, 'FAILURE');
    ccip.receipts = [failure(), failure(), failure()];
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'submitted', attempts: 1 });
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'submitted', attempts: 2 });
    await w.step();
    expect(w.job(1).state).toBe('parked');
    expect(w.job(1).lastError).toMatch(/^parked after 3 failed CCIP executions: CCIP message 0xcdcd.* execution ended FAILURE/);
    expect((await w.metrics.ccipExecutionParked.get()).values[0]?.value).toBe(1);
    // One send; every later pass executed the same message again.
    expect(submits(ccip)).toEqual(['submit:1']);
    // Nothing is left in flight behind it.
    await w.step();
    expect(w.job(2).state).toBe('confirmed');
  });
});

describe('ChainWorker: a delivery is confirmed by its message, not by its nonce', () => {
  it('dead-letters with an alarm a job whose nonce another message used on chain', async () => {
    const cctp = new ScriptedTransport('cctp');
    const other = `0x${'0f'.repeat(32)}` as Hex;
    const w = setup([cctp], { appliedBy: () => ({ by: 'other', txHash: other }) });
    w.add(1, 'cctp', null, 'settlement', DID_A);
    cctp.applied.add('1');
    await w.step();
    expect(w.job(1).state).toBe('dead');
    expect(w.job(1).lastError).toBe(`nonce 1 used on chain ${CHAIN} by another message (tx ${other})`);
    expect((await w.metrics.nonceConflicts.get()).values[0]?.value).toBe(1);
    expect(submits(cctp)).toEqual([]);
  });

  it('does not confirm a used nonce whose applying message it cannot find', async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp], { appliedBy: () => ({ by: 'unknown' }) });
    w.add(1, 'cctp', null, 'settlement', DID_A);
    cctp.applied.add('1');
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(w.job(1).lastError).toMatch(/no transaction applying it was found/);
  });
});

describe('ChainWorker: what heals a waiting DID is not queued behind it', () => {
  it("delivers the DID's resume past its settlement that waits on the pause, then the settlement", async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    const paused = () =>
      new ContractFunctionRevertedError({
        abi: rwaHoldingsAbi,
        functionName: 'mint',
        data: encodeErrorResult({ abi: rwaHoldingsAbi, errorName: 'AssetPaused', args: [] }),
      });
    w.add(1, 'cctp', null, 'settlement', DID_A);
    w.add(2, 'cctp', null, 'nav', DID_A);
    w.add(3, 'cctp', null, 'pause', DID_A);
    cctp.simulateReverts.set('1', [paused()]);
    await w.step();
    expect(w.job(1)).toMatchObject({ state: 'pending', lastError: 'reverted: AssetPaused' });
    // The NAV stays behind the settlement; the resume goes.
    expect(w.outbox.head(CHAIN)?.seq).toBe(3);
    await w.step();
    expect(w.job(3).state).toBe('confirmed');
    await w.step();
    await w.step();
    expect([w.job(1).state, w.job(2).state]).toEqual(['confirmed', 'confirmed']);
    expect(submits(cctp)).toEqual(['submit:3', 'submit:1', 'submit:2']);
  });
});
