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
 * settlement reserves from the moment it is stored until its chain applied it; it then stops reserving, since the
 * chain's balance or supply includes it. A settlement the brakes queued has its nonce used but is not applied yet
 * (docs/brakes.md): a queued burn has moved the investor's units to escrow (out of the balance: it stops reserving
 * once its nonce is used), but a queued mint is not in the supply until it is drained, so it reserves room under the
 * cap until the chain shows it applied (`settlementState`), else the cap would be counted twice. Applied nonces are
 * remembered, and the chain is asked only when the request does not fit even with every unconfirmed one counted.
 * A round still open (a crash, a signer timeout, a partial quorum) reserves too: the sweep or a retry may complete
 * it, and it cannot apply before it is stored. A round closed for good never becomes an attestation and reserves
 * nothing. A settlement that is stored and never applies (dead-lettered by the relayer) keeps reserving: its signed
 * message stays valid and any relayer may still deliver it (`retry-dead`, or anyone: receivers are permissionless),
 * so releasing it would let a second settlement count on the same units; the custodian sees the refusal, the operator
 * sees the dead letter.
 */
/** Candidates of a (DID, chain) past which the chain is asked which applied even while the bound fits. */
export const REFINE_AT = 256;

export class PendingReservations {
  private readonly applied = new Set<string>();
  /**
   * Per DID, its stored settlements decoded, read from the store once each: a stored attestation never changes and a
   * new one always gets a higher feed seq, so each request reads only what was stored since the last (reading every
   * settlement of the DID at each request made a POST's time under the DID's lock grow with the DID's history).
   */
  private readonly known = new Map<string, { lastSeq: number; settlements: Signed[] }>();

  private settlementOf(row: AttestationRow): Signed | undefined {
    const m = decodeMessage(row.message as Hex);
    return m.kind === 'settlement'
      ? { chainIds: this.d.store.deliveriesOf(row.seq).map((x) => x.chainId), nonce: m.nonce, amount: m.amount, investor: m.investor, burns: m.settlementKind === 'redemption' || m.settlementKind === 'moveOut' }
      : undefined;
  }

  /** The DID's settlements, those stored since the last call read and decoded now. */
  private settlementsOf(did: string): Signed[] {
    const k = this.known.get(did) ?? { lastSeq: 0, settlements: [] };
    this.known.set(did, k);
    for (const row of this.d.store.ofKindAfter(did, 'settlement', k.lastSeq)) {
      k.lastSeq = row.seq;
      const s = this.settlementOf(row);
      if (s) k.settlements.push(s);
    }
    return k.settlements;
  }

  constructor(private readonly d: { store: AttestationStore; destinations: Pick<DestinationsPort, 'isApplied' | 'settlementState'> }) {}

  /** Whether the chain's balance or supply includes the settlement (a burn: its nonce used; a mint: applied, not queued). */
  private async included(chainId: number, hash: DidHash, c: { nonce: bigint; burns: boolean }): Promise<boolean> {
    if (c.burns) return this.d.destinations.isApplied(chainId, hash, c.nonce);
    return (await this.d.destinations.settlementState(chainId, hash, c.nonce)) === 'applied';
  }

