import type { Address } from 'viem';
import type { AttestationStore } from '../store/attestations.js';
import { brakesRefPrefix, brakesValuesOf, type BrakesSnapshot } from '../../schemas/kinds/brakes-source.js';

/**
 * The set a round is signed by. `largeThreshold` is set on a settlement whose amount is above its destination
 * chain's large-amount line: the receiver then wants exactly that many signatures (LargeAmountNeedsThreshold), and
 * refuses it in a batch root. Decided once, when the message is proposed, and stored with the proposal, so every
 * retry and the sweep sign the same message with the same count.
 */
export interface ScaledSignerSet {
  signers: readonly Address[];
  threshold: number;
  largeThreshold?: number;
}

/** The brakes last attested for (DID, chain) (kind 14, highest nonce), or undefined before the first. */
export function attestedBrakes(store: Pick<AttestationStore, 'ofKind'>, did: string, chainId: number): (BrakesSnapshot & { nonce: number }) | undefined {
  const prefix = brakesRefPrefix(chainId);
  // ofKind: highest nonce first (kind 14 has no as-of).
  const last = store.ofKind(did, 'brakes').find((r) => r.sourceRef.startsWith(prefix));
  return last ? { ...(JSON.parse(last.request) as BrakesSnapshot), nonce: last.nonce } : undefined;
}

/** True when `amount` is above a line (largeAmount 0: no line). The receiver's test: amount > largeAmount. */
export const isAboveLine = (amount: bigint, largeAmount: bigint): boolean => largeAmount > 0n && amount > largeAmount;

/**
 * The set for a settlement of `amount` to `chainId`: the given set, with the line's threshold when the amount is
 * above the line attested for that chain. The attested line, not the one read from the chain: attestations of a DID
 * are relayed in nonce order, so the brakes attested before this settlement reach the chain before it does (the
 * same rule as signerSetOnChains for the signer set).
 */
export function scaleForAmount(
  store: Pick<AttestationStore, 'ofKind'>,
  did: string,
  chainId: number,
  amount: bigint,
  set: { signers: readonly Address[]; threshold: number },
): ScaledSignerSet {
  const brakes = attestedBrakes(store, did, chainId);
  if (!brakes) return set;
  const { largeAmount, largeThreshold } = brakesValuesOf(brakes);
  return isAboveLine(amount, largeAmount) ? { signers: set.signers, threshold: set.threshold, largeThreshold } : { signers: set.signers, threshold: set.threshold };
}
