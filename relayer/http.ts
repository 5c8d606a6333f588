import type { Hono } from 'hono';
import { pino, type Logger } from 'pino';
import { createServiceApp } from '../common/http-service.js';
import type { Outbox, Job } from './store/outbox.js';
import type { RelayerMetrics } from './metrics.js';
import type { TransportName } from '../schemas/deployment.js';
import type { ChainBlock } from './worker.js';
import { relayerOpenApi } from './openapi.js';
import { bearerMatches } from '../common/bearer.js';
import { CURSED_REASON } from './curse.js';

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

/** The most recent deliveries `GET /v1/recent` lists per chain. */
export const MAX_RECENT = 100;

/** Delivery status per attestation, chain and transport, dead letters, transports, health, metrics and its OpenAPI document. */
export function createStatusApp(
  outbox: Outbox,
  metrics: RelayerMetrics,
  chainIds: readonly number[],
  transports: TransportsView = { disabled: [], chains: [] },
  blocked: (chainId: number) => ChainBlock | undefined = () => undefined,
  logger: Logger = pino({ level: 'silent' }),
  /** RELAYER_ADMIN_TOKEN: the bearer token of the operator routes (retry); absent, they answer 403. */
  admin: { token?: string; now?: () => number } = {},
): Hono {
  const app = createServiceApp({ name: 'relayer', logger, requestLog: 'debug' });
  app.get('/v1/deliveries/:attestationId', (c) => {
    const id = c.req.param('attestationId').toLowerCase();
    if (!/^0x[0-9a-f]{64}$/.test(id)) return c.json({ error: { code: 'invalid_id', message: 'attestation id must be 32-byte hex', field: 'attestationId' } }, 400);
    const jobs = outbox.byAttestation(id);
    if (jobs.length === 0) return c.json({ error: { code: 'unknown_attestation', message: `no jobs for ${id}`, field: 'attestationId' } }, 404);
    return c.json({ attestationId: id, deliveries: jobs.map(jobView) });
  });
  app.get('/v1/dead-letters', (c) => c.json({ items: outbox.deadLetters().map((j) => ({ jobId: j.id, attestationId: j.attestationId, did: j.did, kind: j.kind, ...jobView(j) })) }));
  // Operator: put a dead-lettered job back in the queue (after fixing its cause), with the admin bearer token.
  app.post('/v1/dead-letters/:jobId/retry', (c) => {
    if (!admin.token) return c.json({ error: { code: 'admin_disabled', message: 'operator routes are off: set RELAYER_ADMIN_TOKEN' } }, 403);
    if (!bearerMatches(c.req.header('authorization'), admin.token)) return c.json({ error: { code: 'unauthorized', message: 'Authorization: Bearer <RELAYER_ADMIN_TOKEN> required', field: 'authorization' } }, 401);
    const raw = c.req.param('jobId');
    const jobId = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(jobId)) return c.json({ error: { code: 'invalid_id', message: 'job id must be a positive integer', field: 'jobId' } }, 400);
    if (!outbox.retryDead(jobId, (admin.now ?? Date.now)())) return c.json({ error: { code: 'not_dead', message: `job ${jobId} is not a dead letter`, field: 'jobId' } }, 404);
    logger.info({ jobId }, 'dead letter queued again by the operator');
    return c.json({ jobId, state: 'pending' });
  });
  // Per chain, the last `limit` confirmed deliveries (newest first, oracle order) and the transport that carried each.
  app.get('/v1/recent', (c) => {
    const raw = c.req.query('limit') ?? '10';
    const limit = /^[0-9]{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_RECENT)) return c.json({ error: { code: 'invalid_limit', message: `limit must be an integer 1..${MAX_RECENT}`, field: 'limit' } }, 400);
    return c.json({
      chains: chainIds.map((chainId) => ({
        chainId,
        deliveries: outbox.recent(chainId, limit).map((j) => ({ jobId: j.id, attestationId: j.attestationId, seq: j.seq, did: j.did, kind: j.kind, ...jobView(j) })),
      })),
    });
  });
  // Per chain: a chain-wide block (RPC down, empty gas wallet, fee cap) and the deliveries waiting on the chain (a
  // DID whose cap is exhausted or whose asset is paused waits alone; the others go on).
  app.get('/v1/queues', (c) =>
    c.json({
      chains: chainIds.map((chainId) => {
        const b = blocked(chainId);
        const cursed = b?.reason === CURSED_REASON;
        return {
          chainId,
          depth: outbox.depth(chainId),
          // The receiver's guardians stopped the chain: every unfinished delivery to it is held (none dead-letters).
          cursed,
          held: cursed ? outbox.depth(chainId) : 0,
          parked: outbox.parkedCount(chainId),
          blocked: b ? { reason: b.reason, since: new Date(b.since).toISOString(), retryAt: new Date(b.until).toISOString() } : null,
          waiting: outbox.waiting(chainId).map((j) => ({ jobId: j.id, attestationId: j.attestationId, did: j.did, kind: j.kind, ...jobView(j) })),
        };
      }),
      cursor: outbox.cursor(),
    }),
  );
  app.get('/v1/transports', (c) => c.json(transports));
  app.get('/openapi.json', (c) => c.json(relayerOpenApi()));
  // Alive even while a chain is cursed (the relayer holds that chain's jobs as it should); the list says which.
  app.get('/health', (c) => c.json({ status: 'ok', cursedChains: chainIds.filter((id) => blocked(id)?.reason === CURSED_REASON) }));
  app.get('/metrics', async (c) => c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  return app;
}
