import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import type { RootSignature } from '../../../schemas/committee.js';
import { batchTypedData } from '../../../schemas/eip712.js';
import { buildBatchTree } from '../../../core/batch-tree.js';
import type { BatchOutcome, QuorumRequest } from '../../../core/committee-port.js';
import type { OracleMetrics } from '../../metrics.js';
import { checkTypedSignature, inSet, packQuorum } from './quorum.js';

/** The kinds a batch root may cover (RwaReceiver.receiveBatch: settlement and NAV messages). */
const ROOT_KINDS = new Set(['settlement', 'nav']);

/** A request a root may cover: a settlement or NAV, and not above its chain's large-amount line (receiveBatch refuses those). */
const batchable = (q: QuorumRequest): boolean => ROOT_KINDS.has(q.source.kind) && q.aboveLine !== true;

interface Candidate {
  chainId: number;
  receiver: Address;
  root: Hex;
  items: number[];
  sigs: { signer: Address; signature: Hex }[];
}

/**
 * The batch roots of one group-commit round, collected from every signer's answer (committee/batch-roots.ts signs
 * them). A signer's root is kept only when the oracle finds it itself: every item it names was answered by that
 * signer with the message the oracle proposed, goes to that chain's receiver and is a batchable kind, the tree
 * over those messages (core/batch-tree.ts) has that root, and the signature recovers to that signer, a member of
 * the set. Signers that covered different items signed different roots, and only equal roots add up to a quorum.
 */
export class RootCollector {
  private readonly candidates = new Map<string, Candidate>();

  /** Chains that at least two batchable items of the round go to: a root is worth waiting for there. */
  private readonly expected: Set<number>;

  constructor(
    private readonly d: { metrics: Pick<OracleMetrics, 'signaturesRejected' | 'batchRoots'>; logger: Logger },
    private readonly reqs: readonly QuorumRequest[],
    private readonly messages: readonly Hex[],
  ) {
    const count = new Map<number, number>();
    for (const r of reqs) if (batchable(r)) for (const x of r.destinations) count.set(Number(x.chainId), (count.get(Number(x.chainId)) ?? 0) + 1);
    this.expected = new Set([...count].filter(([, n]) => n >= 2).map(([c]) => c));
  }

  /** Adds one signer's roots; `matched` are the items that signer answered with the proposed message. */
  async accept(url: string, claimed: Address, roots: readonly RootSignature[], matched: ReadonlySet<number>): Promise<void> {
    for (const r of roots) {
      const reason = await this.check(r, claimed, matched);
      if (reason) {
        this.d.metrics.signaturesRejected.inc({ signer: url, reason: `root_${reason}` });
        this.d.logger.warn({ signerUrl: url, claimedSigner: claimed, chainId: r.chainId, root: r.root, reason }, 'signer batch root rejected');
        continue;
      }
      const key = `${r.chainId}:${r.root.toLowerCase()}:${r.items.join(',')}`;
      let c = this.candidates.get(key);
      if (!c) this.candidates.set(key, (c = { chainId: r.chainId, receiver: r.receiver as Address, root: r.root as Hex, items: [...r.items], sigs: [] }));
      c.sigs.push({ signer: claimed, signature: r.signature as Hex });
    }
  }

  private async check(r: RootSignature, claimed: Address, matched: ReadonlySet<number>): Promise<string | undefined> {
    const { items } = r;
    if (items.length === 0 || items.some((i, k) => i >= this.reqs.length || (k > 0 && i <= items[k - 1]!))) return 'bad_items';
    const covered = items.map((i) => this.reqs[i]!);
    if (!items.every((i) => matched.has(i))) return 'unsigned_item';
    if (covered.some((q) => !batchable(q) || q.message.did.toLowerCase() !== r.did.toLowerCase())) return 'not_batchable';
    const goes = (q: QuorumRequest) => q.destinations.some((x) => Number(x.chainId) === r.chainId && x.receiver.toLowerCase() === r.receiver.toLowerCase());
    if (!covered.every(goes)) return 'receiver_mismatch';
    if (buildBatchTree(items.map((i) => this.messages[i]!)).root.toLowerCase() !== r.root.toLowerCase()) return 'root_mismatch';
    // One recovery for the root; then each covered item's set must hold that signer (sets may differ per item).
    const data = batchTypedData(BigInt(r.chainId), r.receiver as Address, r.did as Hex, r.root as Hex);
    const first = await checkTypedSignature(data, r.signature as Hex, claimed, covered[0]!.signers);
    if (!first.ok) return first.reason;
    for (const q of covered) {
      const check = inSet(first.signer, claimed, q.signers);
      if (!check.ok) return check.reason;
    }
    return undefined;
  }

  /** True when every chain worth a root has one with a quorum (the round may stop asking). */
  met(): boolean {
    return [...this.expected].every((chainId) => this.best(chainId) !== undefined);
  }

  /** The root with a quorum covering the most items of a chain, and its packed signatures. */
  private best(chainId: number): { c: Candidate; signatures: Hex } | undefined {
    let best: { c: Candidate; signatures: Hex } | undefined;
    for (const c of this.candidates.values()) {
      if (c.chainId !== chainId) continue;
      const threshold = Math.max(...c.items.map((i) => this.reqs[i]!.threshold));
      const signatures = packQuorum(c.sigs, threshold);
      if (signatures && (!best || c.items.length > best.c.items.length)) best = { c, signatures };
    }
    return best;
  }

  /**
   * Adds to each outcome, per chain, its place in that chain's root: only where the root has a quorum and every
   * item it covers has its own message quorum (else the chain's items go without a root, each still signed alone).
   */
  seal(outcomes: BatchOutcome[]): void {
    for (const chainId of this.expected) {
      const best = this.best(chainId);
      const complete = best?.c.items.every((i) => outcomes[i]?.ok === true);
      if (!best || !complete) {
        this.d.metrics.batchRoots.inc({ outcome: 'no_quorum' });
        this.d.logger.info({ chainId, items: best?.c.items.length ?? 0, candidates: this.candidates.size }, 'no batch root for this chain: its messages go signed one by one');
        continue;
      }
      const { proofs } = buildBatchTree(best.c.items.map((i) => this.messages[i]!));
      for (const [k, i] of best.c.items.entries()) {
        const o = outcomes[i]!;
        if (!o.ok) continue;
        const packed = o.packed.find((p) => p.chainId === chainId);
        if (packed) packed.batch = { root: best.c.root, proof: proofs[k]!, signatures: best.signatures };
      }
      this.d.metrics.batchRoots.inc({ outcome: 'sealed' });
    }
  }
}
