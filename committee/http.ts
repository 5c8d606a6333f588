import { Hono, type Context } from 'hono';
import { readJson } from '../core/http-body.js';
import type { Logger } from 'pino';
import { bodyLimit } from 'hono/body-limit';
import { MAX_NONCE, MAX_SIGN_BATCH, signBatchRequestSchema, signRequestSchema, type SignBatchRequest, type SignBatchResponse, type SignRequest } from '../schemas/committee.js';
import { RequestIssue, SOURCES, sourceOf, type AnySource, type EnvelopeExtra, type SignKind } from '../schemas/kinds/index.js';
import { parserFor, type Parsed } from '../schemas/validate.js';
import { OracleError, badRequest } from '../core/errors.js';
import { signerHttpStatus } from './status.js';
import type { SignerMetrics } from './metrics.js';
import type { SignCommand, SignerService } from './signer.js';
import { signerOpenApi } from './openapi.js';
import { bearerMatches } from '../common/bearer.js';
import { createServiceApp } from '../common/http-service.js';

export interface SignerAppDeps {
  service: Pick<SignerService, 'sign' | 'signBatch' | 'address'>;
  metrics: SignerMetrics;
  logger: Logger;
  /** Readiness: the store answers and the hub RPC answers. */
  ready: () => Promise<void>;
  /** When set, POST /v1/sign requires `Authorization: Bearer <authToken>` (401 otherwise). */
  authToken?: string;
}

const parseEnvelope = parserFor<SignRequest>(signRequestSchema);
const parseBatch = parserFor<SignBatchRequest>(signBatchRequestSchema);
/** One sign request's body limit; a batch may carry MAX_SIGN_BATCH of them. */
const ITEM_BYTES = 32 * 1024;
/** One parser per sign kind, from its kind module's request schema. */
const requestParsers = new Map<SignKind, (input: unknown) => Parsed<unknown>>(SOURCES.map((k) => [k.kind, parserFor<unknown>(k.requestSchema)]));
const EXTRAS: readonly EnvelopeExtra[] = ['caps', 'leg', 'settledAt', 'outNonce'];
/** Which kinds take an envelope extra, for the refusal of any other (e.g. caps: reserve). */
const extraOwners = (field: EnvelopeExtra): string => SOURCES.filter((k) => k.extras?.includes(field)).map((k) => k.kind).join(', ');

function ok<T>(r: Parsed<T>, prefix = ''): T {
  if (!r.ok) throw badRequest(`${prefix}${r.issue.field}`, r.issue.message);
  return r.value;
}

/** The request against its kind's schema, then the kind's own checks and extras (schemas/kinds/<kind>.ts fromRequest). */
function parseSource(env: SignRequest): AnySource {
  const spec = sourceOf(env.kind);
  for (const field of EXTRAS) {
    if (env[field] !== undefined && !spec.extras?.includes(field)) throw badRequest(field, `is only allowed for ${extraOwners(field)}, not ${env.kind}`);
  }
  const request = ok(requestParsers.get(env.kind)!(env.request), 'request.');
  try {
    return spec.fromRequest ? spec.fromRequest(request, env) : ({ kind: env.kind, request } as AnySource);
  } catch (err) {
    if (err instanceof RequestIssue) throw badRequest(err.field, err.message);
    throw err;
  }
}

/** Parses a sign request at the edge: the envelope, then the original request against its own schema by kind. */
export function parseSignCommand(input: unknown): SignCommand {
  const env = ok(parseEnvelope(input));
  const nonce = BigInt(env.nonce);
  if (nonce > MAX_NONCE) throw badRequest('nonce', 'exceeds 2^64 - 1');
  return { source: parseSource(env), nonce, chainIds: env.chainIds, ...(env.aboveLine === true ? { aboveLine: true } : {}) };
}

