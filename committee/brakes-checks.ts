import type { DidHash } from '../schemas/ids.js';
import { BRAKES_FIELDS, brakesIssue, brakesValuesOf, type BrakesSource } from '../schemas/kinds/brakes-source.js';
import { OracleError } from '../core/errors.js';
import { destinationsOf, registered, requireMember, type SignerCheckDeps, type Vetted } from './checks.js';
import { readChain } from '../core/guards.js';

/**
 * A signer's own checks of brakes (kind 14), reading the hub registry itself: signed for the chain the brakes are
 * for and no other; valid for the DID's set (RwaDidRegistry.setBrakes' rule, schemas/kinds/brakes-source.ts); every
 * field equal to the registry's current brakesOf(did, chainId). Checked on every request, as for the transport
 * quorum: brakes the registry no longer holds are never signed, even at a nonce already approved.
 */
export async function vetBrakesRequest(d: SignerCheckDeps, source: BrakesSource, did: DidHash, chainIds: readonly number[]): Promise<Vetted> {
  const b = source.request;
  const record = await registered(d, did, b.did);
  requireMember(d, record.signers, `the signer set of ${record.did}`);
  const brakes = d.brakes;
  if (!brakes) throw new OracleError('brakes_not_configured', 'this signer does not read the brakes of the hub registry');
  if (chainIds.length !== 1 || chainIds[0] !== b.chainId) throw new OracleError('chain_mismatch', `brakes are signed for their own chain ${b.chainId} only`, 'chainIds');
  const destinations = destinationsOf(d, record, chainIds);
  const values = brakesValuesOf(b);
  const issue = brakesIssue(values, record.threshold, record.signers.length);
  if (issue) throw new OracleError('invalid_brakes', issue, 'request');
  const current = await readChain('the hub registry', () => brakes.brakesOf(did, BigInt(b.chainId)));
  for (const key of BRAKES_FIELDS) {
    if (current[key] !== values[key]) throw new OracleError('brakes_mismatch', `${key} differs from the hub registry's brakes on chain ${b.chainId} (${current[key]})`, `request.${key}`);
  }
  return { record, destinations };
}
