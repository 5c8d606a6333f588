import { isAddressEqual, type Address, type Hex } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import { decodeMessage } from '../../schemas/message.js';
import type { DestinationsPort } from '../../core/chain/destinations.js';
import type { AttestationRow, AttestationStore } from '../store/attestations.js';

interface Signed {
  chainIds: number[];
  nonce: bigint;
  amount: bigint;
  investor: Address;
  burns: boolean;
}

/** What settlements signed for one (DID, chain) and not applied there yet will consume when they apply. */
export interface PendingSettlements {
  /** Burns of the investor's holdings: redemptions and move-outs. */
  burn: bigint;
  /** Mints under the chain's cap: subscriptions and move-ins, whoever the investor. */
  mint: bigint;
}

/**
 * Reservations of what is signed and not yet applied, so the oracle never signs a settlement the chain will refuse
 * once the earlier ones land (two full-balance redemptions: the second is refused here, not by the chain). A signed
 * settlement reserves from the moment it is stored until its chain reports its nonce used (`isNonceUsed` on the
 * chain's receiver); it then stops reserving, since the chain's balance or supply includes it. Applied nonces are
 * remembered, and the chain is asked only when the request does not fit even with every unconfirmed one counted. A settlement that never applies (dead-lettered by the relayer)
 * keeps reserving: the custodian sees the refusal, the operator sees the dead letter.
 */
export class PendingReservations {
  private readonly applied = new Set<string>();
  /** Stored settlements decoded once, by feed seq (a stored attestation never changes). */
  private readonly decoded = new Map<number, Signed | undefined>();

  private settlementOf(row: AttestationRow): Signed | undefined {
    if (this.decoded.has(row.seq)) return this.decoded.get(row.seq);
    const m = decodeMessage(row.message as Hex);
    const s =
      m.kind === 'settlement'
        ? { chainIds: this.d.store.deliveriesOf(row.seq).map((x) => x.chainId), nonce: m.nonce, amount: m.amount, investor: m.investor, burns: m.settlementKind === 'redemption' || m.settlementKind === 'moveOut' }
        : undefined;
    this.decoded.set(row.seq, s);
    return s;
  }

  constructor(private readonly d: { store: AttestationStore; destinations: Pick<DestinationsPort, 'isApplied'> }) {}

  /**
   * What the (DID, chain)'s signed settlements not known to be applied reserve. `fits` says whether a reservation
   * leaves room for the request: while the upper bound (every one not yet seen applied counted) fits, the chain is
   * not asked at all; otherwise each is read (`refined`: the caller must read the holdings again after this).
   */
  async settlements(did: string, hash: DidHash, chainId: number, investor: Address, fits: (r: PendingSettlements) => boolean = () => false): Promise<{ reserved: PendingSettlements; refined: boolean }> {
    const candidates: { key: string; nonce: bigint; amount: bigint; burns: boolean }[] = [];
    for (const row of this.d.store.ofKind(did, 'settlement')) {
      const key = `${chainId}:${hash}:${row.nonce}`;
      if (this.applied.has(key)) continue;
      const s = this.settlementOf(row);
      if (!s || !s.chainIds.includes(chainId)) continue;
      if (s.burns && !isAddressEqual(s.investor, investor)) continue;
      candidates.push({ key, nonce: s.nonce, amount: s.amount, burns: s.burns });
    }
    const sum = (xs: typeof candidates): PendingSettlements => ({
      burn: xs.filter((x) => x.burns).reduce((a, x) => a + x.amount, 0n),
      mint: xs.filter((x) => !x.burns).reduce((a, x) => a + x.amount, 0n),
    });
    const bound = sum(candidates);
    if (candidates.length === 0 || fits(bound)) return { reserved: bound, refined: false };
    const applied = await Promise.all(candidates.map((c) => this.d.destinations.isApplied(chainId, hash, c.nonce)));
    candidates.forEach((c, i) => applied[i] && this.applied.add(c.key));
    return { reserved: sum(candidates.filter((_c, i) => !applied[i])), refined: true };
  }
}
