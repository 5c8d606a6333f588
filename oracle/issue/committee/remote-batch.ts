import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import { signBatchResponseSchema, type SignBatchRequest, type SignBatchResponse } from '../../../schemas/committee.js';
import { attestationId, encodeMessage } from '../../../schemas/message.js';
import { parserFor } from '../../../schemas/validate.js';
import { acceptSignatures, signRequestOf, type Collected } from './accept.js';
import { askAll, packedOrUnavailable, postToSigner, quorumMet, type CallResult } from './signer-call.js';
import type { FetchLike, RemoteCommitteeDeps } from './remote-deps.js';
import { DEFINITIVE_REFUSAL_STATUSES, type BatchOutcome, type QuorumRequest } from '../../../core/committee-port.js';
import { RootCollector } from './batch-roots.js';

const parseResponse = parserFor<SignBatchResponse>(signBatchResponseSchema);

/** One proposal of the batch and what the signers' answers came to for it. */
interface Item {
  req: QuorumRequest;
  id: Hex;
  log: Logger;
  collected: Collected;
  /** Codes of the signers that refused it for good (4xx other than 401/429). */
  refusals: string[];
  outcomes: string[];
}

/**
 * Group commit over remote signers: one POST /v1/sign-batch to every signer in parallel with all the proposals, each
 * signer's per-item answers verified as for one proposal (acceptSignatures); waits until every proposal has its quorum
 * or every signer answered, cancels the stragglers, and answers per proposal: its packed quorums, or a
 * QuorumUnavailableError of its own (`impossible` when so many signers refused that one for good that the rest cannot
 * reach the threshold). A whole call that fails (down, timeout, 401, a bad answer) only lowers availability.
 * Each signer's batch roots are checked and collected too (RootCollector): a proposal whose chain's root has a
 * quorum gets its place in it (PackedSignatures.batch); the round waits for those roots as for the messages.
 */
export async function signBatchRemote(d: RemoteCommitteeDeps & { fetch: FetchLike }, reqs: readonly QuorumRequest[]): Promise<BatchOutcome[]> {
  const items: Item[] = reqs.map((req) => {
    const id = attestationId(encodeMessage(req.message));
    return {
      req,
      id,
      log: d.logger.child({ attestationId: id, did: req.source.request.did, nonce: String(req.message.nonce), kind: req.source.kind }),
      collected: new Map(req.destinations.map((x) => [Number(x.chainId), []])),
      refusals: [],
      outcomes: [],
    };
  });
  const body: SignBatchRequest = { items: reqs.map(signRequestOf) };
  const roots = new RootCollector(d, reqs, reqs.map((req) => encodeMessage(req.message)));
  await askAll(
    d.urls,
    (url, i, stop) => askOne(d, url, i, body, items, roots, stop),
    () => items.every((it) => quorumMet(it.req, it.collected)) && roots.met(),
  );
  const outcomes = items.map((it): BatchOutcome => {
    const r = packedOrUnavailable(it.req, it.collected, d.urls.length, it.refusals, it.outcomes, it.log);
    return r.ok ? { ok: true, packed: r.packed } : { ok: false, error: r.error };
  });
  roots.seal(outcomes);
  return outcomes;
}

/** Calls one signer with the batch and adds its verified signatures (or its refusals) to each item. */
async function askOne(d: RemoteCommitteeDeps & { fetch: FetchLike }, url: string, index: number, body: SignBatchRequest, items: Item[], roots: RootCollector, stop: AbortSignal): Promise<void> {
  const label = `signer ${index + 1}`;
  const started = performance.now();
  let result: CallResult<SignBatchResponse>;
  try {
    result = await postToSigner(d, url, '/v1/sign-batch', body, stop, parseResponse);
  } catch (err) {
    d.logger.error({ err, signerUrl: url }, 'signer batch call failed unexpectedly');
    result = { outcome: 'bad_response', detail: 'unexpected error' };
  }
  const durationMs = Math.round(performance.now() - started);
  d.metrics.signerCallDuration.observe({ signer: url }, durationMs / 1000);
  if (result.outcome === 'answered' && result.response.results.length !== items.length) {
    result = { outcome: 'bad_response', detail: `${result.response.results.length} results for ${items.length} items` };
  }
  if (result.outcome !== 'answered') {
    d.metrics.signerCalls.inc({ signer: url, outcome: result.outcome });
    const detail = result.outcome === 'refused' ? `refused ${result.status} ${result.code}` : `${result.outcome}: ${result.detail}`;
    if (result.outcome !== 'cancelled') d.logger.warn({ signerUrl: url, outcome: result.outcome, detail, items: items.length, duration_ms: durationMs }, 'committee signer did not sign the batch');
    // A whole batch refused is not a verdict on any one proposal: asked alone (the sweep), each gets its own.
    for (const it of items) it.outcomes[index] = `${label}: ${result.outcome === 'cancelled' ? 'cancelled after quorum' : detail}`;
    return;
  }
  const signer = result.response.signer as Address;
  let signedAny = false;
  const matched = new Set<number>();
  for (const [i, r] of result.response.results.entries()) {
    const it = items[i]!;
    if (!('signatures' in r)) {
      d.metrics.signerCalls.inc({ signer: url, outcome: 'refused' });
      if (DEFINITIVE_REFUSAL_STATUSES.has(r.status)) it.refusals.push(r.error.code);
      it.outcomes[index] = `${label}: refused (${r.error.code})`;
      it.log.warn({ signerUrl: url, status: r.status, code: r.error.code }, 'committee signer refused a batch item');
      continue;
    }
    if (r.attestationId.toLowerCase() !== it.id.toLowerCase()) {
      d.metrics.signerCalls.inc({ signer: url, outcome: 'message_mismatch' });
      it.log.warn({ signerUrl: url, claimedSigner: signer, signerAttestationId: r.attestationId }, 'signer built a different message; ignored');
      it.outcomes[index] = `${label}: message mismatch`;
      continue;
    }
    const { accepted, rejected } = await acceptSignatures({ metrics: d.metrics, log: it.log, url }, it.req, signer, r.signatures, it.collected);
    d.metrics.signerCalls.inc({ signer: url, outcome: accepted > 0 ? 'signed' : 'rejected' });
    it.outcomes[index] = `${label}: ${accepted > 0 ? 'signed' : `rejected (${[...new Set(rejected)].join(', ') || 'no signature for the requested chains'})`}`;
    if (accepted > 0) {
      signedAny = true;
      matched.add(i);
      d.onSignerAnswered?.(it.req.source.kind);
    }
  }
  await roots.accept(url, signer, result.response.roots ?? [], matched);
  d.logger.debug({ signerUrl: url, signer, items: items.length, signedAny, duration_ms: durationMs }, 'committee signer answered a batch');
}
