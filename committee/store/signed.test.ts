import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../common/sqlite.js';
import * as schema from './schema.js';
import { SignedStore, type NewSigned } from './signed.js';

const open = () => {
  const { db, sqlite } = openDb(':memory:', schema, join(import.meta.dirname, 'migrations'));
  return { db, sqlite, store: new SignedStore(db) };
};

const message = (nonce: number, over: Partial<NewSigned> = {}): NewSigned => ({
  didHash: '0xd1',
  nonce: String(nonce),
  messageHash: `0xm${nonce}`,
  message: `0x0${nonce}`,
  did: 'did:rwa:demo',
  kind: 'settlement',
  sourceRef: `ref-${nonce}`,
  navValue: null,
  asOf: null,
  createdAt: '2026-12-05T00:00:00.000Z',
  ...over,
});
const chain = (chainId: number) => ({ chainId, receiver: '0x00000000000000000000000000000000000000aa', signature: `0xs${chainId}` });

describe('SignedStore', () => {
  it('prepares its statements once, not per call', async () => {
    const { sqlite, store } = open();
    let prepared = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => (prepared++, prepare(source))) as typeof sqlite.prepare;
    await store.inTransaction(async () => {
      for (let n = 1; n <= 5; n++) {
        expect(store.byNonce('0xd1', String(n))).toBeUndefined();
        expect(store.bySource('0xd1', 'settlement', `ref-${n}`)).toBeUndefined();
        expect(store.record(message(n), [chain(1)]).outcome).toBe('recorded');
      }
    });
    expect(store.ofKind('0xd1', 'settlement')).toHaveLength(5);
    expect(store.count()).toBe(5);
    expect(prepared).toBe(0);
  });

  it('answers rows in the schema shape, each with the chains signed for it', () => {
    const { store } = open();
    store.record(message(1), [chain(2), chain(1)]);
    store.record(message(2, { kind: 'nav', navValue: '1000', asOf: 50, sourceRef: 'nav-50' }), [chain(1)]);
    store.record(message(3, { kind: 'nav', navValue: '1010', asOf: 60, sourceRef: 'nav-60' }), [chain(1)]);
    expect(store.byNonce('0xd1', '1')).toEqual({
      row: { ...message(1) },
      chains: [
        { didHash: '0xd1', nonce: '1', ...chain(1) },
        { didHash: '0xd1', nonce: '1', ...chain(2) },
      ],
    });
    expect(store.ofKind('0xd1', 'nav').map(({ row, chains }) => [row.nonce, row.asOf, chains.map((c) => c.chainId)])).toEqual([
      ['2', 50, [1]],
      ['3', 60, [1]],
    ]);
    expect(store.latestNav('0xd1')).toEqual({ nav: 1010n, asOf: 60n });
    expect(store.latestAsOf('0xd1', 'nav', 'nav-5')).toBe(50n);
    expect(store.latestReserveAsOf('0xd1')).toBeUndefined();
    expect(store.latestOfKindBefore('0xd1', 'nav', 3n)?.nonce).toBe('2');
  });

  it('records nothing for another message at a signed nonce or a signed request under another nonce', () => {
    const { store } = open();
    store.record(message(1), [chain(1)]);
    expect(store.record(message(1, { messageHash: '0xother' }), [chain(2)])).toMatchObject({ outcome: 'equivocation', existing: { messageHash: '0xm1' } });
    expect(store.record(message(2, { sourceRef: 'ref-1' }), [chain(1)])).toMatchObject({ outcome: 'source_reused', existing: { nonce: '1' } });
    // The same message again adds a chain and keeps the first signature of the chain it had.
    const again = store.record(message(1), [{ ...chain(1), signature: '0xlater' }, chain(2)]);
    expect(again).toEqual({ outcome: 'recorded', chains: [{ didHash: '0xd1', nonce: '1', ...chain(1) }, { didHash: '0xd1', nonce: '1', ...chain(2) }] });
    expect(store.count()).toBe(1);
  });

  it('rolls a batch back whole when its work throws', async () => {
    const { store } = open();
    await expect(
      store.inTransaction(async () => {
        store.record(message(1), [chain(1)]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(store.count()).toBe(0);
  });
});
