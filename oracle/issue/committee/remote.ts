import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import { signResponseSchema, type SignRequest, type SignResponse } from '../../../schemas/committee.js';
import { attestationId, encodeMessage } from '../../../schemas/message.js';
import { parserFor } from '../../../schemas/validate.js';
import { packQuorum } from './quorum.js';
import { acceptSignatures, errorCodeOf, signRequestOf, type Collected } from './accept.js';
import { signBatchRemote } from './remote-batch.js';
import type { FetchLike, RemoteCommitteeDeps } from './remote-deps.js';
import { DEFINITIVE_REFUSAL_STATUSES, QuorumUnavailableError, type BatchOutcome, type CommitteePort, type PackedSignatures, type QuorumRequest } from '../../../core/committee-port.js';

export type { FetchLike, RemoteCommitteeDeps } from './remote-deps.js';

/** What one call to one signer came to. Never thrown: a signer that fails only lowers availability. */
type CallResult =
  | { outcome: 'answered'; response: SignResponse }
  | { outcome: 'refused'; status: number; code: string }
  | { outcome: 'unreachable' | 'timeout' | 'cancelled' | 'bad_response'; detail: string };

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
    const quorumMet = () => req.destinations.every((x) => packQuorum(collected.get(Number(x.chainId)) ?? [], req.threshold) !== undefined);
    const stop = new AbortController();
    const outcomes: string[] = [];
    const refusals: string[] = [];

    let calls: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      let pending = this.d.urls.length;
      calls = this.d.urls.map((url, i) =>
        this.collect(url, body, req, id, collected, stop.signal, log, refusals).then((outcome) => {
          outcomes[i] = `signer ${i + 1}: ${outcome}`;
          pending -= 1;
          if (pending === 0 || quorumMet()) resolve();
        }),
      );
    });
    // Quorum met or everyone answered: cancel the stragglers and let them settle (an abort settles at once).
    stop.abort();
    await Promise.all(calls);

    const packed: PackedSignatures[] = [];
    for (const dest of req.destinations) {
      const sigs = collected.get(Number(dest.chainId)) ?? [];
      const signatures = packQuorum(sigs, req.threshold);
      if (!signatures) {
        const valid = new Set(sigs.map((s) => s.signer)).size;
        log.warn({ chainId: Number(dest.chainId), valid, threshold: req.threshold, outcomes }, 'committee quorum not reached');
        // Signers that refused this message for good never sign it: can the others still reach the threshold?
        const impossible = this.d.urls.length - refusals.length < req.threshold;
        throw new QuorumUnavailableError(
          `${valid} valid committee signature(s) for chain ${dest.chainId}, ${req.threshold} required (${outcomes.filter(Boolean).join('; ')})`,
          { refusals, impossible },
        );
      }
      packed.push({ chainId: Number(dest.chainId), receiver: dest.receiver, signatures });
    }
    return packed;
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
    let result: CallResult;
    try {
      result = await this.call(url, body, stop);
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

  private async call(url: string, body: SignRequest, stop: AbortSignal): Promise<CallResult> {
    const timeout = AbortSignal.timeout(this.d.timeoutMs);
    const signal = AbortSignal.any([stop, timeout]);
    const failed = (err: unknown): CallResult => {
      if (stop.aborted) return { outcome: 'cancelled', detail: 'quorum reached' };
      if (timeout.aborted) return { outcome: 'timeout', detail: `no answer within ${this.d.timeoutMs} ms` };
      return { outcome: 'unreachable', detail: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err) };
    };
    let res: Response;
    let json: unknown;
    try {
      const token = this.d.tokens?.[this.d.urls.indexOf(url)];
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
      res = await this.fetch(`${url}/v1/sign`, { method: 'POST', headers, body: JSON.stringify(body), signal });
      json = await res.json();
    } catch (err) {
      if (err instanceof SyntaxError) return { outcome: 'bad_response', detail: 'body is not JSON' };
      return failed(err);
    }
    if (!res.ok) return { outcome: 'refused', status: res.status, code: errorCodeOf(json) };
    const parsed = parseResponse(json);
    if (!parsed.ok) return { outcome: 'bad_response', detail: `${parsed.issue.field} ${parsed.issue.message}` };
    return { outcome: 'answered', response: parsed.value };
  }
}
