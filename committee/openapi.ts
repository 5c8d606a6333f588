import { MAX_SIGN_BATCH, signBatchRequestSchema, signBatchResponseSchema, signRequestSchema, signResponseSchema } from '../schemas/committee.js';
import { SOURCES } from '../schemas/kinds/index.js';
import { errorSchema } from '../schemas/http.js';

const strip = ({ $schema: _s, $id: _i, ...rest }: { $schema?: string; $id?: string } & Record<string, unknown>) => rest;
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Components name of a request schema, from its $id (`.../config-snapshot.json` -> ConfigSnapshot). */
export const schemaNameOf = (schema: object): string => {
  const id = (schema as { $id?: string }).$id ?? '';
  const base = id.slice(id.lastIndexOf('/') + 1).replace(/\.json$/, '');
  return base.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
};

/** `request` by kind, derived from the kind list (schemas/kinds/index.ts SOURCES). */
const requestByKind = () => SOURCES.map((k) => `${k.kind}: ${schemaNameOf(k.requestSchema)}${k.extras ? ` (with ${k.extras.join(', ')})` : ''}`).join('; ');

/** OpenAPI 3.1 document of a committee signer, built from the schemas it validates with. */
export function signerOpenApi() {
  return {
    openapi: '3.1.0',
    info: { title: 'RWA oracle committee signer', version: '0.1.0', description: 'Re-checks a request (custodian, NAV publisher, issuer, or the hub registry config) on its own and signs the attestation per destination chain.' },
    paths: {
      '/v1/sign': {
        post: {
          summary: `Sign the attestation of a request (${SOURCES.map((k) => k.kind).join(', ')}) at a proposed nonce`,
          description: `\`request\` by kind: ${requestByKind()}. Posted bodies come as posted; registry snapshots and event reports as the aggregator read them. The signer reads the events, supplies and registry itself.`,
          security: [{ aggregator: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SignRequest' } } } },
          responses: {
            '200': { description: 'signatures, one per chain (the first ones again on a repeat)', content: { 'application/json': { schema: { $ref: '#/components/schemas/SignResponse' } } } },
            '400': errorResponse('body fails the schema'),
            '401': errorResponse("no or another `Authorization: Bearer` token than SIGNER_AUTH_TOKEN (unauthorized, field authorization), or the request's EIP-712 signature does not recover"),
            '403': errorResponse('not a custodian / NAV publisher / the issuer, or this signer is not in the set that must sign (the DID signer set; for config governance or the last config it signed)'),
            '404': errorResponse('unknown DID'),
            '409': errorResponse('equivocation: another message at this nonce, or this request at another nonce'),
            '422': errorResponse(
              'a rule, the chain list, the reserve caps, a config, redemption policy or transport quorum that differs from the hub registry (quorum_mismatch, invalid_transport_quorum), an event not found / not final / different (event_not_found, not_final, event_mismatch), pins or pool supply (pins_mismatch, pin_too_old, pool_supply_mismatch), or a fulfilment that does not fit the request (unknown_request, request_closed, exceeds_request, exceeds_allowance)',
            ),
            '503': errorResponse('a chain could not be read, or this signer does not read the redemptions modules or the transport quorums'),
          },
        },
      },
      '/v1/sign-batch': {
        post: {
          summary: `Sign up to ${MAX_SIGN_BATCH} proposals together (group commit), each answered on its own`,
          description:
            'Each item is a SignRequest as for POST /v1/sign. Items are checked in order against one set of hub and chain reads, each signed item counting as pending for the ones after it (caps, holdings), exactly as if they came one by one. Each result is the item\'s signatures or its own refusal with the status POST /v1/sign would have answered; one item refused never fails the others. `roots`: per DID and destination chain with two or more settlement or NAV messages this signer validated and signed in this request, the Merkle root over them in request order (core/batch-tree.ts), signed as EIP-712 AttestationBatch{did, root} in that chain\'s domain; the signer computes it, it is never sent one.',
          security: [{ aggregator: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SignBatchRequest' } } } },
          responses: {
            '200': { description: 'per item, in order: signatures (the first ones again on a repeat) or the refusal', content: { 'application/json': { schema: { $ref: '#/components/schemas/SignBatchResponse' } } } },
            '400': errorResponse(`body is not a batch of 1..${MAX_SIGN_BATCH} objects`),
            '401': errorResponse('no or another `Authorization: Bearer` token than SIGNER_AUTH_TOKEN'),
            '413': errorResponse(`body exceeds ${MAX_SIGN_BATCH * 32} KiB`),
          },
        },
      },
      '/health': { get: { summary: 'Liveness', responses: { '200': { description: 'alive' } } } },
      '/ready': { get: { summary: 'Readiness (store and hub RPC)', responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition' } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
    components: {
      securitySchemes: { aggregator: { type: 'http', scheme: 'bearer', description: "the signer's SIGNER_AUTH_TOKEN, which only the aggregator holds" } },
      schemas: {
        SignRequest: strip(signRequestSchema),
        SignResponse: strip(signResponseSchema),
        SignBatchRequest: strip(signBatchRequestSchema),
        SignBatchResponse: strip(signBatchResponseSchema),
        ...Object.fromEntries(SOURCES.map((k) => [schemaNameOf(k.requestSchema), strip(k.requestSchema as Record<string, unknown>)])),
        Error: strip(errorSchema),
      },
    },
  };
}
