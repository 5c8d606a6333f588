import type { Address, Hex, PublicClient } from 'viem';
import { rwaReceiverAbi, rwaTransportQuorumAbi } from '../schemas/abi.js';

/**
 * Reads, on one chain, which transports delivered an attestation to a receiver: the bitmask its RwaTransportQuorum
 * recorded (cctp 1, ccip 2, wormhole 4). Each receiver's gate address (fixed at its construction) is read once.
 */
export function quorumArrivalsReader(pub: PublicClient): (receiver: Address, attestationId: Hex) => Promise<number> {
  const gates = new Map<string, Promise<Address>>();
  return async (receiver, attestationId) => {
    let gate = gates.get(receiver);
    if (!gate) {
      gate = pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'transportQuorum' });
      gates.set(receiver, gate);
      gate.catch(() => gates.delete(receiver));
    }
    const [arrived] = await pub.readContract({ address: await gate, abi: rwaTransportQuorumAbi, functionName: 'arrivalsOf', args: [attestationId] });
    return arrived;
  };
}
