import type { Logger } from 'pino';
import type { Parsed } from '../../../schemas/validate.js';
import { QuorumUnavailableError, type PackedSignatures, type QuorumRequest } from '../../../core/committee-port.js';
import { errorCodeOf, type Collected } from './accept.js';
import { packQuorum } from './quorum.js';
import type { FetchLike, RemoteCommitteeDeps } from './remote-deps.js';

/** What one call to one signer came to. Never thrown: a signer that fails only lowers availability. */
export type CallResult<T> =
  | { outcome: 'answered'; response: T }
  | { outcome: 'refused'; status: number; code: string }
  | { outcome: 'unreachable' | 'timeout' | 'cancelled' | 'bad_response'; detail: string };

/**
 * POSTs `body` to one signer's `path` with its bearer token, under the call deadline and the caller's `stop` (quorum
 * reached); the answer parsed with `parse`, or what went wrong.
 */
export async function postToSigner<T>(
  d: Pick<RemoteCommitteeDeps, 'urls' | 'tokens' | 'timeoutMs'> & { fetch: FetchLike },
  url: string,
  path: string,
  body: unknown,
  stop: AbortSignal,
  parse: (json: unknown) => Parsed<T>,
): Promise<CallResult<T>> {
  const timeout = AbortSignal.timeout(d.timeoutMs);
  const signal = AbortSignal.any([stop, timeout]);
  let res: Response;
  let json: unknown;
  try {
    const token = d.tokens?.[d.urls.indexOf(url)];
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    res = await d.fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal });
    json = await res.json();
  } catch (err) {
    if (err instanceof SyntaxError) return { outcome: 'bad_response', detail: 'body is not JSON' };
    if (stop.aborted) return { outcome: 'cancelled', detail: 'quorum reached' };
    if (timeout.aborted) return { outcome: 'timeout', detail: `no answer within ${d.timeoutMs} ms` };
    return { outcome: 'unreachable', detail: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err) };
  }
  if (!res.ok) return { outcome: 'refused', status: res.status, code: errorCodeOf(json) };
  const parsed = parse(json);
  if (!parsed.ok) return { outcome: 'bad_response', detail: `${parsed.issue.field} ${parsed.issue.message}` };
  return { outcome: 'answered', response: parsed.value };
}

/**
 * Asks every signer in parallel (`ask` with its index and the shared stop signal) until all answered or `done()`,
 * then cancels the stragglers and waits for them to settle (an abort settles at once).
 */
export async function askAll(urls: readonly string[], ask: (url: string, index: number, stop: AbortSignal) => Promise<void>, done: () => boolean): Promise<void> {
  const stop = new AbortController();
  let calls: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    let pending = urls.length;
    calls = urls.map((url, i) =>
      ask(url, i, stop.signal).then(() => {
        pending -= 1;
        if (pending === 0 || done()) resolve();
      }),
    );
  });
  stop.abort();
  await Promise.all(calls);
}

/** True when every destination of `req` has `threshold` valid signatures in `collected`. */
export const quorumMet = (req: QuorumRequest, collected: Collected): boolean =>
  req.destinations.every((x) => packQuorum(collected.get(Number(x.chainId)) ?? [], req.threshold) !== undefined);

/**
 * Exactly `threshold` signatures per destination, by ascending signer; or, for the first destination short of its
 * quorum, a QuorumUnavailableError (`impossible` when so many signers refused it for good that the rest cannot reach
 * the threshold).
 */
export function packedOrUnavailable(
  req: QuorumRequest,
  collected: Collected,
  signers: number,
  refusals: string[],
  outcomes: readonly string[],
  log: Logger,
): { ok: true; packed: PackedSignatures[] } | { ok: false; error: QuorumUnavailableError } {
  const packed: PackedSignatures[] = [];
  for (const dest of req.destinations) {
    const sigs = collected.get(Number(dest.chainId)) ?? [];
    const signatures = packQuorum(sigs, req.threshold);
    if (!signatures) {
      const valid = new Set(sigs.map((s) => s.signer)).size;
      log.warn({ chainId: Number(dest.chainId), valid, threshold: req.threshold, outcomes }, 'committee quorum not reached');
      const impossible = signers - refusals.length < req.threshold;
      const error = new QuorumUnavailableError(
        `${valid} valid committee signature(s) for chain ${dest.chainId}, ${req.threshold} required (${outcomes.filter(Boolean).join('; ')})`,
        { refusals, impossible },
      );
      return { ok: false, error };
    }
    packed.push({ chainId: Number(dest.chainId), receiver: dest.receiver, signatures });
  }
  return { ok: true, packed };
}
