import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.js';

/** A read whose answer the test hands out; counts how often the chain was asked. */
function gatedRead() {
  let asked = 0;
  const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  const read = () => {
    asked += 1;
    return new Promise<number>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { read, asked: () => asked, answer: (v: number) => pending.shift()!.resolve(v), fail: (e: Error) => pending.shift()!.reject(e) };
}

describe('InFlight (core/chain/in-flight.ts)', () => {
  it('callers with one key while a read is in flight share it; another key asks on its own', async () => {
    const counted: string[] = [];
    const f = new InFlight((o) => counted.push(o));
    const g = gatedRead();
    const a = f.run('did-1', g.read);
    const b = f.run('did-1', g.read);
    const other = f.run('did-2', g.read);
    expect(g.asked()).toBe(2);
    g.answer(7);
    g.answer(9);
    expect([await a, await b, await other]).toEqual([7, 7, 9]);
    expect(counted).toEqual(['asked', 'shared', 'asked']);
  });

  it('keeps nothing once the read settled: the next caller asks the chain again', async () => {
    const f = new InFlight();
    const g = gatedRead();
    const first = f.run('k', g.read);
    g.answer(1);
    expect(await first).toBe(1);
    const second = f.run('k', g.read);
    expect(g.asked()).toBe(2);
    g.answer(2);
    expect(await second).toBe(2);
  });

  it('hands a failed read to every caller that shared it, and the next caller asks again', async () => {
    const f = new InFlight();
    const g = gatedRead();
    const a = f.run('k', g.read);
    const b = f.run('k', g.read);
    g.fail(new Error('ECONNREFUSED'));
    await expect(a).rejects.toThrow('ECONNREFUSED');
    await expect(b).rejects.toThrow('ECONNREFUSED');
    const c = f.run('k', g.read);
    expect(g.asked()).toBe(2);
    g.answer(3);
    expect(await c).toBe(3);
  });
});
