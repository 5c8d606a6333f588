import { describe, expect, it } from 'vitest';
import { createKindRoutes } from './kind-routes.js';
import { ROUTED_SOURCES } from '../../schemas/kinds/index.js';

describe('kind routes', () => {
  it('refuses to build the complete oracle when a kind with a route has no service', () => {
    expect(() => createKindRoutes({}, { complete: true })).toThrow(/kind settlement declares the route \/v1\/settlements/);
  });

  it("serves each kind's route with its module's schema, and only the kinds given a service", async () => {
    const app = createKindRoutes({ nav: async (request) => ({ created: true, body: { asOf: request.asOf } }) }, { complete: false });
    expect(app.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/nav']);
    const post = (body: unknown) => app.request('/v1/nav', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post({ did: 'did:rwa:test:a', nav: '1', asOf: 5, signature: `0x${'11'.repeat(65)}` });
    expect([ok.status, await ok.json()]).toEqual([201, { asOf: 5 }]);
    expect(ROUTED_SOURCES.find((s) => s.kind === 'nav')?.route?.path).toBe('/v1/nav');
  });
});
