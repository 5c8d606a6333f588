import { describe, expect, it } from 'vitest';
import { CurseFlag } from './curse.js';

describe('CurseFlag', () => {
  const setup = (answers: (boolean | Error)[]) => {
    let t = 0;
    let reads = 0;
    const errors: unknown[] = [];
    const flag = new CurseFlag(
      async () => {
        const a = answers[Math.min(reads++, answers.length - 1)]!;
        if (a instanceof Error) throw a;
        return a;
      },
      1_000,
      () => t,
      (err) => errors.push(err),
    );
    return { flag, advance: (ms: number) => (t += ms), reads: () => reads, errors };
  };

  it('reads once per ttl and answers from the cache in between', async () => {
    const s = setup([true, false]);
    expect(await s.flag.cursed()).toBe(true);
    s.advance(999);
    expect(await s.flag.cursed()).toBe(true);
    expect(s.reads()).toBe(1);
    s.advance(1);
    expect(await s.flag.cursed()).toBe(false);
    expect(s.reads()).toBe(2);
  });

  it('reads again at once after invalidate', async () => {
    const s = setup([false, true]);
    expect(await s.flag.cursed()).toBe(false);
    s.flag.invalidate();
    expect(await s.flag.cursed()).toBe(true);
  });

  it('answers unknown and reports the error when the read fails', async () => {
    const s = setup([new Error('rpc down'), true]);
    expect(await s.flag.cursed()).toBeUndefined();
    expect(s.errors).toHaveLength(1);
    s.advance(1_000);
    expect(await s.flag.cursed()).toBe(true);
  });
});
