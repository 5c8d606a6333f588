import { concat, type Address, type Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { attestationDomain, attestationTypes } from '../schemas/eip712.js';
import { attestationTypedMessage, type AttestationMessage } from '../schemas/message.js';

export class QuorumUnavailableError extends Error {
  override readonly name = 'QuorumUnavailableError';
}

/**
 * The committee keys this oracle holds. For each destination chain it signs the attestation's EIP-712 digest
 * (domain: that chain id and that chain's receiver) and packs exactly `threshold` signatures by ascending signer,
 * as RwaReceiver requires.
 */
export class Committee {
  private readonly accounts: readonly PrivateKeyAccount[];

  constructor(keys: readonly Hex[]) {
    this.accounts = keys.map((k) => privateKeyToAccount(k));
  }

  get addresses(): readonly Address[] {
    return this.accounts.map((a) => a.address);
  }

  async signFor(
    message: AttestationMessage,
    destination: { chainId: bigint; receiver: Address },
    signerSet: readonly Address[],
    threshold: number,
  ): Promise<Hex> {
    const allowed = new Set(signerSet.map((a) => a.toLowerCase()));
    const members = this.accounts
      .filter((a) => allowed.has(a.address.toLowerCase()))
      .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1))
      .slice(0, threshold);
    if (members.length < threshold) {
      throw new QuorumUnavailableError(`holds ${members.length} of the ${threshold} signer keys the DID requires`);
    }
    const typed = attestationTypedMessage(message);
    const domain = attestationDomain(destination.chainId, destination.receiver);
    const signatures = await Promise.all(
      members.map((a) => a.signTypedData({ domain, types: attestationTypes, primaryType: typed.primaryType, message: typed.message } as Parameters<PrivateKeyAccount['signTypedData']>[0])),
    );
    return concat(signatures);
  }
}
