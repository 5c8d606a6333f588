import { Hono } from 'hono';
import type { Outbox, Job } from './store/outbox.js';
import type { RelayerMetrics } from './metrics.js';
import type { TransportName } from '../schemas/deployment.js';

/** What the relayer can carry to each chain, and which transports the operator disabled. */
export interface TransportsView {
  disabled: readonly TransportName[];
  chains: readonly { chainId: number; transports: readonly TransportName[] }[];
}

const jobView = (j: Job) => ({
  chainId: j.chainId,
  transport: j.transport,
  quorumTransports: j.quorumTransports,
  state: j.state,
  txHash: j.txHash,
  attempts: j.attempts,
  // A confirmed job keeps why it closed without a transaction (its quorum met through the other transports) as a note.
  ...(j.state === 'confirmed' ? { note: j.lastError } : { lastError: j.lastError }),
  nextAttemptAt: new Date(j.nextAttemptAt).toISOString(),
  confirmedAt: j.confirmedAt ? new Date(j.confirmedAt).toISOString() : null,
});

/** Delivery status per attestation, chain and transport, dead letters, transports, health and metrics. */
export function createStatusApp(outbox: Outbox, metrics: RelayerMetrics, chainIds: readonly number[], transports: TransportsView = { disabled: [], chains: [] }): Hono {
  const app = new Hono();
  app.get('/v1/deliveries/:attestationId', (c) => {
    const id = c.req.param('attestationId').toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(id)) return c.json({ error: { code: 'invalid_id', message: 'attestation id must be 32-byte hex', field: 'attestationId' } }, 400);
    const jobs = outbox.byAttestation(id);
    if (jobs.length === 0) return c.json({ error: { code: 'unknown_attestation', message: `no jobs for ${id}`, field: 'attestationId' } }, 404);
    return c.json({ attestationId: id, deliveries: jobs.map(jobView) });
  });
  app.get('/v1/dead-letters', (c) => c.json({ items: outbox.deadLetters().map((j) => ({ jobId: j.id, attestationId: j.attestationId, ...jobView(j) })) }));
  app.get('/v1/queues', (c) => c.json({ chains: chainIds.map((chainId) => ({ chainId, depth: outbox.depth(chainId), parked: outbox.parkedCount(chainId) })), cursor: outbox.cursor() }));
  app.get('/v1/transports', (c) => c.json(transports));
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', async (c) => c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}
