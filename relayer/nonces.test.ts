import { describe, expect, it } from 'vitest';
import { BaseError, NonceTooLowError, type Address, type PublicClient } from 'viem';
import { NonceManager, isNonceRefusal } from './nonces.js';

const ACCOUNT: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

/** A node double (unit test): its pending count, and how many times it was asked. */
function node(pending: number) {
  const n = { pending, reads: 0 };
  const client = { getTransactionCount: async () => (n.reads++, n.pending) } as unknown as PublicClient;
  return { n, client };
}
const tooLow = () => new BaseError('send failed', { cause: new NonceTooLowError({ nonce: 1 }) });

describe('NonceManager: a local nonce tracker per (chain, account)', () => {
  it('reads the node once, then hands out consecutive nonces', async () => {
    const { n, client } = node(5);
    const m = new NonceManager();
    const got = await Promise.all([1, 2, 3].map(() => m.send(client, 1, ACCOUNT, async (nonce) => nonce)));
    expect(got).toEqual([5, 6, 7]);
    expect(n.reads).toBe(1);
  });

  it('reads the node again when it refuses a nonce (another sender used the account) and sends on', async () => {
    const { n, client } = node(3);
    const m = new NonceManager();
    await m.send(client, 1, ACCOUNT, async (nonce) => nonce);
    n.pending = 9;
    const tried: number[] = [];
    const got = await m.send(client, 1, ACCOUNT, async (nonce) => {
      tried.push(nonce);
      if (nonce < 9) throw tooLow();
      return nonce;
    });
    expect(tried).toEqual([4, 9]);
    expect(got).toBe(9);
    expect(await m.send(client, 1, ACCOUNT, async (nonce) => nonce)).toBe(10);
  });

  it('gives up after three refusals, and forgets its count after any failed send', async () => {
    const { n, client } = node(1);
    const m = new NonceManager();
    await expect(m.send(client, 1, ACCOUNT, async () => Promise.reject(tooLow()))).rejects.toBeInstanceOf(BaseError);
    expect(n.reads).toBe(3);
    await expect(m.send(client, 1, ACCOUNT, async () => Promise.reject(new Error('rpc down')))).rejects.toThrow('rpc down');
    expect(n.reads).toBe(4);
    await m.send(client, 1, ACCOUNT, async (nonce) => nonce);
    expect(n.reads).toBe(5);
  });

  it('reads the node on the next send after resync (a watched transaction vanished)', async () => {
    const { n, client } = node(2);
    const m = new NonceManager();
    await m.send(client, 1, ACCOUNT, async (nonce) => nonce);
    m.resync(1, ACCOUNT);
    n.pending = 2;
    expect(await m.send(client, 1, ACCOUNT, async (nonce) => nonce)).toBe(2);
    expect(n.reads).toBe(2);
  });

  it.each([
    ['nonce too low (typed)', tooLow(), true],
    ['replacement underpriced', new Error('replacement transaction underpriced'), true],
    ['already known', new Error('already known'), true],
    ['a revert', new Error('execution reverted: NonceAlreadyUsed'), false],
  ])('isNonceRefusal: %s -> %s', (_n, err, expected) => {
    expect(isNonceRefusal(err)).toBe(expected);
  });
});
