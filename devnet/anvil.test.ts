import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, type Hex } from 'viem';
import { checkBlockTime, startAnvil, type AnvilChain } from './anvil.js';
import { waitFor } from '../testkit/wait.js';

describe('checkBlockTime', () => {
  it.each([0, 2, 12])('takes %i s', (seconds) => {
    expect(checkBlockTime(seconds)).toBe(seconds);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %s', (seconds) => {
    expect(() => checkBlockTime(seconds)).toThrow(/whole number of seconds/);
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
    // Back to automine: what was pending is mined at once, and a new transaction as soon as it is sent (anvil's
    // account 0 is unlocked). A block time long enough that nothing is mined by the interval meanwhile.
    const send = async () =>
      (await client.request({ method: 'eth_sendTransaction', params: [{ from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', to: '0x000000000000000000000000000000000000dEaD', value: '0x1' }] } as never)) as Hex;
    await chain.setBlockTime(3_600);
    const pending = await send();
    await chain.setBlockTime(0);
    expect(await client.getTransactionReceipt({ hash: pending })).toMatchObject({ status: 'success' });
    // Anvil answers the send before its automined block is stored: wait for the receipt (with the interval off, only
    // automine can mine it).
    const sent = await send();
    expect(await client.waitForTransactionReceipt({ hash: sent, timeout: 10_000, pollingInterval: 50 })).toMatchObject({ status: 'success' });
  });
});
