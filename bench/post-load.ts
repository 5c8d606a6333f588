/** Custodian clients posting settlements to the oracle until done or a deadline: what was accepted, when. */
import type { Hex } from 'viem';
import type { SettlementRequest } from '../schemas/http.js';
import { postJson } from '../clients/custodian.js';

export interface Posted {
  id: Hex;
  didHash: Hex;
  nonce: bigint;
  /** Every destination chain of the settlement (its delivery jobs). */
  chainIds: number[];
  /** performance.now() when the POST started and when its 201 came. */
  postStart: number;
  acceptedAt: number;
}

export interface LoadResult {
  accepted: Posted[];
  /** Bodies posted (accepted or refused); fewer than given when the deadline came first. */
  posted: number;
  refused: number;
  firstRefusal?: string;
  started: number;
  /** The last 201 (performance.now()), or `started` when none came. */
  lastAccept: number;
}

/** The 201 answer of POST /v1/settlements, checked at the edge. */
export function parseAccepted(json: unknown): Omit<Posted, 'postStart' | 'acceptedAt'> {
  const j = json as { id?: unknown; didHash?: unknown; nonce?: unknown; deliveries?: unknown };
  const deliveries = Array.isArray(j?.deliveries) ? (j.deliveries as { chainId?: unknown }[]) : [];
  const chainIds = [...new Set(deliveries.map((d) => d?.chainId))];
  if (typeof j?.id !== 'string' || typeof j.didHash !== 'string' || typeof j.nonce !== 'string' || chainIds.length === 0 || chainIds.some((c) => typeof c !== 'number')) {
    throw new Error(`unexpected 201 answer: ${JSON.stringify(json).slice(0, 300)}`);
  }
  return { id: j.id as Hex, didHash: j.didHash as Hex, nonce: BigInt(j.nonce), chainIds: chainIds as number[] };
}

/**
 * Posts `bodies` from `clients` concurrent clients, each taking the next body as its answer comes. Stops taking new
 * bodies at `deadline` (performance.now() time). A refusal is counted (and the first one kept), not thrown: the bench
 * reports it.
 */
export async function postLoad(oracleUrl: string, bodies: readonly SettlementRequest[], opts: { clients: number; deadline: number; onAccepted?: (p: Posted) => void }): Promise<LoadResult> {
  const accepted: Posted[] = [];
  let refused = 0;
  let posted = 0;
  let firstRefusal: string | undefined;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.clients }, async () => {
      for (let i = next++; i < bodies.length && performance.now() < opts.deadline; i = next++) {
        const postStart = performance.now();
        posted++;
        let r: { status: number; json: unknown };
        try {
          r = await postJson(`${oracleUrl}/v1/settlements`, bodies[i]);
        } catch (err) {
          refused++;
          firstRefusal ??= `settlement ${i}: ${err instanceof Error ? err.message : String(err)}`;
          continue;
        }
        if (r.status !== 201) {
          refused++;
          firstRefusal ??= `settlement ${i}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`;
          continue;
        }
        const p: Posted = { ...parseAccepted(r.json), postStart, acceptedAt: performance.now() };
        accepted.push(p);
        opts.onAccepted?.(p);
      }
    }),
  );
  const lastAccept = accepted.reduce((m, a) => Math.max(m, a.acceptedAt), started);
  return { accepted, posted, refused, ...(firstRefusal ? { firstRefusal } : {}), started, lastAccept };
}
