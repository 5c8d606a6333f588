import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createSignerApp } from './http.js';
import { signerOpenApi } from './openapi.js';
import { createSignerMetrics } from './metrics.js';
import { SIGN_KINDS, SOURCES } from '../schemas/kinds/index.js';
import { documentedRoutes, servedRoutes } from '../common/openapi-routes.js';

describe('the signer OpenAPI document', () => {
  it('lists every route the signer serves, and only those', () => {
    const app = createSignerApp({ service: {} as never, metrics: createSignerMetrics(), logger: pino({ level: 'silent' }), ready: async () => undefined });
    expect(documentedRoutes(signerOpenApi())).toEqual(servedRoutes(app));
  });

  it('takes every sign kind, with the request schema of its kind module', () => {
    const doc = signerOpenApi();
    expect((doc.components.schemas.SignRequest as { properties: { kind: { enum: unknown } } }).properties.kind.enum).toEqual(SIGN_KINDS);
    const schemas = Object.values(doc.components.schemas);
    for (const k of SOURCES) {
      const { $schema: _s, $id: _i, ...body } = k.requestSchema as Record<string, unknown>;
      expect(schemas, k.kind).toContainEqual(body);
      expect(doc.paths['/v1/sign'].post.summary, k.kind).toContain(k.kind);
    }
  });
});
