import type { AttestationRow, DeliveryRow } from '../store/attestations.js';

/** An attestation as the API answers it: the stored row with its per-chain signatures. */
export function attestationView(row: AttestationRow, deliveries: DeliveryRow[]) {
  return {
    seq: row.seq,
    id: row.id,
    did: row.did,
    didHash: row.didHash,
    nonce: String(row.nonce),
    kind: row.kind,
    message: row.message,
    createdAt: row.createdAt,
    deliveries: deliveries.map((d) => ({ chainId: d.chainId, receiver: d.receiver, signatures: d.signatures })),
  };
}
