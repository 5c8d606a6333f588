import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../common/sqlite.js';
import * as schema from './store/schema.js';
import { Outbox, type NewJob } from './store/outbox.js';
import { createMetrics } from './metrics.js';
import { createStatusApp, MAX_RECENT } from './http.js';
import type { TransportName } from '../schemas/deployment.js';

const HUB = 31337;
const SPOKE = 31338;
const NOW = 1_700_000_000_000;

function outboxWith(jobs: { seq: number; chainId: number; transport: TransportName; kind?: NewJob['kind'] }[]): Outbox {
  const { db } = openDb(join(tmpdir(), `recent-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'store', 'migrations'));
  const outbox = new Outbox(db);
  outbox.ingest(
    jobs.map((j) => ({
      attestationId: `0x${j.seq.toString(16).padStart(64, '0')}`,
      seq: j.seq,
      did: 'did:rwa:demo:x',
      didHash: `0x${'ab'.repeat(32)}`,
      nonce: String(j.seq),
      kind: j.kind ?? 'settlement',
      chainId: j.chainId,
      transport: j.transport,
      receiver: `0x${'11'.repeat(20)}`,
      message: '0x01',
      signatures: '0x',
      quorumTransports: null,
    })),
    jobs.length,
    NOW,
  );
  return outbox;
}

interface RecentBody {
  chains: { chainId: number; deliveries: { seq: number; attestationId: string; did: string; kind: string; transport: string; txHash: string | null; confirmedAt: string | null }[] }[];
}

describe('GET /v1/recent', () => {
  it('lists per chain the last confirmed deliveries, newest first, with their transport; unfinished jobs are left out', async () => {
    const outbox = outboxWith([
      { seq: 1, chainId: HUB, transport: 'cctp' },
      { seq: 2, chainId: SPOKE, transport: 'wormhole' },
      { seq: 3, chainId: HUB, transport: 'cctp', kind: 'nav' },
      { seq: 4, chainId: SPOKE, transport: 'wormhole' },
      { seq: 5, chainId: HUB, transport: 'cctp' },
    ]);
    for (const seq of [1, 2, 3]) {
      const [job] = outbox.byAttestation(`0x${seq.toString(16).padStart(64, '0')}`);
      outbox.markConfirmed(job!.id, `0x${String(seq).repeat(64)}`, NOW + seq * 1000);
    }
    const app = createStatusApp(outbox, createMetrics(), [HUB, SPOKE]);
    const res = await app.request('/v1/recent?limit=5');
    expect(res.status).toBe(200);
    const body = (await res.json()) as RecentBody;
    expect(body.chains.map((c) => c.chainId)).toEqual([HUB, SPOKE]);
    expect(body.chains[0]!.deliveries.map((d) => d.seq)).toEqual([3, 1]);
    expect(body.chains[0]!.deliveries[0]).toMatchObject({ kind: 'nav', transport: 'cctp', did: 'did:rwa:demo:x', txHash: `0x${'3'.repeat(64)}`, confirmedAt: new Date(NOW + 3000).toISOString() });
    expect(body.chains[1]!.deliveries.map((d) => [d.seq, d.transport])).toEqual([[2, 'wormhole']]);

    const one = (await (await app.request('/v1/recent?limit=1')).json()) as RecentBody;
    expect(one.chains[0]!.deliveries.map((d) => d.seq)).toEqual([3]);
  });

  it.each(['0', '-1', 'abc', '1.5', String(MAX_RECENT + 1), ''])('answers 400 invalid_limit to limit=%s', async (limit) => {
    const app = createStatusApp(outboxWith([]), createMetrics(), [HUB]);
    const res = await app.request(`/v1/recent?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_limit', message: `limit must be an integer 1..${MAX_RECENT}`, field: 'limit' } });
  });
});
