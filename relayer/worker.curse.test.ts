import { describe, expect, it } from 'vitest';
import { ContractFunctionRevertedError, encodeErrorResult } from 'viem';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { CHAIN, NOW, ScriptedTransport, setup } from '../testkit/relayer-worker.js';
import { CURSED_REASON, CurseFlag } from './curse.js';
import { createStatusApp } from './http.js';

const chainCursed = () =>
  new ContractFunctionRevertedError({ abi: rwaReceiverAbi, functionName: 'receiveMessage', data: encodeErrorResult({ abi: rwaReceiverAbi, errorName: 'ChainCursed' }) });

const gauge = async (w: ReturnType<typeof setup>, name: string) => (await w.metrics.registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.chain === String(CHAIN))?.value;

describe('ChainWorker under a curse', () => {
  it('holds a job whose delivery reverts ChainCursed: no attempt burnt, never dead-lettered, however often', async () => {
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp]);
    w.add(1, 'cctp');
    cctp.simulateReverts.set('1', [chainCursed(), chainCursed(), chainCursed(), chainCursed(), chainCursed()]);
    for (let i = 0; i < 5; i++) {
      await w.worker.process(w.job(1));
      expect(w.job(1)).toMatchObject({ state: 'pending', attempts: 0, lastError: CURSED_REASON });
    }
    expect(w.worker.blocked()?.reason).toBe(CURSED_REASON);
    expect(await gauge(w, 'relayer_chain_cursed')).toBe(1);
    expect(await gauge(w, 'relayer_held_jobs')).toBe(1);
    expect(cctp.calls.filter((c) => c.startsWith('submit'))).toEqual([]);
    await w.worker.process(w.job(1));
    expect(w.job(1).state).toBe('confirmed');
    expect(await gauge(w, 'relayer_chain_cursed')).toBe(0);
  });

  it('reads the flag before a pass: while cursed nothing is touched; after the uncurse the backlog goes in order', async () => {
    let cursed = true;
    let t = NOW;
    const flag = new CurseFlag(async () => cursed, 1_000, () => t, (err) => {
      throw err;
    });
    const cctp = new ScriptedTransport('cctp');
    const w = setup([cctp], { curse: flag });
    for (const seq of [1, 2, 3]) w.add(seq, 'cctp');

    expect(await w.worker.cursed()).toBe(true);
    expect(w.worker.blocked()?.reason).toBe(CURSED_REASON);
    expect(await gauge(w, 'relayer_held_jobs')).toBe(3);
    expect(cctp.calls).toEqual([]);

    const app = createStatusApp(w.outbox, w.metrics, [CHAIN], undefined, () => w.worker.blocked());
    const queues = (await (await app.request('/v1/queues')).json()) as { chains: { cursed: boolean; held: number }[] };
    expect(queues.chains[0]).toMatchObject({ cursed: true, held: 3 });
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok', cursedChains: [CHAIN] });

    // Lifted: the cached read answers until its ttl ends, then the chain opens.
    cursed = false;
    expect(await w.worker.cursed()).toBe(true);
    t += 1_000;
    expect(await w.worker.cursed()).toBe(false);
    expect(w.worker.blocked()).toBeUndefined();
    expect(await gauge(w, 'relayer_chain_cursed')).toBe(0);
    expect(await gauge(w, 'relayer_held_jobs')).toBe(0);
    for (let i = 0; i < 3; i++) await w.step();
    expect([1, 2, 3].map((s) => w.job(s).state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(cctp.calls.filter((c) => c.startsWith('submit'))).toEqual(['submit:1', 'submit:2', 'submit:3']);
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok', cursedChains: [] });
  });
});
