import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import { signResponseSchema, type SignRequest, type SignResponse } from '../../../schemas/committee.js';
import { attestationId, encodeMessage } from '../../../schemas/message.js';
import { parserFor } from '../../../schemas/validate.js';
import { acceptSignatures, signRequestOf, type Collected } from './accept.js';
import { askAll, packedOrUnavailable, postToSigner, quorumMet, type CallResult } from './signer-call.js';
import { signBatchRemote } from './remote-batch.js';
import type { FetchLike, RemoteCommitteeDeps } from './remote-deps.js';
import { DEFINITIVE_REFUSAL_STATUSES, type BatchOutcome, type CommitteePort, type PackedSignatures, type QuorumRequest } from '../../../core/committee-port.js';

export type { FetchLike, RemoteCommitteeDeps } from './remote-deps.js';

const parseResponse = parserFor<SignResponse>(signResponseSchema);

/**
 * The committee as independent signer processes. Asks every signer in parallel (each call with its own deadline),
 * verifies each returned signature itself (recovers to the claimed signer, signer in the DID's set, low s), keeps
 * collecting per chain until every chain has `threshold` valid signatures, then cancels the stragglers and packs
 * exactly `threshold` by ascending signer. Fewer valid signatures on any chain -> QuorumUnavailableError.
 */
export class RemoteCommittee implements CommitteePort {
  private readonly fetch: FetchLike;

  constructor(private readonly d: RemoteCommitteeDeps) {
    if (d.urls.length === 0) throw new Error('RemoteCommittee needs at least one signer URL');
    this.fetch = d.fetch ?? ((url, init) => fetch(url, init));
  }

  describe() {
    return { mode: 'remote' as const, urls: this.d.urls };
  }

  async sign(req: QuorumRequest): Promise<PackedSignatures[]> {
    const source = req.source;
    const id = attestationId(encodeMessage(req.message));
    const log = this.d.logger.child({ attestationId: id, did: source.request.did, nonce: String(req.message.nonce), kind: source.kind });
    // The original request as posted (config: the registry snapshot); each signer rebuilds the message from it.
    const body = signRequestOf(req);
    const collected: Collected = new Map(req.destinations.map((x) => [Number(x.chainId), []]));
    const outcomes: string[] = [];
    const refusals: string[] = [];
    await askAll(
      this.d.urls,
      async (url, i, stop) => {
        outcomes[i] = `signer ${i + 1}: ${await this.collect(url, body, req, id, collected, stop, log, refusals)}`;
      },
      () => quorumMet(req, collected),
    );
    const r = packedOrUnavailable(req, collected, this.d.urls.length, refusals, outcomes, log);
    if (!r.ok) throw r.error;
    return r.packed;
  }

  /** Several proposals in one call to each signer (POST /v1/sign-batch), each one's quorum on its own. */
  signBatch(reqs: readonly QuorumRequest[]): Promise<BatchOutcome[]> {
    return signBatchRemote({ ...this.d, fetch: this.fetch }, reqs);
  }

  /** Calls one signer and adds its verified signatures to `collected`; returns a short outcome for messages. */
  private async collect(
    url: string,
    body: SignRequest,
    req: QuorumRequest,
    id: Hex,
    collected: Collected,
    stop: AbortSignal,
    log: Logger,
    refusals: string[],
  ): Promise<string> {
    const signer = url; // metric label: the signer URL (few, fixed by config)
    const started = performance.now();
    let result: CallResult<SignResponse>;
    try {
      result = await postToSigner({ ...this.d, fetch: this.fetch }, url, '/v1/sign', body, stop, parseResponse);
    } catch (err) {
      log.error({ err, signerUrl: url }, 'signer call failed unexpectedly');
      result = { outcome: 'bad_response', detail: 'unexpected error' };
    }
    const durationMs = Math.round(performance.now() - started);
    this.d.metrics.signerCallDuration.observe({ signer }, durationMs / 1000);

    if (result.outcome !== 'answered') {
      this.d.metrics.signerCalls.inc({ signer, outcome: result.outcome });
      if (result.outcome === 'cancelled') return 'cancelled after quorum';
      if (result.outcome === 'refused' && DEFINITIVE_REFUSAL_STATUSES.has(result.status)) refusals.push(result.code);
      const detail = result.outcome === 'refused' ? `refused ${result.status} ${result.code}` : `${result.outcome}: ${result.detail}`;
      log.warn({ signerUrl: url, outcome: result.outcome, detail, duration_ms: durationMs }, 'committee signer did not sign');
      return result.outcome === 'refused' ? `refused (${result.code})` : result.outcome;
    }

    const r = result.response;
    if (r.attestationId.toLowerCase() !== id.toLowerCase()) {
      this.d.metrics.signerCalls.inc({ signer, outcome: 'message_mismatch' });
      log.warn({ signerUrl: url, claimedSigner: r.signer, signerAttestationId: r.attestationId }, 'signer built a different message; ignored');
      return 'message mismatch';
    }
    const { accepted, rejected } = await acceptSignatures({ metrics: this.d.metrics, log, url }, req, r.signer as Address, r.signatures, collected);
    this.d.metrics.signerCalls.inc({ signer, outcome: accepted > 0 ? 'signed' : 'rejected' });
    if (accepted > 0) this.d.onSignerAnswered?.(body.kind);
    log.debug({ signerUrl: url, signer: r.signer, accepted, duration_ms: durationMs }, 'committee signer answered');
    return accepted > 0 ? 'signed' : `rejected (${[...new Set(rejected)].join(', ') || 'no signature for the requested chains'})`;
  }
}
