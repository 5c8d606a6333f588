import { policySnapshotSchema, quorumSnapshotSchema, redemptionReportSchema, signRequestSchema, signResponseSchema, stageReportSchema } from '../schemas/committee.js';
import { errorSchema } from '../schemas/http.js';

const strip = ({ $schema: _s, $id: _i, ...rest }: { $schema?: string; $id?: string } & Record<string, unknown>) => rest;
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** OpenAPI 3.1 document of a committee signer, built from the schemas it validates with. */
export function signerOpenApi() {
  return {
    openapi: '3.1.0',
    info: { title: 'RWA oracle committee signer', version: '0.1.0', description: 'Re-checks a request (custodian, NAV publisher, issuer, or the hub registry config) on its own and signs the attestation per destination chain.' },
    paths: {
      '/v1/sign': {
        post: {
          summary:
            'Sign the attestation of a request (settlement, NAV, config, allow-list, pause, reserve, move, redemption request / stage / policy / fulfilment, disclosure, transport quorum) at a proposed nonce',
          description:
            '`request` by kind: the posted body (settlement, nav, reserve, allowlist, pause, move, redemptionFulfilment, redemptionAcceptance, disclosure), the registry snapshot (config, redemptionPolicy: PolicySnapshot, transportQuorum: QuorumSnapshot of one chain, signed for that chain only), or an event the aggregator read (redemptionRequest: RedemptionReport with the pinned blocks of its pool supply; redemptionStage: StageReport). The signer reads the events, supplies and registry itself.',
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
      '/health': { get: { summary: 'Liveness', responses: { '200': { description: 'alive' } } } },
      '/ready': { get: { summary: 'Readiness (store and hub RPC)', responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition' } } } },
    },
    components: {
      securitySchemes: { aggregator: { type: 'http', scheme: 'bearer', description: "the signer's SIGNER_AUTH_TOKEN, which only the aggregator holds" } },
      schemas: {
        SignRequest: strip(signRequestSchema),
        SignResponse: strip(signResponseSchema),
        RedemptionReport: strip(redemptionReportSchema),
        StageReport: strip(stageReportSchema),
        PolicySnapshot: strip(policySnapshotSchema),
        QuorumSnapshot: strip(quorumSnapshotSchema),
        Error: strip(errorSchema),
      },
    },
  };
}
