import { DOC_KINDS, acceptanceRequestSchema, attestationFeedSchema, disclosureRequestSchema, errorSchema, fulfilmentRequestSchema, moveRequestSchema, navRequestSchema, settlementRequestSchema } from '../../schemas/http.js';

const strip = ({ $schema: _s, $id: _i, ...rest }: { $schema?: string; $id?: string } & Record<string, unknown>) => rest;
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Every public read but /health may answer this (oracle/api/read/limiter.ts). */
const rateLimited = {
  ...errorResponse('over the client\'s or the global read limit (code `rate_limited`)'),
  headers: { 'Retry-After': { description: 'seconds to wait before the next read', schema: { type: 'integer', minimum: 1 } } },
};

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
      '/v1/settlements': {
        post: {
          summary: 'Post a custodian-signed settlement proof',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SettlementRequest' } } } },
          responses: {
            '201': { description: 'attestation signed' },
            '200': { description: 'same reference and body seen before: the existing attestation' },
            '400': errorResponse('body fails the schema'),
            '401': errorResponse('signature does not recover'),
            '403': errorResponse('signer is not a custodian of the DID'),
            '404': errorResponse('unknown DID'),
            '409': errorResponse('reference reused with a different body'),
            '422': errorResponse('a rule refused it'),
          },
        },
      },
      '/v1/nav': {
        post: {
          summary: 'Post a NAV update signed by a NAV publisher',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NavRequest' } } } },
          responses: { '201': { description: 'attestation signed' }, '200': { description: 'repeat' }, '4XX': errorResponse('refused') },
        },
      },
      '/v1/moves': {
        post: {
          summary: "Move an investor's units from one chain to another (custodian-signed MoveInstruction); the total over all chains is unchanged",
          description:
            'The move-out (settlement kind moveOut, burn) is signed for the from-chain at once; the move-in (moveIn, mint) is signed for the to-chain only after the move-out is applied on the from-chain.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/MoveRequest' } } } },
          responses: {
            '201': { description: 'move-out attestation signed; the move with both legs (in: null until issued)' },
            '200': { description: 'same ref and body seen before: the existing move' },
            '400': errorResponse('body fails the schema'),
            '401': errorResponse('signature does not recover'),
            '403': errorResponse('signer is not a custodian of the DID'),
            '404': errorResponse('unknown DID'),
            '409': errorResponse('ref reused with a different body'),
            '422': errorResponse('a rule refused it: chains not enabled or equal, balance on the from-chain, to-chain not configured, paused, investor not allow-listed or reserve cap'),
          },
        },
      },
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
      '/v1/redemptions/acceptances': {
        post: {
          summary: "Post a custodian-signed RedemptionAcceptance: the custodian commits to pay a request, which its holder can then no longer cancel",
          description:
            "Checked against the request on its chain at the newest block (exists, not cancelled, not accepted, owner and amount as locked). Signed (kind 13) for the request's chain only. Pay only once the request shows accepted on chain: a holder may still cancel while the acceptance is in flight, and the chain then refuses it (RequestClosed). Once applied, the request is reported to the hub and counts as pressure. One per request.",
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AcceptanceRequest' } } } },
          responses: {
            '201': { description: 'attestation signed' },
            '200': { description: 'the same acceptance seen before: the existing attestation' },
            '400': errorResponse('body fails the schema (field named), or requestId past uint64'),
            '401': errorResponse('signature does not recover'),
            '403': errorResponse('signer is not a custodian of the DID'),
            '404': errorResponse('unknown DID (field did) or no such request on that chain (field requestId)'),
            '409': errorResponse('the request was accepted with a different body'),
            '422': errorResponse('request_closed (requestId: cancelled or fully fulfilled), already_accepted (requestId), acceptance_mismatch (owner, amount), chain_not_enabled (chainId), time_in_future (acceptedAt)'),
            '503': errorResponse('the chain or the committee cannot be reached; retry'),
          },
        },
      },
      '/v1/redemptions/fulfilments': {
        post: {
          summary: "Post a custodian-signed RedemptionFulfilment: cash paid for (part of) a redemption request; burns that many locked units on the request's chain",
          description:
            "Checked against the request on its chain (requestOf) and the redemption stage's allowance now (redeemableNow), less fulfilments already attested for the request that the chain has not applied yet. Signed (kind 10) for the request's chain only. Idempotent by settlementRef.",
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/FulfilmentRequest' } } } },
          responses: {
            '201': { description: 'attestation signed' },
            '200': { description: 'same settlementRef and body seen before: the existing attestation' },
            '400': errorResponse('body fails the schema (field named), or requestId past uint64'),
            '401': errorResponse('signature does not recover'),
            '403': errorResponse('signer is not a custodian of the DID'),
            '404': errorResponse('unknown DID (field did) or no such request on that chain (field requestId)'),
            '409': errorResponse('settlementRef reused with a different body'),
            '422': errorResponse('request_closed (requestId: cancelled or fully fulfilled), not_accepted (requestId: post its acceptance first), exceeds_request (amount), exceeds_allowance (amount), chain_not_enabled (chainId), amount_not_positive, time_in_future (settledAt)'),
            '503': errorResponse('the chain or the committee cannot be reached; retry'),
          },
        },
      },
      '/v1/disclosures': {
        post: {
          summary: "Post an issuer-signed Disclosure (NAV report, custody statement, audit report, incident notice): anchored by hash on every chain of the DID (kind 11)",
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DisclosureRequest' } } } },
          responses: {
            '201': { description: 'attestation signed' },
            '200': { description: 'same docKind, asOf and body seen before: the existing attestation' },
            '400': errorResponse('body fails the schema'),
            '401': errorResponse('signature does not recover'),
            '403': errorResponse('signer is not the issuer of the DID'),
            '404': errorResponse('unknown DID'),
            '409': errorResponse('docKind and asOf reused with a different body (field asOf)'),
            '422': errorResponse('disclosure_not_newer (asOf not later than the latest of its kind), time_in_future (asOf)'),
          },
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
      '/v1/dids/{did}/redemptions': {
        get: {
          summary: "A DID's redemption stage on each chain (read from its module), today's rate in bps of the pool, and its requests (open / fulfilled / cancelled, amount fulfilled by attested fulfilments, the id of the report to the hub, and for open ones what the module allows to fulfil now)",
          parameters: [{ name: 'did', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: '{ did, stages, dailyRateBps, requests }' }, '400': errorResponse('not an RWA DID'), '404': errorResponse('unknown DID') },
        },
      },
      '/v1/attestations': {
        get: {
          summary: 'Feed of signed attestations for relayers',
          parameters: [
            { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
          ],
          responses: { '200': { description: 'page', content: { 'application/json': { schema: { $ref: '#/components/schemas/AttestationFeed' } } } } },
        },
      },
      '/v1/attestations/{id}': {
        get: { summary: 'One attestation and whether each destination chain applied it (with `quorum: {k, transports, arrived}` where the DID requires a transport quorum on that chain)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'status' }, '404': errorResponse('unknown') } },
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
    },
    components: {
      schemas: {
        SettlementRequest: strip(settlementRequestSchema),
        NavRequest: strip(navRequestSchema),
        MoveRequest: strip(moveRequestSchema),
        FulfilmentRequest: strip(fulfilmentRequestSchema),
        AcceptanceRequest: strip(acceptanceRequestSchema),
        DisclosureRequest: strip(disclosureRequestSchema),
        AttestationFeed: strip(attestationFeedSchema),
        Error: strip(errorSchema),
      },
    },
  };
}
