import type { Hex } from 'viem';
import { decodeMessage } from '../schemas/message.js';

/** The body of a transport-quorum attestation (kind 12): the rule for one chain. */
export interface QuorumRule {
  chainId: number;
  k: number;
  transports: number;
}

/** The rule a kind-12 message sets (the oracle and its signers validated it against the registry). */
export function decodeQuorumRule(message: Hex): QuorumRule {
  const m = decodeMessage(message);
  if (m.kind !== 'transportQuorum') throw new Error(`not a transport quorum message (kind ${m.kind})`);
  return { chainId: Number(m.chainId), k: m.k, transports: m.transports };
}
