import { describe, expect, it } from 'vitest';
import { ReadCache } from './cache.js';
import { ConcurrencyBudget } from './budget.js';
import { TokenBuckets } from './limiter.js';
import { FrozenBodies } from './frozen.js';

/** A promise with its resolve/reject handles: loads the test finishes when it chooses. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('ReadCache', () => {
  it('lets concurrent readers of a key share one load, and serves it until ttl after the load began', async () => {
    let now = 0;
    const outcomes: string[] = [];
    const cache = new ReadCache<number>({ ttlMs: 1_000, maxEntries: 10, now: () => now, onOutcome: (o) => outcomes.push(o) });
    let loads = 0;
    const gate = deferred<number>();
    const load = () => (loads++, gate.promise);
    const readers = Array.from({ length: 50 }, () => cache.get('k', load));
    gate.resolve(7);
    expect(await Promise.all(readers)).toEqual(Array(50).fill(7));
    expect(loads).toBe(1);
    now = 999;
    expect(await cache.get('k', async () => (loads++, 8))).toBe(7);
    now = 1_000;
    expect(await cache.get('k', async () => (loads++, 8))).toBe(8);
    expect(loads).toBe(2);
    expect(outcomes.filter((o) => o === 'shared')).toHaveLength(49);
  });

  it('does not join a load begun ttl ago or more: a reader never gets state older than ttl', async () => {
    let now = 0;
    const cache = new ReadCache<string>({ ttlMs: 100, maxEntries: 10, now: () => now });
    const slow = deferred<string>();
    const first = cache.get('k', () => slow.promise);
    now = 100;
    const second = cache.get('k', async () => 'fresh');
    expect(await second).toBe('fresh');
    slow.resolve('old');
    expect(await first).toBe('old');
    // The late, older load does not replace the newer value.
    expect(await cache.get('k', async () => 'unused')).toBe('fresh');
  });

  it('keeps no failed load: its waiters get the error, the next reader loads again', async () => {
    const cache = new ReadCache<number>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    const gate = deferred<number>();
    const a = cache.get('k', () => gate.promise);
    const b = cache.get('k', async () => 2);
    gate.reject(new Error('rpc down'));
    await expect(a).rejects.toThrow('rpc down');
    await expect(b).rejects.toThrow('rpc down');
    expect(await cache.get('k', async () => 3)).toBe(3);
  });

  it('keeps at most maxEntries keys, dropping the oldest', async () => {
    const cache = new ReadCache<number>({ ttlMs: 1_000, maxEntries: 2, now: () => 0 });
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => 1);
    let reloaded = false;
    await cache.get('a', async () => ((reloaded = true), 1));
    expect(reloaded).toBe(true);
  });
});

describe('ConcurrencyBudget', () => {
  it('never holds more than its limit in flight, and runs every call', async () => {
    const budget = new ConcurrencyBudget(3);
    let inFlight = 0;
    let peak = 0;
    const gates = Array.from({ length: 20 }, () => deferred<void>());
    const runs = gates.map((g, i) =>
      budget.run(async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await g.promise;
        inFlight--;
        return i;
      }),
    );
    expect(budget.inFlight).toBe(3);
    expect(budget.queued).toBe(17);
    for (const g of gates) g.resolve();
    expect(await Promise.all(runs)).toEqual([...Array(20).keys()]);
    expect(peak).toBe(3);
    expect(budget.inFlight).toBe(0);
  });
});

describe('TokenBuckets', () => {
  it.each([
    // rate/s, burst, takes at t=0 that succeed, Retry-After of the next (s)
    [10, 20, 20, 1],
    [0.5, 1, 1, 2],
    [0.1, 3, 3, 10],
  ])('rate %s burst %s: %s reads pass, then Retry-After %s s', (rate, burst, passes, retryAfter) => {
    const b = new TokenBuckets({ rate, burst });
    for (let i = 0; i < passes; i++) expect(b.take('c', 0)).toEqual({ ok: true });
    expect(b.take('c', 0)).toEqual({ ok: false, retryAfterSeconds: retryAfter });
    // After Retry-After the client has a token again.
    expect(b.take('c', retryAfter * 1000)).toEqual({ ok: true });
  });

  it('takes a charge after the fact into debt, repaid at the rate before the next take passes', () => {
    const b = new TokenBuckets({ rate: 2, burst: 4 });
    expect(b.take('c', 0)).toEqual({ ok: true }); // 3 left
    b.charge('c', 7, 0); // -4
    expect(b.take('c', 0)).toEqual({ ok: false, retryAfterSeconds: 3 }); // (1 - -4) / 2 = 2.5 s, rounded up
    expect(b.take('c', 2_499).ok).toBe(false);
    expect(b.take('c', 2_500)).toEqual({ ok: true });
  });

  it('keeps each client apart', () => {
    const b = new TokenBuckets({ rate: 1, burst: 1 });
    expect(b.take('a', 0).ok).toBe(true);
    expect(b.take('a', 0).ok).toBe(false);
    expect(b.take('b', 0).ok).toBe(true);
  });
});

describe('FrozenBodies', () => {
  const body = (n: number) => new Uint8Array(new ArrayBuffer(n));
  it('keeps bodies within its byte budget, dropping the least recently read first', () => {
    const kept = new FrozenBodies(30);
    const a = body(10);
    kept.keep('a', a);
    kept.keep('b', body(10));
    kept.keep('c', body(10));
    expect(kept.get('a')).toBe(a); // read: now the most recent
    kept.keep('d', body(10)); // 40 bytes: 'b', the least recently read, goes
    expect(kept.get('b')).toBeUndefined();
    expect([kept.get('a'), kept.get('c'), kept.get('d')].every((x) => x !== undefined)).toBe(true);
    expect(kept.size).toBe(3);
  });
  it('keeps the first body under a key, and none larger than the whole budget', () => {
    const kept = new FrozenBodies(30);
    const first = body(5);
    kept.keep('k', first);
    kept.keep('k', body(6));
    expect(kept.get('k')).toBe(first);
    kept.keep('big', body(31));
    expect(kept.get('big')).toBeUndefined();
    expect(kept.get('k')).toBe(first);
  });
});
