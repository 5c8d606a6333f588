import { describe, expect, it } from 'vitest';
import { Counter, postAccepted } from './post.js';

/** A fake oracle answering the given statuses in turn (the last one repeats). */
function oracle(statuses: number[]) {
  const calls: unknown[] = [];
  const post = async (_url: string, body: unknown) => {
    calls.push(body);
    const status = statuses[Math.min(calls.length - 1, statuses.length - 1)]!;
    return { status, json: status === 503 ? { error: { code: 'chain_unavailable' } } : { id: '0x01', nonce: '7' } };
  };
  return { post, calls };
}

describe('postAccepted', () => {
  it('retries a 503 with the same body until the request is accepted', async () => {
    const o = oracle([503, 503, 201]);
    const body = { ref: 'A' };
    expect(await postAccepted('http://oracle/v1/settlements', body, 5_000, o.post)).toEqual({ status: 201, json: { id: '0x01', nonce: '7' } });
    expect(o.calls).toEqual([body, body, body]);
  });

  it('takes a 200 repeat as accepted', async () => {
    expect((await postAccepted('http://o', {}, 5_000, oracle([200]).post)).status).toBe(200);
  });

  it('throws at once on a refusal, naming the status', async () => {
    const o = oracle([422]);
    await expect(postAccepted('http://o/v1/nav', {}, 5_000, o.post)).rejects.toThrow(/POST http:\/\/o\/v1\/nav answered 422/);
    expect(o.calls).toHaveLength(1);
  });

  it('gives up at its deadline while the oracle keeps answering 503', async () => {
    await expect(postAccepted('http://o', {}, 200, oracle([503]).post)).rejects.toThrow(/timed out waiting for POST http:\/\/o accepted.*\(last answer: 503 .*chain_unavailable/);
  });
});

describe('Counter', () => {
  it('resolves each wait once the count reaches it', async () => {
    const c = new Counter();
    const seen: number[] = [];
    const waits = [c.reached(2).then(() => seen.push(2)), c.reached(1).then(() => seen.push(1)), c.reached(0).then(() => seen.push(0))];
    await Promise.resolve();
    expect(seen).toEqual([0]);
    c.add();
    c.add();
    await Promise.all(waits);
    expect(seen).toEqual([0, 1, 2]);
    expect(c.value).toBe(2);
  });

  it('rejects pending and later waits once failed', async () => {
    const c = new Counter();
    const pending = c.reached(5);
    c.fail(new Error('posting failed'));
    await expect(pending).rejects.toThrow('posting failed');
    await expect(c.reached(1)).rejects.toThrow('posting failed');
  });
});