  /**
   * What the (DID, chain)'s signed settlements not known to be applied reserve. `fits` says whether a reservation
   * leaves room for the request: while the upper bound (every one not yet seen applied counted) fits, the chain is
   * not asked at all; otherwise each is read (`refined`: the caller must read the holdings again after this).
   * `ownRef` is the request's own source reference: its open round, if any, is the request itself (a retry), not
   * another one counting on the same units.
   */
  async settlements(did: string, hash: DidHash, chainId: number, investor: Address, fits: (r: PendingSettlements) => boolean = () => false, ownRef?: string): Promise<{ reserved: PendingSettlements; refined: boolean }> {
    const candidates: { key: string; nonce: bigint; amount: bigint; burns: boolean }[] = [];
    for (const s of this.settlementsOf(did)) {
      if (!s.chainIds.includes(chainId)) continue;
      if (s.burns && !isAddressEqual(s.investor, investor)) continue;
      const key = `${chainId}:${hash}:${s.nonce}`;
      if (this.applied.has(key)) continue;
      candidates.push({ key, nonce: s.nonce, amount: s.amount, burns: s.burns });
    }
    const sum = (xs: typeof candidates): PendingSettlements => ({
      burn: xs.filter((x) => x.burns).reduce((a, x) => a + x.amount, 0n),
      mint: xs.filter((x) => !x.burns).reduce((a, x) => a + x.amount, 0n),
    });
    const open = this.openRounds(did, chainId, investor, ownRef);
    const plus = (r: PendingSettlements): PendingSettlements => ({ burn: r.burn + open.burn, mint: r.mint + open.mint });
    const bound = plus(sum(candidates));
    // While the bound fits the chain is never asked, so what it applied is never learnt and the list grows with the
    // DID's history: once it has doubled since the chain was last asked (and past REFINE_AT), the chain is asked anyway
    // (the slower path, as correct: the caller reads the holdings again after it), and what applied drops out.
    const lane = `${did}|${chainId}`;
    const due = candidates.length >= Math.max(REFINE_AT, 2 * (this.openAfterRefine.get(lane) ?? 0));
    if (candidates.length === 0 || (fits(bound) && !due)) return { reserved: bound, refined: false };
    const applied = await Promise.all(candidates.map((c) => this.included(chainId, hash, c)));
    candidates.forEach((c, i) => applied[i] && this.applied.add(c.key));
    if (applied.some(Boolean)) this.compact(did, hash);
    this.openAfterRefine.set(lane, applied.filter((a) => !a).length);
    return { reserved: plus(sum(candidates.filter((_c, i) => !applied[i]))), refined: true };
  }

  /** Per (DID, chain): how many candidates were still open when the chain was last asked. */
  private readonly openAfterRefine = new Map<string, number>();

  /**
   * Drops the DID's settlements known applied on every chain they go to: every request skipped them already, so this
   * changes no answer, but a request then walks what is still open instead of the DID's whole history.
   */
  private compact(did: string, hash: DidHash): void {
    const k = this.known.get(did);
    if (k) k.settlements = k.settlements.filter((s) => !s.chainIds.every((c) => this.applied.has(`${c}:${hash}:${s.nonce}`)));
  }

  /** How many of the DID's stored settlements are still walked per request (not known applied everywhere). */
  openCount(did: string): number {
    return this.known.get(did)?.settlements.length ?? 0;
  }

  /** What the DID's open settlement rounds for the chain would consume (never on chain yet: not stored). */
  private openRounds(did: string, chainId: number, investor: Address, ownRef: string | undefined): PendingSettlements {
    return reservedBy(this.d.store.proposals.openOfKind(did, 'settlement').filter((p) => p.sourceRef !== ownRef), chainId, investor);
  }
}

/**
 * What proposed settlements (open rounds, or a batch's items not stored yet) would consume on a chain: burns of the
 * investor's holdings, mints under the chain's cap whoever the investor.
 */
export function reservedBy(proposals: readonly ProposedSettlement[], chainId: number, investor: Address): PendingSettlements {
  const out: PendingSettlements = { burn: 0n, mint: 0n };
  for (const p of proposals) {
    if (p.kind !== 'settlement') continue;
    const s = decodedProposal(p);
    if (!s || !s.chains.includes(chainId)) continue;
    if (s.burns && !isAddressEqual(s.investor, investor)) continue;
    if (s.burns) out.burn += s.amount;
    else out.mint += s.amount;
  }
  return out;
}

type ProposedSettlement = { kind: string; message: string; destinations: string };
type DecodedProposal = { chains: number[]; burns: boolean; investor: Address; amount: bigint } | undefined;

/**
 * A proposal's settlement decoded once per proposal object: a batch's items are counted again by every later item
 * of the batch (reservedBy above), and a proposal's message and destinations never change once built.
 */
const decoded = new WeakMap<ProposedSettlement, DecodedProposal>();
function decodedProposal(p: ProposedSettlement): DecodedProposal {
  if (decoded.has(p)) return decoded.get(p);
  const m = decodeMessage(p.message as Hex);
  const out: DecodedProposal =
    m.kind === 'settlement'
      ? {
          chains: (JSON.parse(p.destinations) as { chainId: string }[]).map((x) => Number(x.chainId)),
          burns: m.settlementKind === 'redemption' || m.settlementKind === 'moveOut',
          investor: m.investor,
          amount: m.amount,
        }
      : undefined;
  decoded.set(p, out);
  return out;
}
