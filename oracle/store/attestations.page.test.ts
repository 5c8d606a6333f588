import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDb } from '../../common/sqlite.js';
import * as schema from './schema.js';
import { AttestationStore, type NewAttestation } from './attestations.js';

// The feed page is read in two queries (rows, then the deliveries of their seq range): each row must still get
// exactly its own deliveries, in chain order, whatever the page's bounds.
const store = new AttestationStore(openDb(':memory:', schema, join(import.meta.dirname, 'migrations')).db);
const row = (i: number): NewAttestation => ({
  id: `0x${i.toString(16).padStart(64, '0')}`,
  did: 'did:rwa:test:page',
  didHash: `0x${'ab'.repeat(32)}`,
  nonce: i,
  kind: 'settlement',
  sourceRef: `P-${i}`,
  requestHash: '0x00',
  request: '{}',
  submitter: '0x0000000000000000000000000000000000000001',
  message: `0x${i}`,
  createdAt: '2026-12-04T00:00:00.000Z',
});
// Attestation i goes to chains 1..(i % 3) (none for multiples of 3), inserted out of chain order.
for (let i = 1; i <= 10; i++) {
  const chains = Array.from({ length: i % 3 }, (_, k) => (i % 3) - k);
  store.insert(row(i), chains.map((chainId) => ({ chainId, receiver: `0xr${chainId}`, signatures: `["s${i}-${chainId}"]` })));
}

describe('AttestationStore.page', () => {
  it.each([
    [0, 10],
    [0, 4],
    [3, 4],
    [8, 5],
    [10, 5],
  ])('after %s limit %s: each row with exactly its deliveries, as deliveriesOf reads them', (after, limit) => {
    const page = store.page(after, limit);
    expect(page.map((p) => p.row.seq)).toEqual(Array.from({ length: Math.max(0, Math.min(limit, 10 - after)) }, (_, k) => after + 1 + k));
    for (const p of page) {
      expect(p.deliveries).toEqual(store.deliveriesOf(p.row.seq));
      expect(p.deliveries.map((d) => d.chainId)).toEqual(Array.from({ length: p.row.seq % 3 }, (_, k) => k + 1));
    }
  });
});
