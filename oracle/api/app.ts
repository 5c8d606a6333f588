import { Hono } from 'hono';
import type { Logger } from 'pino';
import { isRpcUnavailable } from '../../common/rpc-errors.js';
import { OracleError } from '../../core/errors.js';
import { httpStatus } from '../../core/http-status.js';
import type { OracleService } from '../intake/settlement-service.js';
import type { AttestationStore, AttestationRow, DeliveryRow } from '../store/attestations.js';
import type { DestinationsPort, TransportQuorumStatus } from '../../core/chain/destinations.js';
import type { RegistryPort } from '../../core/chain/registry.js';
import type { OracleMetrics } from '../metrics.js';
import { openApiDocument } from './openapi.js';
import { createDidRoutes, type DidRoutesDeps } from './dids.js';
import { createBrakesRoutes, type BrakesView } from './brakes-view.js';
import { attestationView } from './views.js';
import { createKindRoutes, type KindAnswer, type RequestOf } from './kind-routes.js';
import type { SignKind } from '../../schemas/kinds/index.js';
import type { SubmitResult } from '../intake/settlement-service.js';
import type { AdminService } from '../intake/admin-service.js';
import type { MoveService } from '../intake/move-service.js';
import { createMoveRoutes } from './moves.js';
import { createRedemptionRoutes, type RedemptionRoutesDeps } from './redemptions.js';
import { ReadSide } from './read/side.js';
import { createServiceApp } from '../../common/http-service.js';

export interface AppDeps {
  service: OracleService;
  store: AttestationStore;
  destinations: DestinationsPort;
  registry: RegistryPort;
  metrics: OracleMetrics;
  logger: Logger;
  /** DID document routes; `registry` there (the read side's cached reader) overrides the top-level one. */
  dids: Omit<DidRoutesDeps, 'registry'> & Partial<Pick<DidRoutesDeps, 'registry'>>;
  /** Public read limits, caches and chain budget (oracle/api/read); absent: none of them (tests of the routes alone). */
  reads?: ReadSide;
  /** Reserve, allow-list and pause routes; absent in tests of the custodian API alone. */
  admin?: AdminService;
  /** Cross-chain move routes; absent in tests of the custodian API alone. */
  moves?: MoveService;
  /**
   * The service of each further kind with a route (schemas/kinds/<kind>.ts `route`), answered like a settlement
   * (201 signed, 200 repeat, the attestation): a new kind's route is one entry here, in oracle/main.ts.
   */
  kinds?: { [K in SignKind]?: (request: RequestOf<K>) => Promise<SubmitResult> };
  /** Fulfilment, disclosure and redemption-view routes; absent in tests of the custodian API alone. */
  redemptions?: Omit<RedemptionRoutesDeps, 'store'>;
  /** The DIDs' brakes status per chain (GET /v1/dids/:did/brakes); absent in tests of the custodian API alone. */
  brakes?: Pick<BrakesView, 'ofDid'>;
}

/** `queued`: a settlement the chain's brakes queued (its nonce used, not applied until drained; docs/brakes.md). */
type DeliveryState = { chainId: number; state: 'applied' | 'queued' | 'pending' | 'unknown'; quorum?: TransportQuorumStatus };

const utf8 = new TextEncoder();


