import { describe, expect, it } from 'vitest';
import { zeroAddress, type Hex } from 'viem';
import { appliedKey, ChainWatch } from './chain-watch.js';
import { waitAllApplied, type RoundContext } from './blocks-round.js';
import type { Posted } from './post-load.js';

/** waitAllApplied driven by hand-emitted blocks (no chain: the watches are never started). */
const watches = [new ChainWatch('hub', 1, 'http://127.0.0.1:1', zeroAddress, new Set()), new ChainWatch('spoke', 2, 'http://127.0.0.1:1', zeroAddress, new Set())];
const ctx = { watches } as unknown as RoundContext;
const posted = (nonce: bigint, chainIds: number[]): Posted => ({ id: '0x01', didHash: '0xaa' as Hex, nonce, chainIds, postStart: 0, acceptedAt: 0 });
const block = (w: ChainWatch, nonces: bigint[]) => {
  const keys = nonces.map((n) => appliedKey('0xaa', n));
  for (const k of keys) w.applied.set(k, { block: 1n, seenAt: performance.now() });
  w.emit('block', 1n, keys);
};

describe('waitAllApplied', () => {
  it('resolves true once every settlement is applied on each of its chains, not before', async () => {
    let settled = false;
    const done = waitAllApplied(ctx, [posted(1n, [1, 2]), posted(2n, [2])], performance.now() + 10_000).then((ok) => ((settled = true), ok));
    block(watches[0]!, [1n]);
    block(watches[0]!, [2n]); // nonce 2 on the wrong chain does not count
    block(watches[1]!, [1n]);
    await new Promise((r) => setImmediate(r)); // let any resolution run
    expect(settled).toBe(false);
    block(watches[1]!, [2n]);
    await expect(done).resolves.toBe(true);
  });

  it('resolves at once for what the watch has already seen', async () => {
    await expect(waitAllApplied(ctx, [posted(1n, [1, 2])], performance.now() + 10_000)).resolves.toBe(true);
  });

  it('resolves false at the deadline with something missing', async () => {
    await expect(waitAllApplied(ctx, [posted(9n, [1])], performance.now() + 50)).resolves.toBe(false);
  });

  it('rejects when a watch fails', async () => {
    const p = waitAllApplied(ctx, [posted(10n, [1])], performance.now() + 10_000);
    watches[0]!.emit('failure', new Error('socket closed'));
    await expect(p).rejects.toThrow('socket closed');
  });
});
