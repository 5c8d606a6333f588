import type { DidHash } from '../schemas/ids.js';
import { transportQuorumIssue } from '../schemas/message.js';
import type { QuorumSource } from '../core/quorum-attestation.js';
import { OracleError } from '../core/errors.js';
import { destinationsOf, registered, requireMember, type SignerCheckDeps, type Vetted } from './checks.js';
import { readChain } from '../core/guards.js';

/**
 * A signer's own checks of a transport quorum (kind 12), reading the hub registry itself: signed for the chain the
 * rule is for and no other; the rule is valid (schemas/quorum-message.ts); k and transports equal the registry's
 * current transportQuorumOf(did, chainId). Checked on every request, as for the redemption policy: a quorum the
 * registry no longer holds is never signed, even at a nonce already approved.
 */
export async function vetQuorumRequest(d: SignerCheckDeps, source: QuorumSource, did: DidHash, chainIds: readonly number[]): Promise<Vetted> {
  const q = source.request;
  const record = await registered(d, did, q.did);
  requireMember(d, record.signers, `the signer set of ${record.did}`);
  const quorums = d.quorums;
  if (!quorums) throw new OracleError('quorums_not_configured', 'this signer does not read the transport quorums of the hub registry');
  if (chainIds.length !== 1 || chainIds[0] !== q.chainId) throw new OracleError('chain_mismatch', `a transport quorum is signed for its own chain ${q.chainId} only`, 'chainIds');
  const destinations = destinationsOf(d, record, chainIds);
  const issue = transportQuorumIssue(q.k, q.transports);
  if (issue) throw new OracleError('invalid_transport_quorum', issue, 'request.k');
  const current = await readChain('the hub registry', () => quorums.transportQuorumOf(did, BigInt(q.chainId)));
  for (const key of ['k', 'transports'] as const) {
    if (current[key] !== q[key]) throw new OracleError('quorum_mismatch', `${key} differs from the hub registry's transport quorum on chain ${q.chainId} (${current[key]})`, `request.${key}`);
  }
  return { record, destinations };
}
