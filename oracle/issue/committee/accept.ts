import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import type { ChainSignature, SignRequest } from '../../../schemas/committee.js';
import type { OracleMetrics } from '../../metrics.js';
import type { QuorumRequest } from '../../../core/committee-port.js';
import { checkSignature } from './quorum.js';

/** Valid signatures collected per destination chain id. */
export type Collected = Map<number, { signer: Address; signature: Hex }[]>;

/** The body of POST /v1/sign for a proposal: the original request as posted (config: the registry snapshot). */
export function signRequestOf(req: QuorumRequest): SignRequest {
  const source = req.source;
  return {
    kind: source.kind,
    request: source.request,
    nonce: String(req.message.nonce),
    chainIds: req.destinations.map((x) => Number(x.chainId)),
    ...(req.aboveLine === true ? { aboveLine: true } : {}),
    ...(source.kind === 'reserve' ? { caps: source.caps } : {}),
    ...(source.kind === 'buybackReport' ? { liquidity: source.liquidity } : {}),
    ...(source.kind === 'move' ? { leg: source.leg, settledAt: source.settledAt, ...(source.leg !== 'out' ? { outNonce: source.outNonce } : {}) } : {}),
  };
}

/**
 * Checks one signer's signatures for a proposal the way the receiver will (oracle/issue/committee/quorum.ts) and adds
 * the valid ones to `collected`; returns how many were accepted and the reasons of those thrown away.
 */
export async function acceptSignatures(
  d: { metrics: Pick<OracleMetrics, 'signaturesRejected'>; log: Logger; url: string },
  req: QuorumRequest,
  claimed: Address,
  signatures: readonly ChainSignature[],
  collected: Collected,
): Promise<{ accepted: number; rejected: string[] }> {
  let accepted = 0;
  const rejected: string[] = [];
  for (const s of signatures) {
    const dest = req.destinations.find((x) => Number(x.chainId) === s.chainId);
    if (!dest) continue;
    const check =
      s.receiver.toLowerCase() === dest.receiver.toLowerCase()
        ? await checkSignature(req.message, dest, s.signature as Hex, claimed, req.signers)
        : ({ ok: false, reason: 'receiver_mismatch' } as const);
    if (!check.ok) {
      rejected.push(check.reason);
      d.metrics.signaturesRejected.inc({ signer: d.url, reason: check.reason });
      d.log.warn({ signerUrl: d.url, claimedSigner: claimed, chainId: s.chainId, reason: check.reason }, 'signer signature rejected');
      continue;
    }
    collected.get(s.chainId)?.push({ signer: check.signer, signature: s.signature as Hex });
    accepted += 1;
  }
  return { accepted, rejected };
}

/** The `error.code` of a signer's JSON refusal, or 'unknown'. */
export function errorCodeOf(json: unknown): string {
  if (typeof json === 'object' && json !== null && 'error' in json) {
    const e = (json as { error: unknown }).error;
    if (typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string') return (e as { code: string }).code;
  }
  return 'unknown';
}
