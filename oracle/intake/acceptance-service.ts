import { getAddress, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import type { AcceptanceRequest } from '../../schemas/http.js';
import { MAX_NONCE } from '../../schemas/committee.js';
import { recoverAcceptanceSigner } from '../../core/custodian-auth.js';
import { OracleError } from '../../core/errors.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import { checkNotInFuture, type Refusal } from '../../core/rules.js';
import { checkAcceptance } from '../../core/redemption-rules.js';
import type { RedemptionSource } from '../../core/redemption-attestation.js';
import { attestationOf } from '../../core/attestation.js';
import { enabledChains, issueDepsOf, readChain, resolveDid, type RedemptionDeps } from '../redemption-deps.js';
import { acceptanceSourceRef } from '../store/redemptions.js';
import { signerSetOnChains, type SubmitResult } from './settlement-service.js';

/** What the request hash covers: the signed fields (address checksummed), not the signature bytes. */
const requestHashOf = (b: AcceptanceRequest): Hex =>
  keccak256(stringToBytes(JSON.stringify([b.did, b.chainId, b.requestId, getAddress(b.owner), b.amount, b.acceptedAt])));

function refuse(r: Refusal | undefined): void {
  if (r) throw new OracleError(r.code === 'unknown_request' ? 404 : 422, r.code, r.message, r.field);
}

/**
 * Custodian-signed redemption acceptances: the custodian commits to pay a request before it pays (ERC-7887's answer
 * for ERC-7540 vaults: cancelling and fulfilling must not both be possible). The attestation (kind 13) goes to the
 * request's chain only; once applied the holder can no longer cancel, a fulfilment may apply, and the request
 * watcher reports the request to the hub, where it counts as pressure. Checked against the request at the chain's
 * newest block: it exists, is open, neither cancelled nor accepted, with the owner and amount signed. A holder may
 * still cancel while the acceptance is in flight; then the chain refuses the acceptance (`RequestClosed`) and the
 * custodian must not pay: it pays only once `accepted` is true on chain (the fulfilment route checks it).
 * One acceptance per request: the same body again answers the same attestation, another body is a 409.
 */
export class AcceptanceService {
  constructor(private readonly d: RedemptionDeps) {}

  async submit(body: AcceptanceRequest): Promise<SubmitResult> {
    if (BigInt(body.requestId) > MAX_NONCE) throw new OracleError(400, 'invalid_body', 'requestId exceeds 2^64 - 1', 'requestId');
    const { hash, record } = await resolveDid(this.d, body.did);
    let signer: Address;
    try {
      signer = await recoverAcceptanceSigner({ hubChainId: this.d.hubChainId, registry: this.d.registryAddress }, body);
    } catch (err) {
      throw new OracleError(401, 'bad_signature', 'signature does not recover a signer', 'signature', { cause: err });
    }
    if (!(await this.d.registry.isCustodian(hash, signer))) {
      throw new OracleError(403, 'not_a_custodian', `${signer} is not a registered custodian of ${body.did}`, 'signature');
    }
    if (!enabledChains(this.d, record).includes(body.chainId)) throw new OracleError(422, 'chain_not_enabled', `chain ${body.chainId} is not enabled for ${body.did}`, 'chainId');
    refuse(checkNotInFuture('acceptedAt', BigInt(body.acceptedAt), this.d.now(), this.d.maxFutureSkewSeconds));

    const requestHash = requestHashOf(body);
    const sourceRef = acceptanceSourceRef(body.chainId, body.requestId);
    const source: RedemptionSource = { kind: 'redemptionAcceptance', request: { ...body, owner: getAddress(body.owner) } };
    return issueOnce(this.d, { did: body.did, hash, kind: 'redemptionAcceptance', sourceRef, requestHash, field: 'requestId' }, async (nonce) => {
      const requestId = BigInt(body.requestId);
      const at = await readChain(`the newest block of chain ${body.chainId}`, () => this.d.chains.latestBlock(body.chainId));
      const request = await readChain(`request ${requestId} on chain ${body.chainId}`, () => this.d.chains.requestOf(body.chainId, hash, requestId, at));
      refuse(checkAcceptance(body.owner, BigInt(body.amount), request));
      return issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), [BigInt(body.chainId)], {
        did: body.did,
        didHash: hash,
        nonce,
        kind: 'redemptionAcceptance',
        sourceRef,
        requestHash,
        request: JSON.stringify(source.request),
        submitter: getAddress(signer),
      });
    });
  }
}
