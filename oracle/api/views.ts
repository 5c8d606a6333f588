import type { AttestationRow, DeliveryRow } from '../store/attestations.js';

/** A delivery's place in a batch root, when the committee signed one for its chain (schemas/http.ts `batch`). */
function batchOf(d: DeliveryRow): { batch?: { root: string; proof: string[]; signatures: string } } {
  if (d.batchRoot === null || d.batchProof === null || d.batchSignatures === null) return {};
  return { batch: { root: d.batchRoot, proof: JSON.parse(d.batchProof) as string[], signatures: d.batchSignatures } };
}

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
    deliveries: deliveries.map((d) => ({ chainId: d.chainId, receiver: d.receiver, signatures: d.signatures, ...batchOf(d) })),
  };
}
