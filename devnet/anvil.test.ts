import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http } from 'viem';
import { miningCalls, startAnvil, type AnvilChain } from './anvil.js';
import { waitFor } from '../testkit/wait.js';

describe('miningCalls', () => {
  it.each([
    [2, [{ method: 'evm_setIntervalMining', params: [2] }]],
    [12, [{ method: 'evm_setIntervalMining', params: [12] }]],
    [0, [{ method: 'evm_setIntervalMining', params: [0] }, { method: 'evm_setAutomine', params: [true] }]],
  ])('block time %i s', (seconds, calls) => {
    expect(miningCalls(seconds)).toEqual(calls);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %s', (seconds) => {
    expect(() => miningCalls(seconds)).toThrow(/whole number of seconds/);
  });
});

describe('an anvil chain with a block time', () => {
  let chain: AnvilChain | undefined;
  afterAll(async () => {
    await chain?.stop();
  });

  it('mines on its own every second, again after a pause and start from its state, and automines at 0', async () => {
    chain = await startAnvil('t', 31_990, undefined, { stateFile: join(mkdtempSync(join(tmpdir(), 'rwa-anvil-bt-')), 'state.json') });
    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    const blocksWithoutTx = async (what: string) => {
      const from = await client.getBlockNumber({ cacheTime: 0 });
      await waitFor(async () => (await client.getBlockNumber({ cacheTime: 0 })) >= from + 2n, { what, timeoutMs: 10_000 });
    };
    // Automine: no transaction, no block.
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(0n);
    await chain.setBlockTime(1);
    await blocksWithoutTx('two interval blocks');
    await chain.pause();
    await chain.start();
    await blocksWithoutTx('two interval blocks after a restart from the state file');
    // Back to automine: a transaction is in a block as soon as it is sent (anvil's account 0 is unlocked).
    await chain.setBlockTime(0);
    const hash = await client.request({ method: 'eth_sendTransaction', params: [{ from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', to: '0x000000000000000000000000000000000000dEaD', value: '0x1' }] } as never);
    expect(await client.getTransactionReceipt({ hash: hash as `0x${string}` })).toMatchObject({ status: 'success' });
  });
});
