import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { zeroHash, type Address } from 'viem';
import { openDb } from '../common/sqlite.js';
import * as schema from './store/schema.js';
import { AttestationStore } from './store/attestations.js';
import { encodeMessage } from '../schemas/message.js';
import { didHash, type DidString } from '../schemas/ids.js';
import { settlementAttestation } from '../core/attestation.js';
import { PendingReservations, REFINE_AT } from './issue/pending.js';

// Reservations of signed, not yet applied settlements, on a real SQLite store: what they sum to, and that a request
// reads from the store only what was stored since the previous one (the DID's whole history at every POST made the
// write path's time under the DID's lock grow with it).
const DID = 'did:rwa:test:pending';
const HASH = didHash(DID as DidString);
const ALICE: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const BOB: Address = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';

function setup() {
  const store = new AttestationStore(openDb(':memory:', schema, join(import.meta.dirname, 'store', 'migrations')).db);
  let nonce = 0;
  const sign = (chainId: number, kind: 'subscription' | 'redemption', investor: Address, amount: bigint) => {
    nonce++;
    const body = { did: DID, chainId, kind, settlementRef: `R-${nonce}`, investor, amount: String(amount), cashLegRef: zeroHash, settledAt: 1, signature: '0x' as const };
    store.insert(
      { id: `0x${nonce.toString(16).padStart(64, '0')}`, did: DID, didHash: HASH, nonce, kind: 'settlement', sourceRef: body.settlementRef, requestHash: '0x', request: '{}', submitter: ALICE, message: encodeMessage(settlementAttestation(body, HASH, BigInt(nonce))), createdAt: '2026-12-04T00:00:00.000Z' },
      [{ chainId, receiver: '0x01', signatures: '[]' }],
    );
    return nonce;
  };
  /** Nonces the chain used (`chainId:nonce`), as isNonceUsed answers; `queued`: those of them the brakes queued. */
  const applied = new Set<string>();
  const queued = new Set<string>();
  const rowsRead = { n: 0 };
  const counted = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const r = (v as (...a: unknown[]) => unknown).apply(target, args);
        if (Array.isArray(r) && prop !== 'deliveriesOf') rowsRead.n += r.length;
        return r;
      };
    },
  });
  const used = (chainId: number, n: bigint) => applied.has(`${chainId}:${n}`) || queued.has(`${chainId}:${n}`);
  const pending = new PendingReservations({
    store: counted,
    destinations: {
      isApplied: async (chainId, _did, n) => used(chainId, n),
      settlementState: async (chainId, _did, n) => (!used(chainId, n) ? 'pending' : queued.has(`${chainId}:${n}`) ? 'queued' : 'applied'),
    },
  });
  return { sign, applied, queued, rowsRead, pending, store };
}

