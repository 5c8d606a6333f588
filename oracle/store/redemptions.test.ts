import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openDb } from '../../common/sqlite.js';
import * as schema from './schema.js';
import { AttestationStore } from './attestations.js';
import { CURSOR_WRITE_EVERY_MS, RedemptionStore, requestSourceRef } from './redemptions.js';

const open = () => {
  const { db } = openDb(join(tmpdir(), `redemption-store-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'migrations'));
  return { store: new RedemptionStore(db), attestations: new AttestationStore(db) };
};
const H = `0x${'11'.repeat(32)}`;
const request = (requestId: string, requestedAt: number, amount = '100') => ({ didHash: H, requestId, owner: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', amount, requestedAt, blockNumber: '7', logIndex: Number(requestId) });

describe('RedemptionStore', () => {
  it('ingests a range once: a re-read range adds nothing, the cursor moves, a cancel marks the request', () => {
    const { store } = open();
    expect(store.cursor(31338, 'redemption-requests')).toBeUndefined();
    store.ingestRequests(31338, 8n, [request('1', 86_400), request('2', 86_401)], []);
    store.ingestRequests(31338, 8n, [request('1', 86_400)], [{ didHash: H, requestId: '2' }]);
    expect(store.cursor(31338, 'redemption-requests')).toBe(8n);
    expect(store.requests(H).map((r) => [r.requestId, r.cancelled])).toEqual([
      ['2', true],
      ['1', false],
    ]);
    expect(store.dayRequested(H, 1)).toBe(100n); // the cancelled request is not counted
    expect(store.dayRequested(H, 0)).toBe(0n);
  });

  it('moves the cursor over empty ranges without a commit, writing it with the next events or after CURSOR_WRITE_EVERY_MS', () => {
    const path = join(tmpdir(), `redemption-cursor-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`);
    const { db } = openDb(path, schema, join(import.meta.dirname, 'migrations'));
    let now = 1_000_000;
    const store = new RedemptionStore(db, () => now);
    // What a restarted oracle would read: the cursor as written.
    const written = () => new RedemptionStore(openDb(path, schema, join(import.meta.dirname, 'migrations')).db).cursor(31338, 'redemption-requests');
    store.ingestRequests(31338, 8n, [], []);
    expect(written()).toBe(8n); // the first cursor is written
    store.ingestRequests(31338, 20n, [], []);
    store.ingestStages(31337, 5n, []);
    store.ingestStages(31337, 9n, []);
    expect(store.cursor(31338, 'redemption-requests')).toBe(20n);
    expect(store.cursor(31337, 'redemption-stages')).toBe(9n);
    expect(written()).toBe(8n); // empty range: held in memory only
    store.ingestRequests(31338, 30n, [request('1', 10)], []);
    expect(written()).toBe(30n); // written with the range's events
    store.ingestRequests(31338, 40n, [], []);
    now += CURSOR_WRITE_EVERY_MS;
    store.ingestRequests(31338, 50n, [], []);
    expect(written()).toBe(50n); // held long enough: written
    expect(store.requests(H).map((r) => r.requestId)).toEqual(['1']);
  });

  it('lists requests awaiting their report until an attestation with their source reference exists', () => {
    const { store, attestations } = open();
    store.ingestRequests(31338, 8n, [request('1', 10), request('2', 20)], []);
    expect(store.requestsAwaitingReport().map((r) => r.requestId)).toEqual(['1', '2']);
    attestations.insert(
      { id: `0x${'22'.repeat(32)}`, did: 'did:rwa:x', didHash: H, nonce: 1, kind: 'redemptionRequest', sourceRef: requestSourceRef(31338, '1'), requestHash: '0x', request: '{}', submitter: 'x', message: '0x', createdAt: 'now' },
      [],
    );
    expect(store.requestsAwaitingReport().map((r) => r.requestId)).toEqual(['2']);
  });

  it('sums the fulfilments issued for a request from their stored bodies', () => {
    const { store, attestations } = open();
    store.ingestRequests(31338, 8n, [request('1', 10, '700')], []);
    const fulfil = (nonce: number, ref: string, requestId: string, amount: string) =>
      attestations.insert(
        {
          id: `0x${String(nonce).padStart(64, '0')}`,
          did: 'did:rwa:x',
          didHash: H,
          nonce,
          kind: 'redemptionFulfilment',
          sourceRef: ref,
          requestHash: '0x',
          request: JSON.stringify({ chainId: 31338, requestId, amount }),
          submitter: 'x',
          message: '0x',
          createdAt: 'now',
        },
        [],
      );
    fulfil(1, 'A', '1', '100');
    fulfil(2, 'B', '1', '50');
    fulfil(3, 'C', '2', '999');
    expect(store.issuedFulfilled(H, 31338, '1')).toBe(150n);
    expect(store.requests(H)[0]!.issuedFulfilled).toBe('150');
  });
});
