import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createApp, type AppDeps } from './app.js';
import { openApiDocument } from './openapi.js';
import { createMetrics } from '../metrics.js';
import { ROUTED_SOURCES } from '../../schemas/kinds/index.js';
import { documentedRoutes, servedRoutes } from '../../common/openapi-routes.js';

// Every optional part present: the routes are only registered here, never called.
const unused = {} as never;
const fullApp = () =>
  createApp({
    service: unused,
    store: unused,
    destinations: unused,
    registry: unused,
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
    dids: { members: unused, hubChainId: 1n, registryAddress: '0x0000000000000000000000000000000000000001', publicUrl: undefined },
    admin: unused,
    moves: unused,
    redemptions: { fulfilments: unused, acceptances: unused, disclosures: unused, view: unused },
    brakes: unused,
    // Any further kind's route: a submitter per routed kind (those above are served by their own parts).
    kinds: Object.fromEntries(ROUTED_SOURCES.map((s) => [s.kind, unused])),
  } satisfies AppDeps);

describe('the oracle OpenAPI document', () => {
  it('lists every route the app serves, and only those', () => {
    expect(documentedRoutes(openApiDocument())).toEqual(servedRoutes(fullApp()));
  });

  it("documents each kind's route with its kind module's request schema", () => {
    const doc = openApiDocument();
    for (const s of ROUTED_SOURCES) {
      const op = (doc.paths as Record<string, { post?: { requestBody: { content: { 'application/json': { schema: { $ref: string } } } } } }>)[s.route!.path]?.post;
      expect(op, s.kind).toBeDefined();
      const name = op!.requestBody.content['application/json'].schema.$ref.replace('#/components/schemas/', '');
      const { $schema: _s, $id: _i, ...body } = s.requestSchema as Record<string, unknown>;
      expect((doc.components.schemas as Record<string, unknown>)[name], s.kind).toEqual(body);
    }
  });
});
