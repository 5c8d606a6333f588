import { Hono } from 'hono';
import { readJson } from '../core/http-body.js';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import {
  MAX_NONCE,
  configSnapshotSchema,
  policySnapshotSchema,
  quorumSnapshotSchema,
  redemptionReportSchema,
  signRequestSchema,
  stageReportSchema,
  type ConfigSnapshot,
  type PolicySnapshot,
  type QuorumSnapshot,
  type RedemptionReport,
  type SignRequest,
  type StageReport,
} from '../schemas/committee.js';
import {
  allowListRequestSchema,
  disclosureRequestSchema,
  fulfilmentRequestSchema,
  acceptanceRequestSchema,
  moveRequestSchema,
  navRequestSchema,
  pauseRequestSchema,
  reserveRequestSchema,
  settlementRequestSchema,
  type AcceptanceRequest,
  type AllowListRequest,
  type DisclosureRequest,
  type FulfilmentRequest,
  type MoveRequest,
  type NavRequest,
  type PauseRequest,
  type ReserveRequest,
  type SettlementRequest,
} from '../schemas/http.js';
import { parserFor, type Parsed } from '../schemas/validate.js';
import type { AnySource, ReserveCaps } from '../core/attestation.js';
import { canonicalPolicy } from '../core/redemption-attestation.js';
import { canonicalQuorum } from '../core/quorum-attestation.js';
import { OracleError, badRequest } from '../core/errors.js';
import type { SignerMetrics } from './metrics.js';
import type { SignCommand, SignerService } from './signer.js';
import { signerOpenApi } from './openapi.js';
import { bearerMatches } from '../common/bearer.js';

export interface SignerAppDeps {
  service: Pick<SignerService, 'sign' | 'address'>;
  metrics: SignerMetrics;
  logger: Logger;
  /** Readiness: the store answers and the hub RPC answers. */
  ready: () => Promise<void>;
  /** When set, POST /v1/sign requires `Authorization: Bearer <authToken>` (401 otherwise). */
  authToken?: string;
}

const parseEnvelope = parserFor<SignRequest>(signRequestSchema);
const parseSettlement = parserFor<SettlementRequest>(settlementRequestSchema);
const parseNav = parserFor<NavRequest>(navRequestSchema);
const parseReserve = parserFor<ReserveRequest>(reserveRequestSchema);
const parseAllowList = parserFor<AllowListRequest>(allowListRequestSchema);
const parsePause = parserFor<PauseRequest>(pauseRequestSchema);
const parseSnapshot = parserFor<ConfigSnapshot>(configSnapshotSchema);
const parseMove = parserFor<MoveRequest>(moveRequestSchema);
const parseReport = parserFor<RedemptionReport>(redemptionReportSchema);
const parseStage = parserFor<StageReport>(stageReportSchema);
const parsePolicy = parserFor<PolicySnapshot>(policySnapshotSchema);
const parseQuorum = parserFor<QuorumSnapshot>(quorumSnapshotSchema);
const parseFulfilment = parserFor<FulfilmentRequest>(fulfilmentRequestSchema);
const parseDisclosure = parserFor<DisclosureRequest>(disclosureRequestSchema);
const parseAcceptance = parserFor<AcceptanceRequest>(acceptanceRequestSchema);

/** uint64 fields the schemas carry as decimal strings; the pattern cannot bound them. */
function checkUint64(value: string, field: string): void {
  if (BigInt(value) > MAX_NONCE) throw badRequest(field, 'exceeds 2^64 - 1');
}

/** A chain cap is a uint128 in the message. */
const MAX_CAP = (1n << 128n) - 1n;

function ok<T>(r: Parsed<T>, prefix = ''): T {
  if (!r.ok) throw badRequest(`${prefix}${r.issue.field}`, r.issue.message);
  return r.value;
}

/** The snapshot with its keys in one order, so its idempotency key (configRef, a JSON hash) never depends on the sender's. */
const canonicalSnapshot = (c: ConfigSnapshot): ConfigSnapshot => ({
  did: c.did,
  threshold: c.threshold,
  navDecimals: c.navDecimals,
  tokenDecimals: c.tokenDecimals,
  heartbeat: c.heartbeat,
  maxNavMoveBps: c.maxNavMoveBps,
  signers: [...c.signers],
  name: c.name,
  symbol: c.symbol,
});

function parseCaps(caps: SignRequest['caps']): ReserveCaps {
  if (!caps) throw badRequest('caps', 'is required for a reserve');
  caps.forEach((c, i) => {
    if (BigInt(c.cap) > MAX_CAP) throw badRequest(`caps.${i}.cap`, 'exceeds 2^128 - 1');
    if (BigInt(c.ceiling) > MAX_CAP) throw badRequest(`caps.${i}.ceiling`, 'exceeds 2^128 - 1');
  });
  return caps.map((c) => ({ chainId: c.chainId, cap: c.cap, ceiling: c.ceiling }));
}

function parseMoveSource(env: SignRequest): AnySource {
  const request = ok(parseMove(env.request), 'request.');
  if (env.leg === undefined) throw badRequest('leg', 'is required for a move');
  if (env.settledAt === undefined) throw badRequest('settledAt', 'is required for a move');
  if (env.leg === 'out') {
    if (env.outNonce !== undefined) throw badRequest('outNonce', 'is not allowed for the out leg of a move');
    return { kind: 'move', request, leg: 'out', settledAt: env.settledAt };
  }
  if (env.outNonce === undefined) throw badRequest('outNonce', `is required for the ${env.leg} leg of a move`);
  if (BigInt(env.outNonce) > MAX_NONCE) throw badRequest('outNonce', 'exceeds 2^64 - 1');
  return { kind: 'move', request, leg: env.leg, settledAt: env.settledAt, outNonce: env.outNonce };
}

