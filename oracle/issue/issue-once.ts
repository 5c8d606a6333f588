import type { Hex } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import type { KeyedMutex } from '../../common/mutex.js';
import { OracleError } from '../../core/errors.js';
import type { AttestationRow, AttestationStore } from '../store/attestations.js';
import type { SubmitResult } from '../intake/settlement-service.js';

/**
 * Runs `make` under the DID's lock with its next nonce, unless an attestation of the same kind and source reference
 * exists: the same request hash returns it (a repeat), another one is a 409 naming `field`.
 */
export function issueOnce(
  d: { lock: KeyedMutex; store: AttestationStore },
  at: { did: string; hash: DidHash; kind: AttestationRow['kind']; sourceRef: string; requestHash: Hex; field: string },
  make: (nonce: number) => Promise<AttestationRow>,
): Promise<SubmitResult> {
  return d.lock.run(at.hash, async () => {
    const existing = d.store.findBySource(at.did, at.kind, at.sourceRef);
    if (existing) {
      if (existing.requestHash !== at.requestHash) {
        throw new OracleError(409, 'conflicting_repeat', `${at.field} was already used with a different body (attestation ${existing.id})`, at.field);
      }
      return { created: false, attestation: existing };
    }
    return { created: true, attestation: await make(d.store.nextNonce(at.hash)) };
  });
}
