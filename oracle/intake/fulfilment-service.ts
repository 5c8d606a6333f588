import { getAddress, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import type { FulfilmentRequest } from '../../schemas/http.js';
import type { DidHash } from '../../schemas/ids.js';
import { MAX_NONCE } from '../../schemas/committee.js';
import { recoverFulfilmentSigner } from '../../core/custodian-auth.js';
import { OracleError } from '../../core/errors.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import { checkAmount, checkNotInFuture, type Refusal } from '../../core/rules.js';
import { checkFulfilment } from '../../core/redemption-rules.js';
import type { RedemptionSource } from '../../core/redemption-attestation.js';
import { attestationOf } from '../../core/attestation.js';
import { enabledChains, issueDepsOf, readChain, resolveDid, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains, type SubmitResult } from './settlement-service.js';

/** What the request hash covers: the signed fields (hex lowercased), not the signature bytes. */
const requestHashOf = (b: FulfilmentRequest): Hex =>
  keccak256(stringToBytes(JSON.stringify([b.did, b.chainId, b.requestId, b.settlementRef, b.amount, b.cashLegRef.toLowerCase(), b.settledAt])));

/** Rule refusals as HTTP errors: an unknown request is a 404, the rest 422; the field names the body's field. */
function refuse(r: Refusal | undefined): void {
  if (r) throw new OracleError(r.code === 'unknown_request' ? 404 : 422, r.code, r.message, r.field);
}

/**
 * Custodian-signed redemption fulfilments: cash paid for (part of) a request locked on some chain; the attestation
 * (kind 10) burns that many locked units on that chain only. Checked against the request and the module's
 * redeemableNow on that chain, less what the oracle already attested for the request and the chain has not applied
 * yet, under the DID's lock so two fulfilments of one request cannot both spend the same allowance.
 * The three are read at one block (the chain's newest when the check starts): an earlier fulfilment applied between
 * unpinned reads would show up in some (fulfilled, redeemableNow) and not others (still pending), and the check
 * would refuse a valid instalment or let an excessive one through.
 * Idempotent by settlementRef: the same body again answers the same attestation, another body is a 409.
 */
export class FulfilmentService {
  constructor(private readonly d: RedemptionDeps) {}

  async submit(body: FulfilmentRequest): Promise<SubmitResult> {
    if (BigInt(body.requestId) > MAX_NONCE) throw new OracleError(400, 'invalid_body', 'requestId exceeds 2^64 - 1', 'requestId');
    const { hash, record } = await resolveDid(this.d, body.did);
    let signer: Address;
    try {
      signer = await recoverFulfilmentSigner({ hubChainId: this.d.hubChainId, registry: this.d.registryAddress }, body);
    } catch (err) {
      throw new OracleError(401, 'bad_signature', 'signature does not recover a signer', 'signature', { cause: err });
    }
    if (!(await this.d.registry.isCustodian(hash, signer))) {
      throw new OracleError(403, 'not_a_custodian', `${signer} is not a registered custodian of ${body.did}`, 'signature');
    }
    if (!enabledChains(this.d, record).includes(body.chainId)) throw new OracleError(422, 'chain_not_enabled', `chain ${body.chainId} is not enabled for ${body.did}`, 'chainId');
    const amount = BigInt(body.amount);
    refuse(checkAmount(amount));
    refuse(checkNotInFuture('settledAt', BigInt(body.settledAt), this.d.now(), this.d.maxFutureSkewSeconds));

    const requestHash = requestHashOf(body);
    const source: RedemptionSource = { kind: 'redemptionFulfilment', request: body };
    return issueOnce(this.d, { did: body.did, hash, kind: 'redemptionFulfilment', sourceRef: body.settlementRef, requestHash, field: 'settlementRef' }, async (nonce) => {
      const requestId = BigInt(body.requestId);
      const at = await readChain(`the newest block of chain ${body.chainId}`, () => this.d.chains.latestBlock(body.chainId));
      const [request, allowance, pending] = await Promise.all([
        readChain(`request ${requestId} on chain ${body.chainId}`, () => this.d.chains.requestOf(body.chainId, hash, requestId, at)),
        readChain(`the allowance of request ${requestId} on chain ${body.chainId}`, () => this.d.chains.redeemableNow(body.chainId, hash, requestId, at)),
        this.pending(hash, body.chainId, body.requestId, at),
      ]);
      refuse(checkFulfilment(amount, request, allowance, pending));
      return issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), [BigInt(body.chainId)], {
        did: body.did,
        didHash: hash,
        nonce,
        kind: 'redemptionFulfilment',
        sourceRef: body.settlementRef,
        requestHash,
        request: JSON.stringify({ ...body, cashLegRef: body.cashLegRef.toLowerCase() }),
        submitter: getAddress(signer),
      });
    });
  }

  /** Fulfilments the oracle attested for the request whose nonce its chain had not used by block `at`. */
  private async pending(hash: DidHash, chainId: number, requestId: string, at: bigint): Promise<bigint> {
    let pending = 0n;
    for (const f of this.d.redemptions.fulfilmentsOf(hash, chainId, requestId)) {
      const applied = await readChain(`nonce ${f.nonce} on chain ${chainId}`, () => this.d.destinations.isApplied(chainId, hash, BigInt(f.nonce), at));
      if (!applied) pending += BigInt(f.amount);
    }
    return pending;
  }
}
