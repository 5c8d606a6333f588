import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openDb } from '../../common/sqlite.js';
import * as schema from './schema.js';
import { AttestationStore } from './attestations.js';

// The statements a settlement runs are prepared by SQLite once, not at every call (oracle/store/hot-queries.ts).
const H = `0x${'11'.repeat(32)}`;

function counted() {
  const opened = openDb(join(tmpdir(), `hot-queries-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'migrations'));
  let prepares = 0;
  const prepare = opened.sqlite.prepare.bind(opened.sqlite);
  opened.sqlite.prepare = ((source: string) => {
    prepares += 1;
    return prepare(source);
  }) as typeof opened.sqlite.prepare;
  return { store: new AttestationStore(opened.db), prepares: () => prepares };
}

const proposal = (nonce: number) => ({
  didHash: H,
  nonce,
  did: 'did:rwa:x',
  kind: 'settlement' as const,
  sourceRef: `S-${nonce}`,
  requestHash: '0x01',
  id: `0x${nonce.toString(16).padStart(64, '0')}`,
  message: '0x',
  source: '{}',
  destinations: '[]',
  signerSet: '{}',
  row: JSON.stringify({ request: '{}', submitter: 'x', navValue: null, asOf: null }),
  createdAt: 'now',
});

describe('hot statements', () => {
  it('prepares each once however many requests run them, and answers as before', () => {
    const { store, prepares } = counted();
    const round = (nonce: number) => {
      store.findBySource('did:rwa:x', 'settlement', `S-${nonce}`);
      store.latestOfKind(H, 'config');
      store.ofKind('did:rwa:x', 'brakes');
      store.ofKindAfter('did:rwa:x', 'settlement', 0);
      store.proposals.openBySource('did:rwa:x', 'settlement', `S-${nonce}`);
      store.proposals.openOfKind('did:rwa:x', 'settlement');
      const [p] = store.proposals.insertMany([proposal(store.nextNonce(H))]);
      store.proposals.countOpen();
      const { didHash, did, kind, sourceRef, requestHash, id, message, createdAt } = p!;
      const seq = store.insert({ didHash, did, kind, sourceRef, requestHash, id, message, createdAt, nonce: p!.nonce, request: '{}', submitter: 'x' }, [
        { chainId: 31338, receiver: '0xr', signatures: '0xs' },
        { chainId: 31337, receiver: '0xr', signatures: '0xs', batchRoot: '0xroot', batchProof: '[]', batchSignatures: '0xbs' },
      ]);
      store.deliveriesOf(seq);
    };
    round(1);
    const afterFirst = prepares();
    for (let n = 2; n <= 10; n++) round(n);
    expect(prepares()).toBe(afterFirst);

    expect(store.nextNonce(H)).toBe(11);
    expect(store.proposals.countOpen()).toBe(0);
    expect(store.proposals.get(H, 3)).toMatchObject({ state: 'done', attempts: 0, updatedAt: 'now' });
    const found = store.findBySource('did:rwa:x', 'settlement', 'S-4');
    expect(found).toMatchObject({ nonce: 4, navValue: null, asOf: null, kind: 'settlement' });
    expect(store.deliveriesOf(found!.seq)).toEqual([
      { attestationSeq: found!.seq, chainId: 31337, receiver: '0xr', signatures: '0xs', batchRoot: '0xroot', batchProof: '[]', batchSignatures: '0xbs' },
      { attestationSeq: found!.seq, chainId: 31338, receiver: '0xr', signatures: '0xs', batchRoot: null, batchProof: null, batchSignatures: null },
    ]);
    expect(store.ofKindAfter('did:rwa:x', 'settlement', found!.seq).map((r) => r.nonce)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(store.latestOfKind(H, 'settlement')?.nonce).toBe(10);
    expect(() => store.proposals.insert(proposal(3))).toThrow();
  });
});
