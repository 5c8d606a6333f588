import type { Address, Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { attestationDomain, attestationTypes } from '../../../schemas/eip712.js';
import { attestationTypedMessage, type AttestationMessage } from '../../../schemas/message.js';
import { packQuorum } from './quorum.js';
import { QuorumUnavailableError, type BatchOutcome, type CommitteePort, type Destination, type PackedSignatures, type QuorumRequest } from '../../../core/committee-port.js';

/**
 * Committee keys held by the oracle process itself: dev mode and single-process deployments. For each destination
 * chain it signs the attestation's EIP-712 digest (domain: that chain id and that chain's receiver) with the held
 * keys that are in the DID's signer set, and packs exactly `threshold` of them by ascending signer.
 */
export class Committee implements CommitteePort {
  private readonly accounts: readonly PrivateKeyAccount[];

  constructor(keys: readonly Hex[]) {
    this.accounts = keys.map((k) => privateKeyToAccount(k));
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

  /** Each proposal signed on its own: the keys are here, there is no round trip to save. */
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
    return out;
  }

  async signFor(message: AttestationMessage, destination: Destination, signerSet: readonly Address[], threshold: number): Promise<Hex> {
    const allowed = new Set(signerSet.map((a) => a.toLowerCase()));
    const members = this.accounts.filter((a) => allowed.has(a.address.toLowerCase()));
    const typed = attestationTypedMessage(message);
    const domain = attestationDomain(destination.chainId, destination.receiver);
    const collected = await Promise.all(
      members.map(async (a) => ({
        signer: a.address,
        signature: await a.signTypedData({ domain, types: attestationTypes, primaryType: typed.primaryType, message: typed.message } as Parameters<PrivateKeyAccount['signTypedData']>[0]),
      })),
    );
    const packed = packQuorum(collected, threshold);
    if (!packed) throw new QuorumUnavailableError(`holds ${members.length} of the ${threshold} signer keys the DID requires`);
    return packed;
  }
}
