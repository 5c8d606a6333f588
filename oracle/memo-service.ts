import { getAddress, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { memoSource, type MemoRequest } from '../schemas/kinds/memo.js';
import { recoverCustodianSigner } from './custodian-auth.js';
import { OracleError } from './errors.js';
import { issueAttestation } from './issue.js';
import { issueOnce } from './issue-once.js';
import { attestationOf } from './attestation.js';
import { enabledChains, issueDepsOf, resolveDid, type RedemptionDeps } from './redemption-deps.js';
import { signerSetOnChains, type SubmitResult } from './service.js';

/** Issuer-signed memos (kind 17): anchored by hash on every chain of the DID; idempotent by ref. */
export class MemoService {
  constructor(private readonly d: RedemptionDeps) {}

  async submit(body: MemoRequest): Promise<SubmitResult> {
    const { hash, record } = await resolveDid(this.d, body.did);
    let signer: Address;
    try {
      signer = await recoverCustodianSigner('Memo', { hubChainId: this.d.hubChainId, registry: this.d.registryAddress }, body);
    } catch (err) {
      throw new OracleError(401, 'bad_signature', 'signature does not recover a signer', 'signature', { cause: err });
    }
    if (signer !== getAddress(record.issuer)) throw new OracleError(403, 'not_the_issuer', `${signer} is not the issuer of ${body.did}`, 'signature');
    const source = { kind: 'memo' as const, request: body };
    const sourceRef = memoSource.ref(source);
    const requestHash: Hex = keccak256(stringToBytes(JSON.stringify([body.did, body.ref, body.memoHash.toLowerCase()])));
    return issueOnce(this.d, { did: body.did, hash, kind: 'memo', sourceRef, requestHash, field: 'ref' }, (nonce) =>
      issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), enabledChains(this.d, record).map(BigInt), {
        did: body.did,
        didHash: hash,
        nonce,
        kind: 'memo',
        sourceRef,
        requestHash,
        request: JSON.stringify(body),
        submitter: signer,
      }),
    );
  }
}
