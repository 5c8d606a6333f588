import { afterAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { openDb } from '../common/sqlite.js';
import { close, listen } from '../common/serve.js';
import * as schema from '../relayer/store/schema.js';
import { Outbox } from '../relayer/store/outbox.js';
import { createMetrics } from '../relayer/metrics.js';
import { createStatusApp } from '../relayer/http.js';
import { readRelayer, SourceError } from './relayer-reader.js';

const CHAIN = 31338;
const servers: Parameters<typeof close>[0][] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => close(s)));
});

async function serve(app: Hono): Promise<string> {
  const { server, port } = await listen(app, '127.0.0.1', 0);
  servers.push(server);
  return `http://127.0.0.1:${port}`;
}

describe('readRelayer against the relayer status API', () => {
  it('reads queues, dead letters and recent deliveries as the relayer answers them', async () => {
    const { db } = openDb(join(tmpdir(), `status-reader-${process.pid}-${Date.now()}.sqlite`), schema, join(import.meta.dirname, '..', 'relayer', 'store', 'migrations'));
    const outbox = new Outbox(db);
    const job = (seq: number) => ({ attestationId: `0x${seq.toString(16).padStart(64, '0')}`, seq, did: 'did:rwa:demo:x', didHash: `0x${'ab'.repeat(32)}`, nonce: String(seq), kind: 'settlement' as const, chainId: CHAIN, transport: 'ccip' as const, receiver: `0x${'11'.repeat(20)}`, message: '0x01', signatures: '0x', quorumTransports: null });
    outbox.ingest([job(1), job(2), job(3)], 3, 1_000);
    const [a, b] = [outbox.byAttestation(job(1).attestationId)[0]!, outbox.byAttestation(job(2).attestationId)[0]!];
    outbox.markConfirmed(a.id, `0x${'aa'.repeat(32)}`, 2_000);
    outbox.markDead(b.id, 3, 'reverted: StaleAsOf', 2_000);
    const url = await serve(createStatusApp(outbox, createMetrics(), [CHAIN]));
    const read = await readRelayer(url, 2_000);
    expect(read.cursor).toBe(3);
    expect(read.queues).toEqual([expect.objectContaining({ chainId: CHAIN, depth: 1, parked: 0, blocked: null, waiting: [] })]);
    expect(read.dead).toEqual([expect.objectContaining({ attestationId: job(2).attestationId, did: 'did:rwa:demo:x', kind: 'settlement', chainId: CHAIN, transport: 'ccip', lastError: 'reverted: StaleAsOf' })]);
    expect(read.recent).toEqual([{ chainId: CHAIN, deliveries: [expect.objectContaining({ attestationId: job(1).attestationId, seq: 1, transport: 'ccip', txHash: `0x${'aa'.repeat(32)}` })] }]);
  });

  it('refuses an answer of another shape, naming the route and the field', async () => {
    const app = new Hono();
    app.get('/v1/queues', (c) => c.json({ chains: [{ chainId: 'x' }], cursor: 0 }));
    app.get('/v1/dead-letters', (c) => c.json({ items: [] }));
    app.get('/v1/recent', (c) => c.json({ chains: [] }));
    const url = await serve(app);
    const err = await readRelayer(url, 2_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe(`GET ${url}/v1/queues: chains.0.depth is required`);
  });

  it('names a relayer that does not answer', async () => {
    const err = await readRelayer('http://127.0.0.1:1', 2_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:1\/v1\/(queues|dead-letters|recent): /);
  });
});
