import { describe, expect, it } from 'vitest';
import { zeroHash, type Address } from 'viem';
import { encodeMessage } from '../schemas/message.js';
import { didHash, type DidString } from '../schemas/ids.js';
import { settlementAttestation } from '../core/attestation.js';
import { REFINE_AT, SignedSettlements } from './signed-settlements.js';
import { mintRefusal, type SignerCheckDeps } from './checks.js';
import type { DidHash } from '../schemas/ids.js';
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

describe('mintRefusal: the open list does not grow with the history while the bound fits', () => {
  it('asks the chain which mints applied once REFINE_AT are open, then again only when they have doubled', async () => {
    const store = rows(0);
    const applied = new Set<string>();
    const s = new SignedSettlements({ ofKind: (_did, kind) => (kind === 'settlement' ? store : []) }, applied);
    const onChain = new Set<bigint>();
    let asked = 0;
    const holdings = { configured: true, totalSupply: 0n, supplyCap: 10n ** 30n, paused: false, investorAllowed: true, investorBalance: 0n };
    const d = {
      appliedNonces: applied,
      signedMints: (did: DidHash, chainId: number) => s.mints(did, chainId),
      mintsRefineDue: (did: DidHash, chainId: number, open: number) => s.refineDue(did, chainId, open),
      mintsRefined: (did: DidHash, chainId: number, open: number) => s.refined(did, chainId, open),
      chains: {
        holdingsState: async () => holdings,
        settlementState: async (_c: number, _d: DidHash, n: bigint) => (asked++, onChain.has(n) ? 'applied' : 'pending'),
        moveOutcomeOf: async () => 'none',
      },
    } as unknown as SignerCheckDeps;
    s.mints(HASH, 1); // loads the (empty) store for the DID
    const record = (i: number) => {
      const [r] = rows(i).slice(i - 1);
      s.recorded(r!.row, r!.chains);
    };
    // In rows(), chain 1 subscriptions are the even nonces not divisible by 5: record those, each applied at once.
    const mints = function* () {
      for (let i = 2; ; i += 2) if (i % 5 !== 0) yield i;
    }();
    for (let k = 0; k < REFINE_AT - 1; k++) {
      const i = mints.next().value!;
      record(i);
      onChain.add(BigInt(i));
    }
    expect(await mintRefusal(d, HASH, 1, ALICE, 1n, undefined)).toBeUndefined();
    expect(asked).toBe(0);
    // One more, not applied yet: REFINE_AT open, the chain is asked, the applied ones drop out.
    record(mints.next().value!);
    expect(await mintRefusal(d, HASH, 1, ALICE, 1n, undefined)).toBeUndefined();
    expect(asked).toBe(REFINE_AT);
    expect(s.openCount(HASH)).toBe(1);
    record(mints.next().value!);
    expect(await mintRefusal(d, HASH, 1, ALICE, 1n, undefined)).toBeUndefined();
    expect(asked).toBe(REFINE_AT);
  });
});