function parseSource(env: SignRequest): AnySource {
  if (env.kind !== 'reserve' && env.caps !== undefined) throw badRequest('caps', `is only allowed for a reserve, not ${env.kind}`);
  for (const field of ['leg', 'settledAt', 'outNonce'] as const) {
    if (env.kind !== 'move' && env[field] !== undefined) throw badRequest(field, `is only allowed for a move, not ${env.kind}`);
  }
  switch (env.kind) {
    case 'settlement':
      return { kind: 'settlement', request: ok(parseSettlement(env.request), 'request.') };
    case 'nav':
      return { kind: 'nav', request: ok(parseNav(env.request), 'request.') };
    case 'config':
      return { kind: 'config', request: canonicalSnapshot(ok(parseSnapshot(env.request), 'request.')) };
    case 'allowlist':
      return { kind: 'allowlist', request: ok(parseAllowList(env.request), 'request.') };
    case 'pause':
      return { kind: 'pause', request: ok(parsePause(env.request), 'request.') };
    case 'reserve':
      return { kind: 'reserve', request: ok(parseReserve(env.request), 'request.'), caps: parseCaps(env.caps) };
    case 'move':
      return parseMoveSource(env);
    case 'redemptionRequest': {
      const request = ok(parseReport(env.request), 'request.');
      checkUint64(request.blockNumber, 'request.blockNumber');
      request.pins.forEach((p, i) => checkUint64(p.blockNumber, `request.pins.${i}.blockNumber`));
      return { kind: 'redemptionRequest', request };
    }
    case 'redemptionStage': {
      const request = ok(parseStage(env.request), 'request.');
      checkUint64(request.stageSeq, 'request.stageSeq');
      checkUint64(request.blockNumber, 'request.blockNumber');
      return { kind: 'redemptionStage', request };
    }
    case 'redemptionPolicy':
      return { kind: 'redemptionPolicy', request: canonicalPolicy(ok(parsePolicy(env.request), 'request.')) };
    case 'redemptionFulfilment': {
      const request = ok(parseFulfilment(env.request), 'request.');
      checkUint64(request.requestId, 'request.requestId');
      return { kind: 'redemptionFulfilment', request };
    }
    case 'redemptionAcceptance': {
      const request = ok(parseAcceptance(env.request), 'request.');
      checkUint64(request.requestId, 'request.requestId');
      return { kind: 'redemptionAcceptance', request };
    }
    case 'disclosure':
      return { kind: 'disclosure', request: ok(parseDisclosure(env.request), 'request.') };
    case 'transportQuorum':
      return { kind: 'transportQuorum', request: canonicalQuorum(ok(parseQuorum(env.request), 'request.')) };
  }
}

/** Parses a sign request at the edge: the envelope, then the original request against its own schema by kind. */
export function parseSignCommand(input: unknown): SignCommand {
  const env = ok(parseEnvelope(input));
  const nonce = BigInt(env.nonce);
  if (nonce > MAX_NONCE) throw badRequest('nonce', 'exceeds 2^64 - 1');
  return { source: parseSource(env), nonce, chainIds: env.chainIds };
}

/** A committee signer's HTTP API: POST /v1/sign, /health, /ready, /metrics, /openapi.json. */
export function createSignerApp(deps: SignerAppDeps): Hono {
  const app = new Hono();
  const log = deps.logger.child({ module: 'http' });

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    deps.metrics.requestDuration.observe({ route: c.req.routePath, status: String(c.res.status) }, ms / 1000);
    log.debug({ requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, duration_ms: Math.round(ms) }, 'request');
  });
  app.use('/v1/*', bodyLimit({ maxSize: 32 * 1024, onError: () => { throw new OracleError(413, 'body_too_large', 'body exceeds 32 KiB'); } }));

  app.onError((err, c) => {
    if (err instanceof OracleError) {
      deps.metrics.signRequests.inc({ outcome: err.code });
      if (err.status >= 500) log.warn({ requestId: c.get('requestId'), code: err.code, err: err.cause }, 'sign request failed upstream');
      else log.info({ requestId: c.get('requestId'), code: err.code, field: err.field }, 'sign request refused');
      return c.json(err.toJSON(), err.status);
    }
    deps.metrics.signRequests.inc({ outcome: 'internal' });
    log.error({ requestId: c.get('requestId'), err }, 'request failed');
    return c.json({ error: { code: 'internal', message: 'internal error; see the signer log with this request id', requestId: c.get('requestId') } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  app.post('/v1/sign', async (c) => {
    if (deps.authToken !== undefined && !bearerMatches(c.req.header('authorization'), deps.authToken)) {
      deps.metrics.signRequests.inc({ outcome: 'unauthorized' });
      throw new OracleError(401, 'unauthorized', 'POST /v1/sign needs the aggregator\'s bearer token', 'authorization');
    }
    const cmd = parseSignCommand(await readJson(c));
    const r = await deps.service.sign(cmd);
    deps.metrics.signRequests.inc({ outcome: r.repeat ? 'repeat' : 'signed' });
    return c.json(r.response, 200);
  });

  app.get('/health', (c) => c.json({ status: 'ok', signer: deps.service.address }));
  app.get('/ready', async (c) => {
    try {
      await deps.ready();
      return c.json({ status: 'ready', signer: deps.service.address });
    } catch (err) {
      log.warn({ err }, 'not ready');
      return c.json({ status: 'not_ready' }, 503);
    }
  });
  app.get('/metrics', async (c) => c.text(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }));
  app.get('/openapi.json', (c) => c.json(signerOpenApi()));
  return app;
}
