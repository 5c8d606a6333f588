import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SERVICES, fullOracleApp, fullRelayerApp, openApiProblems, routeGaps } from './check-openapi.js';
import { relayerOpenApi } from '../relayer/openapi.js';
import { openApiDocument } from '../oracle/api/openapi.js';

describe('check-openapi', () => {
  it('finds no gap between any service and its document', () => {
    expect(openApiProblems()).toEqual([]);
  });

  it('the oracle document has the admin routes (reserve, allow-list, pause) the issue found missing', () => {
    const paths = openApiDocument().paths as Record<string, { post?: unknown }>;
    for (const path of ['/v1/reserve', '/v1/allowlist', '/v1/pause']) expect(paths[path]?.post, path).toBeDefined();
  });

  it('names a served route the document leaves out', () => {
    const doc = openApiDocument();
    const { ['/v1/reserve']: _gone, ...paths } = doc.paths as Record<string, object>;
    expect(routeGaps(fullOracleApp(), { paths })).toEqual({ undocumented: ['POST /v1/reserve'], unserved: [] });
  });

  it('names a route added to an app but not to its document, and a documented route nobody serves', () => {
    const app = new Hono();
    app.get('/health', (c) => c.text('ok'));
    app.post('/v1/things/:id', (c) => c.text('ok'));
    const doc = { paths: { '/health': { get: {} }, '/v1/gone': { delete: {} } } };
    expect(openApiProblems([{ name: 'svc', source: 'svc/openapi.ts', app: () => app, doc: () => doc }])).toEqual([
      'svc: serves POST /v1/things/{id} but svc/openapi.ts does not document it',
      'svc: svc/openapi.ts documents DELETE /v1/gone but the app does not serve it',
    ]);
  });

  it('checks the oracle, the committee signer and the relayer', () => {
    expect(SERVICES.map((s) => s.name)).toEqual(['oracle', 'committee signer', 'relayer']);
  });

  it('the relayer serves its document at /openapi.json', async () => {
    const res = await fullRelayerApp().request('/openapi.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(relayerOpenApi());
  });
});
