import type { Address, Hex } from 'viem';
import { privateKeyToAccount, type LocalAccount } from 'viem/accounts';
import { fastAccount } from '../../../core/ecdsa.js';
import { attestationDomain, attestationTypes, batchTypedData } from '../../../schemas/eip712.js';
import { attestationTypedMessage, encodeMessage, type AttestationMessage } from '../../../schemas/message.js';
import { buildBatchTree } from '../../../core/batch-tree.js';
import { packQuorum } from './quorum.js';
import { QuorumUnavailableError, type BatchOutcome, type CommitteePort, type Destination, type PackedSignatures, type QuorumRequest } from '../../../core/committee-port.js';

/**
 * Committee keys held by the oracle process itself: dev mode and single-process deployments. For each destination
 * chain it signs the attestation's EIP-712 digest (domain: that chain id and that chain's receiver) with the held
 * keys that are in the DID's signer set, and packs exactly `threshold` of them by ascending signer.
 */
export class Committee implements CommitteePort {
  private readonly accounts: readonly LocalAccount[];

  constructor(keys: readonly Hex[]) {
    this.accounts = keys.map((k) => fastAccount(privateKeyToAccount(k), k));
  }

  get addresses(): readonly Address[] {
    return this.accounts.map((a) => a.address);
  }

  describe() {
    return { mode: 'local' as const, addresses: this.addresses };
  }

  async sign(req: QuorumRequest): Promise<PackedSignatures[]> {
    const out: PackedSignatures[] = [];
    for (const d of req.destinations) {
      out.push({ chainId: Number(d.chainId), receiver: d.receiver, signatures: await this.signFor(req.message, d, req.signers, req.threshold) });
    }
    return out;
  }

  /**
   * Each proposal signed on its own (the keys are here, there is no round trip to save), then per destination chain
   * one root over the settlement and NAV messages signed (two or more), as remote signers do (docs/batches.md).
   */
  async signBatch(reqs: readonly QuorumRequest[]): Promise<BatchOutcome[]> {
    const out: BatchOutcome[] = [];
    for (const req of reqs) {
      try {
        out.push({ ok: true, packed: await this.sign(req) });
      } catch (err) {
        if (!(err instanceof QuorumUnavailableError)) throw err;
        out.push({ ok: false, error: err });
      }
    }
    await this.sealRoots(reqs, out);
    return out;
  }

  private async sealRoots(reqs: readonly QuorumRequest[], out: BatchOutcome[]): Promise<void> {
    const byChain = new Map<number, number[]>();
    for (const [i, req] of reqs.entries()) {
      // A settlement above its chain's large-amount line is never in a root: receiveBatch refuses it.
      if (!out[i]!.ok || (req.source.kind !== 'settlement' && req.source.kind !== 'nav') || req.aboveLine === true) continue;
      for (const d of req.destinations) byChain.set(Number(d.chainId), [...(byChain.get(Number(d.chainId)) ?? []), i]);
    }
    for (const [chainId, items] of byChain) {
      const first = reqs[items[0]!]!;
      const receiver = first.destinations.find((d) => Number(d.chainId) === chainId)!.receiver;
      const same = items.every((i) => reqs[i]!.message.did === first.message.did && reqs[i]!.destinations.some((d) => Number(d.chainId) === chainId && d.receiver === receiver));
      if (items.length < 2 || !same) continue;
      const { root, proofs } = buildBatchTree(items.map((i) => encodeMessage(reqs[i]!.message)));
      const allowed = new Set(first.signers.map((a) => a.toLowerCase()));
      const typed = batchTypedData(BigInt(chainId), receiver, first.message.did, root);
      const sigs = await Promise.all(this.accounts.filter((a) => allowed.has(a.address.toLowerCase())).map(async (a) => ({ signer: a.address, signature: await a.signTypedData(typed) })));
      const signatures = packQuorum(sigs, first.threshold);
      if (!signatures) continue;
      for (const [k, i] of items.entries()) {
        const o = out[i]!;
        const packed = o.ok ? o.packed.find((p) => p.chainId === chainId) : undefined;
        if (packed) packed.batch = { root, proof: proofs[k]!, signatures };
      }
    }
  }

  async signFor(message: AttestationMessage, destination: Destination, signerSet: readonly Address[], threshold: number): Promise<Hex> {
    const allowed = new Set(signerSet.map((a) => a.toLowerCase()));
    const members = this.accounts.filter((a) => allowed.has(a.address.toLowerCase()));
    const typed = attestationTypedMessage(message);
    const domain = attestationDomain(destination.chainId, destination.receiver);
    const collected = await Promise.all(
      members.map(async (a) => ({
        signer: a.address,
        signature: await a.signTypedData({ domain, types: attestationTypes, primaryType: typed.primaryType, message: typed.message } as Parameters<LocalAccount['signTypedData']>[0]),
      })),
    );
    const packed = packQuorum(collected, threshold);
    if (!packed) throw new QuorumUnavailableError(`holds ${members.length} of the ${threshold} signer keys the DID requires`);
    return packed;
  }
}
