import { createPublicClient, http, type Address, type Hex } from 'viem';
import { rwaReceiverAbi } from '../schemas/abi.js';
import type { SettlementRequest } from '../schemas/http.js';
import { postJson } from '../clients/custodian.js';
import { demoSubscription, DEMO_INVESTORS } from '../devnet/demo.js';
import { forkReadFlood, type FloodCounts } from './read-flood.js';
import type { Stack } from '../devnet/stack.js';
import { waitFor } from '../testkit/wait.js';

export interface Accepted {
  id: Hex;
  chainId: number;
  didHash: Hex;
  nonce: bigint;
  at: number;
}

export const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

/** Posts every body from 8 concurrent custodian clients; each must be accepted (201). */
export async function postSettlements(oracleUrl: string, bodies: readonly SettlementRequest[], clients = 8): Promise<{ postMs: number[]; accepted: Accepted[]; seconds: number }> {
  const postMs: number[] = [];
  const accepted: Accepted[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const t0 = performance.now();
        const r = await postJson(`${oracleUrl}/v1/settlements`, bodies[i]);
        const t1 = performance.now();
        if (r.status !== 201) throw new Error(`settlement ${i} refused: ${r.status} ${JSON.stringify(r.json)}`);
        postMs.push(t1 - t0);
        const j = r.json as { id: Hex; didHash: Hex; nonce: string; deliveries: { chainId: number }[] };
        accepted.push({ id: j.id, chainId: j.deliveries[0]!.chainId, didHash: j.didHash, nonce: BigInt(j.nonce), at: Date.now() });
      }
    }),
  );
  return { postMs, accepted, seconds: (performance.now() - started) / 1000 };
}

/** Settlement bodies spread over the chains and demo investors, refs `${prefix}-i`. */
export function benchBodies(stack: Stack, prefix: string, n: number): Promise<SettlementRequest[]> {
  const d = stack.deployment;
  const now = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: n }, (_, i) => demoSubscription(d, d.chains[i % d.chains.length]!.chainId, `${prefix}-${i}`, 1_000n + BigInt(i), now - 10, DEMO_INVESTORS[i % DEMO_INVESTORS.length]!)),
  );
}

/** Waits until every accepted settlement is applied on its chain (the relayer idle again). */
export async function waitApplied(stack: Stack, accepted: readonly Accepted[]): Promise<void> {
  const clients = new Map(stack.deployment.chains.map((c) => [c.chainId, { client: createPublicClient({ transport: http(c.rpcUrl) }), receiver: c.receiver as Address }]));
  const pending = new Set(accepted);
  await waitFor(
    async () => {
      await Promise.all(
        [...pending].map(async (a) => {
          const c = clients.get(a.chainId)!;
          if (await c.client.readContract({ address: c.receiver, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [a.didHash, a.nonce] })) pending.delete(a);
        }),
      );
      return pending.size === 0;
    },
    { what: 'all settlements applied', timeoutMs: 600_000 },
  );
}

const READERS = 64;

/**
 * The write load alone, then the same load under READERS anonymous clients reading what the issue measured
 * (a DID's redemptions and document, a 500-item feed page, /metrics); returns the side-by-side table.
 */
export async function readFloodBench(stack: Stack, n: number, rounds = 1): Promise<string> {
  const did = stack.deployment.dids[0]!.did;
  const paths = [`/v1/dids/${encodeURIComponent(did)}/redemptions`, `/v1/dids/${encodeURIComponent(did)}`, '/v1/attestations?limit=500', '/metrics'];
  // Warm-up (JIT, connection pools), then each phase starts with the relayer idle.
  const warm = await postSettlements(stack.oracleUrl, await benchBodies(stack, 'WARM', 16));
  await waitApplied(stack, warm.accepted);
  // Phases alternate so that a drift in the machine's other load falls on both columns.
  const alone = { postMs: [] as number[], seconds: 0 };
  const under = { postMs: [] as number[], seconds: 0 };
  const counts: FloodCounts = { answered: 0, limited: 0, serverErrors: 0, other: 0 };
  let floodSeconds = 0;
  const runAlone = async (round: number) => {
    const a = await postSettlements(stack.oracleUrl, await benchBodies(stack, `ALONE${round}`, n));
    await waitApplied(stack, a.accepted);
    alone.postMs.push(...a.postMs);
    alone.seconds += a.seconds;
  };
  const runFlood = async (round: number) => {
    const floodBodies = await benchBodies(stack, `FLOOD${round}`, n);
    const flood = await forkReadFlood(stack.oracleUrl, paths, READERS);
    const floodStarted = performance.now();
    const u = await postSettlements(stack.oracleUrl, floodBodies);
    const c = await flood.stop();
    floodSeconds += (performance.now() - floodStarted) / 1000;
    for (const key of Object.keys(counts) as (keyof FloodCounts)[]) counts[key] += c[key];
    await waitApplied(stack, u.accepted);
    under.postMs.push(...u.postMs);
    under.seconds += u.seconds;
  };
  // ABBA order (alone-flood, flood-alone, ...): the store grows with every phase and a POST's cost with it, so a
  // fixed order would hand the flood column a larger store in every round.
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await runAlone(round);
      await runFlood(round);
    } else {
      await runFlood(round);
      await runAlone(round);
    }
  }
  const total = n * rounds;
  const rate = (r: { seconds: number }) => total / r.seconds;
  const delta = (a: number, b: number) => `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(0)}%`;
  const row = (label: string, a: string, b: string, d = '') => `${label.padEnd(24)}${a.padEnd(22)}${b.padEnd(26)}${d}`;
  const lat = (r: { postMs: number[] }) => `${quantile(r.postMs, 0.5).toFixed(0)} / ${quantile(r.postMs, 0.99).toFixed(0)} ms`;
  return [
    '',
    `${total} settlements per column (${rounds} alternating round(s)) from 8 custodian clients; flood: ${READERS} clients on ${paths.join(', ')}`,
    row('', 'alone', `${READERS}-client read flood`, 'change'),
    row('accepted /s', rate(alone).toFixed(1), rate(under).toFixed(1), delta(rate(alone), rate(under))),
    row('POST p50 / p99', lat(alone), lat(under), `p99 ${delta(quantile(alone.postMs, 0.99), quantile(under.postMs, 0.99))}`),
    row('reads answered (2xx)', '-', `${counts.answered} (${(counts.answered / floodSeconds).toFixed(0)} /s)`),
    row('reads refused 429', '-', String(counts.limited)),
    row('reads 5xx', '-', String(counts.serverErrors)),
    row('reads other/failed', '-', String(counts.other)),
    '',
  ].join('\n');
}
