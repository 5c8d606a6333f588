import { describe, expect, it } from 'vitest';
import { parseReceipts } from './chain-watch.js';
import { parseAccepted } from './post-load.js';

describe('parseAccepted (201 of POST /v1/settlements)', () => {
  it('takes the id, DID hash, nonce and every destination chain once', () => {
    const got = parseAccepted({ id: '0xab', didHash: '0xcd', nonce: '7', deliveries: [{ chainId: 31338 }, { chainId: 31338, transport: 'ccip' }, { chainId: 31339 }] });
    expect(got).toEqual({ id: '0xab', didHash: '0xcd', nonce: 7n, chainIds: [31338, 31339] });
  });

  it.each([{}, { id: '0xab', didHash: '0xcd', nonce: 7, deliveries: [{ chainId: 1 }] }, { id: '0xab', didHash: '0xcd', nonce: '7', deliveries: [] }, { id: '0xab', didHash: '0xcd', nonce: '7', deliveries: [{ chainId: '1' }] }, null])(
    'refuses %j',
    (json) => expect(() => parseAccepted(json)).toThrow(/unexpected 201 answer/),
  );
});

describe('parseReceipts (eth_getBlockReceipts)', () => {
  it('lower-cases the sender and reads gasUsed as a bigint', () => {
    expect(parseReceipts([{ from: '0xAbC', gasUsed: '0x5208', logs: [] }])).toEqual([{ from: '0xabc', gasUsed: 21_000n, logs: [] }]);
  });

  it.each([null, {}, [{ from: '0xabc', logs: [] }], [{ from: '0xabc', gasUsed: 1, logs: [] }]])('refuses %j', (raw) => {
    expect(() => parseReceipts(raw)).toThrow(/eth_getBlockReceipts/);
  });
});