export function createApp(deps: AppDeps): Hono {
  const log = deps.logger.child({ module: 'http' });
  const reads = deps.reads ?? ReadSide.unlimited(deps.metrics);
  const chainReads = reads.destinations(deps.destinations);
  /** Serialised feed pages by (after, limit, newest seq on the page): relayers always see a new attestation at once. */
  const feedPages = reads.cache<Uint8Array<ArrayBuffer>>('feed');
  /** Full feed pages by (after, limit): they never change, so each is serialised once for every reader. */
  const fullPages = reads.frozen('feed_full');
  const statuses = reads.cache<DeliveryState[]>('attestation_status');
  const metricsText = reads.cache<string>('metrics');

  const app = createServiceApp({
    name: 'oracle',
    logger: deps.logger,
    observe: (route, status, seconds) => deps.metrics.requestDuration.observe({ route, status: String(status) }, seconds),
    maxBody: { bytes: 16 * 1024, tooLarge: () => new OracleError('body_too_large', 'body exceeds 16 KiB') },
    answer: (err, c) => {
      if (err instanceof OracleError) {
        deps.metrics.refusals.inc({ code: err.code });
        log.info({ requestId: c.get('requestId'), code: err.code, field: err.field }, 'request refused');
        return { status: httpStatus(err.code), body: err.toJSON() };
      }
      if (isRpcUnavailable(err)) {
        // The hub or a chain could not be read (RPC down or too slow): retryable, nothing was signed or stored.
        deps.metrics.refusals.inc({ code: 'chain_unavailable' });
        log.warn({ requestId: c.get('requestId'), err }, 'request refused: a chain could not be read');
        return { status: 503, body: { error: { code: 'chain_unavailable', message: 'the hub or a chain could not be read; retry later' } } };
      }
      return undefined;
    },
    onInternal: () => deps.metrics.refusals.inc({ code: 'internal' }),
  });
  // Reads are limited after the request is timed and before any route runs.
  if (reads.limit) app.use('*', reads.limit);

  /** The POST route of every kind (schemas/kinds/<kind>.ts route), each answered by its service. */
  const signed = (r: { attestation: AttestationRow; created: boolean }): KindAnswer => ({ created: r.created, body: attestationView(r.attestation, deps.store.deliveriesOf(r.attestation.seq)) });
  const { admin, moves, redemptions } = deps;
  const further = Object.fromEntries(
    Object.entries(deps.kinds ?? {}).map(([kind, submit]) => [kind, async (b: never) => signed(await (submit as (r: never) => Promise<SubmitResult>)(b))]),
  );
  app.route(
    '/',
    createKindRoutes({
      ...further,
      settlement: async (b) => signed(await deps.service.submitSettlement(b)),
      nav: async (b) => signed(await deps.service.submitNav(b)),
      ...(admin ? { reserve: async (b) => signed(await admin.submitReserve(b)), allowlist: async (b) => signed(await admin.submitAllowList(b)), pause: async (b) => signed(await admin.submitPause(b)) } : {}),
      ...(moves ? { move: async (b) => { const r = await moves.submitMove(b); return { created: r.created, body: r.move }; } } : {}),
      ...(redemptions
        ? {
            redemptionFulfilment: async (b) => signed(await redemptions.fulfilments.submit(b)),
            redemptionAcceptance: async (b) => signed(await redemptions.acceptances.submit(b)),
            disclosure: async (b) => signed(await redemptions.disclosures.submit(b)),
          }
        : {}),
    }, { complete: Boolean(admin && moves && redemptions) }),
  );

  /** Relayers' feed: signed attestations in oracle order. */
  app.get('/v1/attestations', async (c) => {
    const after = Number(c.req.query('after') ?? '0');
    const limit = Number(c.req.query('limit') ?? '100');
    if (!Number.isSafeInteger(after) || after < 0) throw new OracleError('invalid_query', 'after must be a non-negative integer', 'after');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) throw new OracleError('invalid_query', 'limit must be 1..500', 'limit');
    // A page can only change while it is not full: an attestation and its deliveries are inserted together and never
    // updated, and a new one always gets a higher seq, so once `limit` items follow `after` the page is final. Full
    // pages are kept for good (built once, whoever reads them); a page not full yet is keyed by the newest seq for
    // trusted readers (relayers: a new attestation at once) and tests without limits, and shared for up to the cache
    // bound among anonymous readers, so a flood does not rebuild it at every new attestation.
    const pageKey = `${after}:${limit}`;
    const frozen = fullPages.get(pageKey);
    if (frozen) {
      c.set('readBytes', frozen.byteLength);
      return c.body(frozen, 200, { 'content-type': 'application/json' });
    }
    const fresh = !reads.limit || c.get('readTrusted') === true;
    const key = fresh ? `${pageKey}:${Math.min(deps.store.lastSeq(), after + limit)}` : `${pageKey}:anonymous`;
    const text = await feedPages.get(key, async () => {
      const items = deps.store.page(after, limit).map((p) => attestationView(p.row, p.deliveries));
      // Kept encoded: a page of 500 runs to hundreds of KB, and re-encoding it per reader is the cost being saved.
      const body = utf8.encode(JSON.stringify({ items, next: items.at(-1)?.seq ?? after }));
      if (items.length === limit) fullPages.keep(pageKey, body);
      return body;
    });
    c.set('readBytes', text.byteLength);
    return c.body(text, 200, { 'content-type': 'application/json' });
  });

  /** Whether one destination applied an attestation (and its transport quorum progress), read under the budget. */
  const deliveryState = async (row: AttestationRow, d: DeliveryRow): Promise<DeliveryState> => {
    try {
      const didHash = row.didHash as `0x${string}` & { __brand: 'DidHash' };
      const nonce = BigInt(row.nonce);
      // Only a settlement can be queued by the brakes; any other kind is applied once its nonce is used.
      const stateOf = async (): Promise<DeliveryState['state']> =>
        row.kind === 'settlement' ? chainReads.settlementState(d.chainId, didHash, nonce) : (await chainReads.isApplied(d.chainId, didHash, nonce)) ? 'applied' : 'pending';
      const [state, quorum] = await Promise.all([stateOf(), chainReads.transportQuorumStatus(d.chainId, didHash, row.id as `0x${string}`)]);
      // Under a transport quorum: which transports delivered it so far, of the k needed.
      return { chainId: d.chainId, state, ...(quorum ? { quorum } : {}) };
    } catch (err) {
      log.warn({ err, chainId: d.chainId, attestationId: row.id }, 'chain unreachable for status');
      return { chainId: d.chainId, state: 'unknown' };
    }
  };

  /**
   * Status of one attestation: its message and, per destination chain, whether the chain has applied it (and, where
   * the DID requires a transport quorum, the rule and the transports that delivered it so far).
   */
  app.get('/v1/attestations/:id', async (c) => {
    const id = c.req.param('id');
    if (!/^0x[0-9a-fA-F]{64}$/.test(id)) throw new OracleError('invalid_id', 'id must be a 32-byte hex attestation id', 'id');
    const found = deps.store.getById(id.toLowerCase());
    if (!found) throw new OracleError('unknown_attestation', `no attestation ${id}`, 'id');
    const view = attestationView(found.row, found.deliveries);
    const onChain = await statuses.get(found.row.id, () => Promise.all(found.deliveries.map((d) => deliveryState(found.row, d))));
    return c.json({ ...view, delivery: onChain });
  });

  app.route('/v1/dids', createDidRoutes({ registry: deps.registry, ...deps.dids }));
  if (deps.moves) app.route('/v1/moves', createMoveRoutes(deps.moves));
  if (deps.redemptions) app.route('/v1', createRedemptionRoutes({ ...deps.redemptions, store: deps.store }));
  if (deps.brakes) app.route('/v1', createBrakesRoutes(deps.brakes));

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    try {
      deps.store.count();
      await deps.registry.ping();
      return c.json({ status: 'ready' });
    } catch (err) {
      log.warn({ err }, 'not ready');
      return c.json({ status: 'not_ready' }, 503);
    }
  });
  // One rendering per cache interval, however many scrapers ask.
  app.get('/metrics', async (c) => c.text(await metricsText.get('all', () => deps.metrics.registry.metrics()), 200, { 'content-type': deps.metrics.registry.contentType }));
  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  return app;
}
