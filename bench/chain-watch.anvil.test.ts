import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createWalletClient, http, zeroAddress, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_DEPLOYER_KEY, ANVIL_RELAYER_KEY } from '../schemas/dev-keys.js';
import { startAnvil, type AnvilChain } from '../devnet/anvil.js';
import { waitFor } from '../testkit/wait.js';
import { ChainWatch } from './chain-watch.js';
import { setBlockTime } from './mining.js';

/** The bench's chain watch and mining switch against a real anvil: interval blocks announced, relayer gas counted. */
let chain: AnvilChain;
let watch: ChainWatch;
const relayer = privateKeyToAccount(ANVIL_RELAYER_KEY);

const send = (key: Hex) =>
  createWalletClient({ account: privateKeyToAccount(key), transport: http(chain.rpcUrl) }).sendTransaction({
    to: '0x000000000000000000000000000000000000dEaD',
    value: 1n,
    chain: null,
  });

describe('ChainWatch and setBlockTime on anvil', () => {
  beforeAll(async () => {
    chain = await startAnvil('watch', 31337);
    watch = new ChainWatch('watch', 31337, chain.rpcUrl, zeroAddress, new Set([relayer.address.toLowerCase()]));
    await watch.start();
  });
  afterAll(async () => {
    await watch?.stop();
    await chain?.stop();
  });

  it('under 1-s interval mining, sees blocks come without transactions and counts only the relayer gas', async () => {
    expect(watch.blockGasLimit).toBeGreaterThan(0n);
    const from = watch.head;
    await setBlockTime([chain.rpcUrl], 1);
    await send(ANVIL_RELAYER_KEY);
    await send(ANVIL_DEPLOYER_KEY);
    await waitFor(
      async () => {
        if (watch.failure) throw watch.failure; // shown in the timeout's message
        return watch.window(from, watch.head).some((b) => b.relayerTxs > 0) && watch.window(from, watch.head).length >= 3;
      },
      {
        what: 'the relayer transaction and three blocks announced',
        timeoutMs: 20_000,
      },
    );
    const blocks = watch.window(from, watch.head);
    expect(blocks.reduce((s, b) => s + b.relayerGas, 0n)).toBe(21_000n);
    expect(blocks.reduce((s, b) => s + b.relayerTxs, 0)).toBe(1);
    expect(blocks.filter((b) => b.relayerTxs === 0).length).toBeGreaterThanOrEqual(1);
    expect(blocks.every((b, i) => i === 0 || b.number === blocks[i - 1]!.number + 1n)).toBe(true);
  });

  it('back under automine, a transaction is mined at once and the watch catches up on sync', async () => {
    await setBlockTime([chain.rpcUrl], 0);
    const from = watch.head;
    const hash = await send(ANVIL_RELAYER_KEY);
    const receipt = await createPublicClient({ transport: http(chain.rpcUrl) }).getTransactionReceipt({ hash });
    await watch.sync();
    expect(watch.head).toBeGreaterThanOrEqual(receipt.blockNumber);
    const block = watch.blocks.find((b) => b.number === receipt.blockNumber)!;
    expect(block.relayerGas).toBe(21_000n);
    expect(watch.window(from, watch.head).reduce((s, b) => s + b.relayerTxs, 0)).toBe(1);
  });
});
