import { errorSchema } from '../schemas/http.js';

const strip = ({ $schema: _s, $id: _i, ...rest }: { $schema?: string; $id?: string } & Record<string, unknown>) => rest;
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });

/** OpenAPI 3.1 document of the relayer's status API (relayer/http.ts); scripts/check-openapi.ts keeps the two equal. */
export function relayerOpenApi() {
  return {
    openapi: '3.1.0',
    info: { title: 'RWA relayer status', version: '0.1.0', description: 'Delivery state of every attestation per chain and transport, queues, dead letters and transports. Read only.' },
    paths: {
      '/v1/deliveries/{attestationId}': {
        get: {
          summary: "One attestation's jobs: per chain and transport its state (pending, submitted, confirmed, parked, dead), tx hash, attempts, last error or note, next attempt and confirmation time",
          parameters: [{ name: 'attestationId', in: 'path', required: true, schema: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } }],
          responses: { '200': json('{ attestationId, deliveries }'), '400': errorResponse('not a 32-byte hex id (invalid_id)'), '404': errorResponse('no jobs for this attestation (unknown_attestation)') },
        },
      },
      '/v1/dead-letters': { get: { summary: 'Jobs dead-lettered, with their reason; `tsx relayer/main.ts retry-dead <jobId>` re-queues one', responses: { '200': json('{ items }') } } },
      '/v1/dead-letters/{jobId}/retry': {
        post: {
          summary: 'Operator: put a dead-lettered job back in the queue (after fixing its cause); `Authorization: Bearer <RELAYER_ADMIN_TOKEN>`',
          parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
          responses: {
            '200': json('{ jobId, state: "pending" }'),
            '400': errorResponse('not a positive integer (invalid_id)'),
            '401': errorResponse('missing or wrong bearer token (unauthorized)'),
            '403': errorResponse('RELAYER_ADMIN_TOKEN is not set (admin_disabled)'),
            '404': errorResponse('the job is not a dead letter (not_dead)'),
          },
        },
      },
      '/v1/recent': {
        get: {
          summary: "Per chain, the last confirmed deliveries (newest first, oracle order) with the transport that carried each",
          parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 } }],
          responses: { '200': json('{ chains: [{ chainId, deliveries }] }'), '400': errorResponse('limit outside 1..100 (invalid_limit)') },
        },
      },
      '/v1/queues': {
        get: {
          summary: 'Per chain: queue depth, parked jobs, a chain-wide block (RPC down, empty gas wallet, fee cap, curse), whether its receiver is cursed and the jobs held for it, and the deliveries waiting after a failure; and the feed cursor',
          responses: { '200': json('{ chains, cursor }') },
        },
      },
      '/v1/transports': { get: { summary: 'What the relayer carries to each chain, and which transports the operator disabled', responses: { '200': json('{ disabled, chains }') } } },
      '/health': { get: { summary: 'Liveness, and the chains whose receiver is cursed (their deliveries held)', responses: { '200': json('{ status, cursedChains }') } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition' } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
    components: { schemas: { Error: strip(errorSchema) } },
  };
}
