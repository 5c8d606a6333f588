import { isAddressEqual, type Address, type Hex } from 'viem';
import { decodeMessage } from '../schemas/message.js';
import type { SignedChainRow, SignedRow, SignedStore } from './store/signed.js';

/** A settlement (or a move leg, stored as one) this signer signed, decoded once from the bytes it signed. */
interface Signed {
  nonce: bigint;
  chainIds: Set<number>;
  burns: boolean;
  investor: Address;
  amount: bigint;
  /** An in leg's move reference (its settlementRef): a voided move's in leg never applies. */
  moveRef?: Hex;
  mints: boolean;
}

const KINDS = new Set<SignedRow['kind']>(['settlement', 'move']);

/** Open signed mints of a (DID, chain) past which the checks ask the chain which applied even while the bound fits. */
export const REFINE_AT = 256;

/**
 * What this signer signed of a DID's settlements and move legs, read from its store once per DID and kept up to date
 * as it records (this process is its store's only writer), so a sign request no longer reads and decodes the DID's
 * whole history.
 */
export class SignedSettlements {
  private readonly byDid = new Map<string, Map<string, Signed>>();

  /**
   * `applied`: the signer's nonces known applied, as `${chainId}:${did}:${nonce}` (SignerCheckDeps.appliedNonces). A
   * settlement known applied on each of its chains reserves nothing any more (the checks skip it), so it is dropped
   * from the lists here: a request then walks what is still open, not the DID's whole history.
   */
  constructor(
    private readonly store: Pick<SignedStore, 'ofKind'>,
    private readonly applied: ReadonlySet<string> = new Set(),
  ) {}

  /** A message and its chains were recorded: a settlement or move leg joins (or extends) the DID's list once loaded. */
  recorded(row: Pick<SignedRow, 'didHash' | 'nonce' | 'kind' | 'message'>, chains: readonly Pick<SignedChainRow, 'chainId'>[]): void {
    const known = this.byDid.get(row.didHash);
    if (!known || !KINDS.has(row.kind)) return;
    this.add(known, row, chains);
  }

  /** Forgets what it loaded (after a rolled-back batch): each DID is read from the store again when next asked. */
  forget(): void {
    this.byDid.clear();
  }

  burns(did: string, chainId: number, investor: Address): { nonce: bigint; amount: bigint }[] {
    const out: { nonce: bigint; amount: bigint }[] = [];
    for (const s of this.open(did)) if (s.burns && s.chainIds.has(chainId) && isAddressEqual(s.investor, investor)) out.push({ nonce: s.nonce, amount: s.amount });
    return out;
  }

  mints(did: string, chainId: number): { nonce: bigint; amount: bigint; moveRef?: Hex }[] {
    const out: { nonce: bigint; amount: bigint; moveRef?: Hex }[] = [];
    for (const s of this.open(did)) if (s.mints && s.chainIds.has(chainId)) out.push({ nonce: s.nonce, amount: s.amount, ...(s.moveRef ? { moveRef: s.moveRef } : {}) });
    return out;
  }

  /** Per (DID, chain): signed mints still open when the chain was last asked which applied. */
  private readonly openAfterRefine = new Map<string, number>();

  /** The chain is asked once the open mints reach REFINE_AT and have doubled since it was last asked. */
  refineDue(did: string, chainId: number, open: number): boolean {
    return open >= Math.max(REFINE_AT, 2 * (this.openAfterRefine.get(`${did}|${chainId}`) ?? 0));
  }

  refined(did: string, chainId: number, open: number): void {
    this.openAfterRefine.set(`${did}|${chainId}`, open);
  }

  /** How many of the DID's signed settlements are still listed (not yet known applied on each of their chains). */
  openCount(did: string): number {
    return this.known(did).size;
  }

  /**
   * The DID's signed settlements in the order recorded, less those known applied on every chain they go to (dropped
   * as met: deleting from a Map while iterating it is defined, and each is dropped once).
   */
  private *open(did: string): Generator<Signed> {
    const known = this.known(did);
    for (const [key, s] of known) {
      if (this.appliedEverywhere(did, s)) {
        known.delete(key);
        continue;
      }
      yield s;
    }
  }

  private appliedEverywhere(did: string, s: Signed): boolean {
    if (this.applied.size === 0) return false;
    for (const c of s.chainIds) if (!this.applied.has(`${c}:${did}:${s.nonce}`)) return false;
    return true;
  }

  private known(did: string): Map<string, Signed> {
    let known = this.byDid.get(did);
    if (!known) {
      known = new Map();
      for (const kind of KINDS) for (const { row, chains } of this.store.ofKind(did, kind)) this.add(known, row, chains);
      this.byDid.set(did, known);
    }
    return known;
  }

  private add(known: Map<string, Signed>, row: Pick<SignedRow, 'nonce' | 'message'>, chains: readonly Pick<SignedChainRow, 'chainId'>[]): void {
    const had = known.get(row.nonce);
    if (had) {
      for (const c of chains) had.chainIds.add(c.chainId);
      return;
    }
    const m = decodeMessage(row.message as Hex);
    if (m.kind !== 'settlement') return;
    const burns = m.settlementKind === 'redemption' || m.settlementKind === 'moveOut';
    known.set(row.nonce, {
      nonce: m.nonce,
      chainIds: new Set(chains.map((c) => c.chainId)),
      burns,
      mints: !burns,
      investor: m.investor,
      amount: m.amount,
      ...(m.settlementKind === 'moveIn' ? { moveRef: m.settlementRef } : {}),
    });
  }
}
