import { getAddress } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import type { MemoRequest } from '../../schemas/kinds/memo.js';
import { recoverCustodianSigner } from '../custodian-auth.js';
import { OracleError } from '../errors.js';
import { destinationsOf, registered, requireMember, type SignerCheckDeps, type Vetted } from './checks.js';

/** A memo (kind 17): this signer is in the DID's set, every chain is enabled, and the DID's issuer signed it. */
export async function vetMemoRequest(d: SignerCheckDeps, source: { kind: 'memo'; request: MemoRequest }, did: DidHash, chainIds: readonly number[]): Promise<Vetted> {
  const record = await registered(d, did, source.request.did);
  requireMember(d, record.signers, `the signer set of ${record.did}`);
  const destinations = destinationsOf(d, record, chainIds);
  const signer = await recoverCustodianSigner('Memo', d.custodianDomain, source.request).catch((err: unknown) => {
    throw new OracleError(401, 'bad_signature', 'signature does not recover a signer', 'request.signature', { cause: err });
  });
  if (signer !== getAddress(record.issuer)) throw new OracleError(403, 'not_the_issuer', `${signer} is not the issuer of ${record.did}`, 'request.signature');
  return { record, destinations };
}