describe('PendingReservations', () => {
  it('asks the chain once the list doubles past REFINE_AT even while the bound fits, so the list does not grow with the history', async () => {
    const { sign, applied, store } = setup();
    let asked = 0;
    const counting = new PendingReservations({
      store,
      destinations: {
        isApplied: async (chainId, _d, n) => (asked++, applied.has(`${chainId}:${n}`)),
        settlementState: async (chainId, _d, n) => (asked++, applied.has(`${chainId}:${n}`) ? 'applied' : 'pending'),
      },
    });
    const fits = () => true;
    for (let i = 0; i < REFINE_AT - 1; i++) applied.add(`1:${sign(1, 'subscription', ALICE, 1n)}`);
    expect(await counting.settlements(DID, HASH, 1, ALICE, fits)).toEqual({ reserved: { mint: BigInt(REFINE_AT - 1), burn: 0n }, refined: false });
    expect(asked).toBe(0);
    // One more (not applied yet): REFINE_AT open, the chain is asked, what applied drops out; the caller re-reads.
    sign(1, 'subscription', ALICE, 1n);
    expect(await counting.settlements(DID, HASH, 1, ALICE, fits)).toEqual({ reserved: { mint: 1n, burn: 0n }, refined: true });
    expect(asked).toBe(REFINE_AT);
    expect(counting.openCount(DID)).toBe(1);
    // Below twice what was left and below REFINE_AT: the bound again, without asking.
    sign(1, 'subscription', ALICE, 1n);
    expect(await counting.settlements(DID, HASH, 1, ALICE, fits)).toEqual({ reserved: { mint: 2n, burn: 0n }, refined: false });
    expect(asked).toBe(REFINE_AT);
  });

  it("walks only the DID's settlements still open: those the chain applied drop out once known, the answers unchanged", async () => {
    const { sign, applied, pending } = setup();
    const nonces = Array.from({ length: 200 }, (_, i) => sign(1 + (i % 2), i % 10 === 0 ? 'redemption' : 'subscription', i % 3 === 0 ? BOB : ALICE, BigInt(i + 1)));
    expect(pending.openCount(DID)).toBe(0);
    await pending.settlements(DID, HASH, 1, ALICE, () => true);
    expect(pending.openCount(DID)).toBe(200);
    // The chains apply all but the last four; a request that does not fit asks them and learns it.
    for (const n of nonces.slice(0, -4)) applied.add(`${1 + ((n - 1) % 2)}:${n}`);
    const open = nonces.slice(-4);
    const reservedOn = (chainId: number, investor: Address) => {
      const mine = open.map((n) => ({ n, i: n - 1 })).filter(({ i }) => 1 + (i % 2) === chainId);
      const burn = mine.filter(({ i }) => i % 10 === 0 && (i % 3 === 0 ? BOB : ALICE) === investor).reduce((a, { n }) => a + BigInt(n), 0n);
      const mint = mine.filter(({ i }) => i % 10 !== 0).reduce((a, { n }) => a + BigInt(n), 0n);
      return { burn, mint };
    };
    expect(await pending.settlements(DID, HASH, 1, ALICE)).toEqual({ reserved: reservedOn(1, ALICE), refined: true });
    // Not known applied yet, so still listed: chain 2's 100 (nobody asked chain 2) and Bob's 7 redemptions on chain 1
    // (Alice's request does not count them), beside the 2 open on chain 1.
    expect(pending.openCount(DID)).toBe(100 + 7 + 2);
    expect(await pending.settlements(DID, HASH, 1, BOB)).toEqual({ reserved: reservedOn(1, BOB), refined: true });
    expect(pending.openCount(DID)).toBe(100 + 2);
    expect(await pending.settlements(DID, HASH, 2, BOB)).toEqual({ reserved: reservedOn(2, BOB), refined: true });
    expect(pending.openCount(DID)).toBe(4);
    // Later requests (bound or refined) give the same sums over the four still open.
    expect(await pending.settlements(DID, HASH, 1, ALICE, () => true)).toEqual({ reserved: reservedOn(1, ALICE), refined: false });
    expect(await pending.settlements(DID, HASH, 2, ALICE)).toEqual({ reserved: reservedOn(2, ALICE), refined: true });
  });

  it("sums a chain's unapplied mints and the investor's unapplied burns, and drops what the chain applied", async () => {
    const { sign, applied, pending } = setup();
    sign(1, 'subscription', ALICE, 100n);
    const n2 = sign(1, 'subscription', BOB, 20n);
    sign(1, 'redemption', ALICE, 7n);
    sign(1, 'redemption', BOB, 5n);
    sign(2, 'subscription', ALICE, 1_000n);
    expect(await pending.settlements(DID, HASH, 1, ALICE, () => true)).toEqual({ reserved: { mint: 120n, burn: 7n }, refined: false });
    applied.add(`1:${n2}`);
    expect(await pending.settlements(DID, HASH, 1, ALICE)).toEqual({ reserved: { mint: 100n, burn: 7n }, refined: true });
    // Stored after the previous request: counted at the next.
    sign(1, 'subscription', BOB, 3n);
    expect(await pending.settlements(DID, HASH, 1, ALICE, () => true)).toEqual({ reserved: { mint: 103n, burn: 7n }, refined: false });
    expect(await pending.settlements(DID, HASH, 2, BOB, () => true)).toEqual({ reserved: { mint: 1_000n, burn: 0n }, refined: false });
  });

  it('keeps reserving a mint the brakes queued (nonce used, not in the supply) until it is drained; a queued burn stops at once', async () => {
    const { sign, applied, queued, pending } = setup();
    const mint = sign(1, 'subscription', ALICE, 600n);
    const burn = sign(1, 'redemption', ALICE, 50n);
    // Both queued: their nonces are used, the mint is not in the supply yet, the burn's units are escrowed already.
    queued.add(`1:${mint}`);
    queued.add(`1:${burn}`);
    expect(await pending.settlements(DID, HASH, 1, ALICE)).toEqual({ reserved: { mint: 600n, burn: 0n }, refined: true });
    // Still queued at the next request: the chain is asked again (a queued mint is not remembered as applied).
    expect(await pending.settlements(DID, HASH, 1, ALICE)).toEqual({ reserved: { mint: 600n, burn: 0n }, refined: true });
    // Drained: now in the supply, it reserves nothing.
    queued.delete(`1:${mint}`);
    applied.add(`1:${mint}`);
    expect(await pending.settlements(DID, HASH, 1, ALICE)).toEqual({ reserved: { mint: 0n, burn: 0n }, refined: true });
  });

  it('reads each stored settlement from the store once, however many requests follow', async () => {
    const { sign, rowsRead, pending } = setup();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 10; i++) sign(1, 'subscription', ALICE, 1n);
      await pending.settlements(DID, HASH, 1, ALICE, () => true);
      await pending.settlements(DID, HASH, 1, ALICE, () => true);
    }
    expect(rowsRead.n).toBe(200);
  });
});
