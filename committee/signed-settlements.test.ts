import { describe, expect, it } from 'vitest';
import { zeroHash, type Address } from 'viem';
import { encodeMessage } from '../schemas/message.js';
import { didHash, type DidString } from '../schemas/ids.js';
import { settlementAttestation } from '../core/attestation.js';
import { SignedSettlements } from './signed-settlements.js';
import type { SignedChainRow, SignedRow } from './store/signed.js';

const DID = 'did:rwa:test:signed-settlements';
const HASH = didHash(DID as DidString);
const ALICE: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const BOB: Address = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';

/** A signer's store as SignedSettlements reads it: the rows of a kind, with their chains. */
function rows(n: number) {
  const out: { row: SignedRow; chains: SignedChainRow[] }[] = [];
  for (let i = 1; i <= n; i++) {
    const chainId = 1 + (i % 2);
    const kind = i % 5 === 0 ? 'redemption' : 'subscription';
    const investor = i % 3 === 0 ? BOB : ALICE;
    const body = { did: DID, chainId, kind, settlementRef: `R-${i}`, investor, amount: String(i), cashLegRef: zeroHash, settledAt: 1, signature: '0x' as const } as const;
    const message = encodeMessage(settlementAttestation(body, HASH, BigInt(i)));
    out.push({ row: { didHash: HASH, nonce: String(i), kind: 'settlement', message } as unknown as SignedRow, chains: [{ chainId } as unknown as SignedChainRow] });
  }
  return out;
}

describe('SignedSettlements: what a signer signed and the chain has not applied', () => {
  it("drops a settlement once it is known applied on its chain: a request walks what is open, not the DID's history", () => {
    const store = rows(300);
    let reads = 0;
    const applied = new Set<string>();
    const s = new SignedSettlements({ ofKind: (_did, kind) => (reads++, kind === 'settlement' ? store : []) }, applied);
    const all = { mints1: s.mints(HASH, 1), burnsAlice1: s.burns(HASH, 1, ALICE) };
    expect(s.openCount(HASH)).toBe(300);
    expect(all.mints1.length + all.burnsAlice1.length).toBeGreaterThan(100);
    // The chains applied every one but the last ten.
    for (let i = 1; i <= 290; i++) applied.add(`${1 + (i % 2)}:${HASH}:${i}`);
    const open = (chainId: number, burns: boolean, investor?: Address) =>
      store
        .slice(290)
        .filter(({ row, chains }) => chains[0]!.chainId === chainId && (BigInt(row.nonce) % 5n === 0n) === burns && (!investor || (BigInt(row.nonce) % 3n === 0n ? BOB : ALICE) === investor))
        .map(({ row }) => ({ nonce: BigInt(row.nonce), amount: BigInt(row.nonce) }));
    expect(s.mints(HASH, 1)).toEqual(open(1, false));
    expect(s.mints(HASH, 2)).toEqual(open(2, false));
    expect(s.burns(HASH, 1, ALICE)).toEqual(open(1, true, ALICE));
    expect(s.burns(HASH, 2, BOB)).toEqual(open(2, true, BOB));
    expect(s.openCount(HASH)).toBe(10);
    // A settlement recorded now joins the open ones; the store was read once for the DID.
    const [late] = rows(301).slice(300);
    s.recorded(late!.row, late!.chains);
    expect(s.openCount(HASH)).toBe(11);
    expect(reads).toBe(2);
  });
});
