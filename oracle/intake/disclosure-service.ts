import { getAddress, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import type { DisclosureRequest } from '../../schemas/http.js';
import { recoverDisclosureSigner } from '../../core/custodian-auth.js';
import { OracleError } from '../../core/errors.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import { checkNotInFuture } from '../../core/rules.js';
import { disclosureRef, type RedemptionSource } from '../../core/redemption-attestation.js';
import { attestationOf } from '../../core/attestation.js';
import { enabledChains, issueDepsOf, resolveDid, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains, type SubmitResult } from './settlement-service.js';
import type { AttestationRow } from '../store/attestations.js';

const requestHashOf = (b: DisclosureRequest): Hex => keccak256(stringToBytes(JSON.stringify([b.did, b.docKind, b.docHash.toLowerCase(), b.uri, b.asOf])));

export interface DisclosureView {
  docKind: DisclosureRequest['docKind'];
  docHash: string;
  uri: string;
  asOf: number;
  attestationId: string;
  nonce: string;
  createdAt: string;
}

/**
 * Issuer-signed disclosures (NAV report, custody statement, audit report, incident notice): anchored by hash on every
 * chain of the DID (kind 11). Each must be strictly newer (asOf) than the latest of its kind, as the chains require.
 * Idempotent by (docKind, asOf): the same body again answers the same attestation, another body is a 409.
 */
export class DisclosureService {
  constructor(private readonly d: RedemptionDeps) {}

  async submit(body: DisclosureRequest): Promise<SubmitResult> {
    const { hash, record } = await resolveDid(this.d, body.did);
    let signer: Address;
    try {
      signer = await recoverDisclosureSigner({ hubChainId: this.d.hubChainId, registry: this.d.registryAddress }, body);
    } catch (err) {
      throw new OracleError(401, 'bad_signature', 'signature does not recover a signer', 'signature', { cause: err });
    }
    if (signer !== getAddress(record.issuer)) throw new OracleError(403, 'not_the_issuer', `${signer} is not the issuer of ${body.did}`, 'signature');
    const future = checkNotInFuture('asOf', BigInt(body.asOf), this.d.now(), this.d.maxFutureSkewSeconds);
    if (future) throw new OracleError(422, future.code, future.message, future.field);

    const sourceRef = disclosureRef(body);
    const requestHash = requestHashOf(body);
    const source: RedemptionSource = { kind: 'disclosure', request: body };
    return issueOnce(this.d, { did: body.did, hash, kind: 'disclosure', sourceRef, requestHash, field: 'asOf' }, async (nonce) => {
      const latest = this.latest(body.did, body.docKind);
      if (latest?.asOf !== null && latest?.asOf !== undefined && body.asOf <= latest.asOf) {
        throw new OracleError(422, 'disclosure_not_newer', `asOf ${body.asOf} is not later than the latest ${body.docKind} (asOf ${latest.asOf})`, 'asOf');
      }
      return issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), enabledChains(this.d, record).map(BigInt), {
        did: body.did,
        didHash: hash,
        nonce,
        kind: 'disclosure',
        sourceRef,
        requestHash,
        request: JSON.stringify(body),
        submitter: signer,
        asOf: body.asOf,
      });
    });
  }

  /** The latest disclosure of a kind for a DID (highest asOf). */
  private latest(did: string, docKind: DisclosureRequest['docKind']): AttestationRow | undefined {
    return this.list(did).find((r) => (JSON.parse(r.request) as DisclosureRequest).docKind === docKind);
  }

  private list(did: string): AttestationRow[] {
    return this.d.store.ofKind(did, 'disclosure');
  }

  /** A DID's disclosures, newest first, optionally of one kind. */
  listOf(did: string, docKind?: DisclosureRequest['docKind']): DisclosureView[] {
    return this.list(did)
      .map((row) => ({ row, body: JSON.parse(row.request) as DisclosureRequest }))
      .filter(({ body }) => docKind === undefined || body.docKind === docKind)
      .map(({ row, body }) => ({ docKind: body.docKind, docHash: body.docHash.toLowerCase(), uri: body.uri, asOf: body.asOf, attestationId: row.id, nonce: String(row.nonce), createdAt: row.createdAt }));
  }
}
