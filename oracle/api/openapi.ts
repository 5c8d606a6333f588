import { DOC_KINDS, attestationFeedSchema, errorSchema } from '../../schemas/http.js';
import { ROUTED_SOURCES, type KindRoute } from '../../schemas/kinds/index.js';

const strip = ({ $schema: _s, $id: _i, ...rest }: { $schema?: string; $id?: string } & Record<string, unknown>) => rest;
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Every public read but /health may answer this (oracle/api/read/limiter.ts). */
const rateLimited = {
  ...errorResponse('over the client\'s or the global read limit (code `rate_limited`)'),
  headers: { 'Retry-After': { description: 'seconds to wait before the next read', schema: { type: 'integer', minimum: 1 } } },
};

/** A kind's POST route as an OpenAPI operation, from its module's `route` (schemas/kinds/<kind>.ts). */
function kindOperation(route: KindRoute) {
  const responses = Object.fromEntries(Object.entries(route.responses).map(([status, r]) => [status, r.error ? errorResponse(r.description) : { description: r.description }]));
  return {
    post: {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.schemaName}` } } } },
      responses,
    },
  };
}

/** The paths and request schemas of every kind with a route: derived from the kind list, never written here. */
const kindPaths = () => Object.fromEntries(ROUTED_SOURCES.flatMap((s) => (s.route ? [[s.route.path, kindOperation(s.route)]] : [])));
const kindSchemas = () => Object.fromEntries(ROUTED_SOURCES.flatMap((s) => (s.route ? [[s.route.schemaName, strip(s.requestSchema as Record<string, unknown>)]] : [])));

/** OpenAPI 3.1 document built from the same JSON Schemas the API validates with; reads carry their 429. */
export function openApiDocument() {
  const doc = document();
  for (const [path, item] of Object.entries(doc.paths) as [string, { get?: { responses: Record<string, unknown> } }][]) {
    if (item.get && path !== '/health') item.get.responses['429'] = rateLimited;
  }
  return doc;
}

function document() {
  return {
    openapi: '3.1.0',
    info: { title: 'RWA settlement oracle', version: '0.1.0', description: 'Custodians post signed settlement proofs and NAV; the committee signs attestations for every chain.' },
    paths: {
      ...kindPaths(),
      '/v1/moves/{ref}': {
        get: {
          summary: 'A move: its state (accepted, out_applied, in_signed, arrived, void_signed, return_signed, returned) and reason, and each leg (out, in, void, return) with attestation id, nonce, chain and whether that chain applied it',
          parameters: [
            { name: 'ref', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'did', in: 'query', required: true, schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'status' }, '400': errorResponse('bad ref or missing did'), '404': errorResponse('unknown move') },
        },
      },
      '/v1/dids/{did}/disclosures': {
        get: {
          summary: "A DID's disclosures, newest first: docKind, docHash, uri, asOf, attestation id and nonce",
          parameters: [
            { name: 'did', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'docKind', in: 'query', schema: { enum: [...DOC_KINDS] } },
          ],
          responses: { '200': { description: '{ did, items }' }, '400': errorResponse('not an RWA DID, or unknown docKind') },
        },
      },
      '/v1/dids/{did}/notice': {
        get: {
          summary: "The incident notice a DID's issuer owes (issue 23): after a change of the effective stage (the hub stage, or the buy-back liquidity floor raising it) to B or C, `{ due: true, stage, since, stageSeq, required, pending }` until an incidentNotice disclosure with asOf at or after `since` is applied on every chain it was signed for; then (and in stage A) `{ due: false, stage, since, notice }`",
          parameters: [{ name: 'did', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: '{ did, notice }' }, '400': errorResponse('not an RWA DID'), '404': errorResponse('unknown DID') },
        },
      },
      '/v1/dids/{did}/redemptions': {
        get: {
          summary: "A DID's redemption stage on each chain (read from its module), today's rate in bps of the pool, and its requests (open / fulfilled / cancelled, amount fulfilled by attested fulfilments, the id of the report to the hub, and for open ones what the module allows to fulfil now)",
          parameters: [{ name: 'did', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: '{ did, stages, dailyRateBps, requests, notice }' }, '400': errorResponse('not an RWA DID'), '404': errorResponse('unknown DID') },
        },
      },
      '/v1/dids/{did}/brakes': {
        get: {
          summary: "A DID's brakes per chain (kind 14): the brakes last attested, and those in force on the receiver (mint and burn capacity, refill per second, what each bucket holds now, settlements queued; the amount line and the signatures above it)",
          parameters: [{ name: 'did', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: '{ did, chains: [{ chainId, attested, inForce }] }' }, '400': errorResponse('not an RWA DID'), '404': errorResponse('unknown DID') },
        },
      },
      '/v1/attestations': {
        get: {
          summary: 'Feed of signed attestations for relayers',
          description: 'Each delivery carries its threshold signatures, and `batch: { root, proof, signatures }` when the committee also signed the message in a batch root for that chain (group commit; RwaReceiver.receiveBatch; docs/batches.md).',
          parameters: [
            { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
          ],
          responses: { '200': { description: 'page', content: { 'application/json': { schema: { $ref: '#/components/schemas/AttestationFeed' } } } } },
        },
      },
      '/v1/attestations/{id}': {
        get: { summary: 'One attestation (its deliveries as in the feed, with `batch` where signed in a batch root) and whether each destination chain applied it (with `quorum: {k, transports, arrived}` where the DID requires a transport quorum on that chain)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'status' }, '404': errorResponse('unknown') } },
      },
      '/v1/dids/{did}': {
        get: {
          summary: 'W3C DID document of a DID: committee signers, custodians and NAV publishers as verification methods, oracle services, and the hub registry state',
          parameters: [{ name: 'did', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'DID document', content: { 'application/did+ld+json': { schema: { type: 'object' } } } }, '400': errorResponse('not an RWA DID'), '404': errorResponse('unknown') },
        },
      },
      '/health': { get: { summary: 'Liveness', responses: { '200': { description: 'alive' } } } },
      '/ready': { get: { summary: 'Readiness (store and hub RPC)', responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition' } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
    components: {
      schemas: {
        ...kindSchemas(),
        AttestationFeed: strip(attestationFeedSchema),
        Error: strip(errorSchema),
      },
    },
  };
}