/** A committee signer's HTTP API: POST /v1/sign, POST /v1/sign-batch, /health, /ready, /metrics, /openapi.json. */
export function createSignerApp(deps: SignerAppDeps): Hono {
  const log = deps.logger.child({ module: 'http' });
  const app = createServiceApp({
    name: 'signer',
    logger: deps.logger,
    requestLog: 'debug',
    observe: (route, status, seconds) => deps.metrics.requestDuration.observe({ route, status: String(status) }, seconds),
    maxBody: { bytes: MAX_SIGN_BATCH * ITEM_BYTES, tooLarge: () => new OracleError('body_too_large', `body exceeds ${MAX_SIGN_BATCH * 32} KiB`) },
    answer: (err, c) => {
      if (!(err instanceof OracleError)) return undefined;
      deps.metrics.signRequests.inc({ outcome: err.code });
      const status = signerHttpStatus(err.code);
      if (status >= 500) log.warn({ requestId: c.get('requestId'), code: err.code, err: err.cause }, 'sign request failed upstream');
      else log.info({ requestId: c.get('requestId'), code: err.code, field: err.field }, 'sign request refused');
      return { status, body: err.toJSON() };
    },
    onInternal: () => deps.metrics.signRequests.inc({ outcome: 'internal' }),
  });

  const authorize = (c: Context, route: string) => {
    if (deps.authToken !== undefined && !bearerMatches(c.req.header('authorization'), deps.authToken)) {
      deps.metrics.signRequests.inc({ outcome: 'unauthorized' });
      throw new OracleError('unauthorized', `POST ${route} needs the aggregator's bearer token`, 'authorization');
    }
  };
  const itemLimit = bodyLimit({ maxSize: ITEM_BYTES, onError: () => { throw new OracleError('body_too_large', 'body exceeds 32 KiB'); } });

  app.post('/v1/sign', itemLimit, async (c) => {
    authorize(c, '/v1/sign');
    const cmd = parseSignCommand(await readJson(c));
    const r = await deps.service.sign(cmd);
    deps.metrics.signRequests.inc({ outcome: r.repeat ? 'repeat' : 'signed' });
    return c.json(r.response, 200);
  });

  // Each item is parsed, checked and answered on its own (its refusal in its place); the batch fails whole only on
  // a body that is not a batch or a token that does not match.
  app.post('/v1/sign-batch', async (c) => {
    authorize(c, '/v1/sign-batch');
    const items = ok(parseBatch(await readJson(c))).items;
    const parsed = items.map((item, index): { index: number; cmd: SignCommand } | { index: number; error: OracleError } => {
      try {
        return { index, cmd: parseSignCommand(item) };
      } catch (err) {
        if (err instanceof OracleError) return { index, error: err };
        throw err;
      }
    });
    const cmds = parsed.flatMap((p) => ('cmd' in p ? [p.cmd] : []));
    const { items: signed, roots } = await deps.service.signBatch(cmds, parsed.flatMap((p) => ('cmd' in p ? [p.index] : [])));
    deps.metrics.signBatchSize.observe(items.length);
    let next = 0;
    const results: SignBatchResponse['results'] = parsed.map((p) => {
      const r = 'cmd' in p ? signed[next++]! : { ok: false as const, error: p.error };
      if (r.ok) {
        deps.metrics.signRequests.inc({ outcome: r.repeat ? 'repeat' : 'signed' });
        return { attestationId: r.response.attestationId, signatures: r.response.signatures };
      }
      deps.metrics.signRequests.inc({ outcome: r.error.code });
      const status = signerHttpStatus(r.error.code);
      if (status >= 500) log.warn({ requestId: c.get('requestId'), index: p.index, code: r.error.code, err: r.error.cause }, 'batch item failed upstream');
      else log.info({ requestId: c.get('requestId'), index: p.index, code: r.error.code, field: r.error.field }, 'batch item refused');
      return { status, error: r.error.toJSON().error };
    });
    const body: SignBatchResponse = { signer: deps.service.address, results, ...(roots.length > 0 ? { roots } : {}) };
    if (roots.length > 0) deps.metrics.batchRootsSigned.inc(roots.length);
    return c.json(body, 200);
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
