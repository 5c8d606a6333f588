import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createServiceApp } from './http-service.js';

class Refused extends Error {}

function app() {
  const seen: { route: string; status: number }[] = [];
  let internal = 0;
  const a = createServiceApp({
    name: 'test',
    logger: pino({ level: 'silent' }),
    observe: (route, status) => seen.push({ route, status }),
    maxBody: { bytes: 64, tooLarge: () => new Refused('too large') },
    answer: (err) => (err instanceof Refused ? { status: 413, body: { error: { code: 'body_too_large', message: err.message } } } : undefined),
    onInternal: () => { internal += 1; },
  });
  a.post('/v1/echo', async (c) => c.json(await c.req.json()));
  a.get('/v1/boom', () => { throw new Error('bug'); });
  a.get('/v1/refused', () => { throw new Refused('no'); });
  return { a, seen, internal: () => internal };
}

describe('createServiceApp (common/http-service.ts)', () => {
  it('answers a known error as the service maps it, an unknown one 500 internal with the request id, no route 404 JSON', async () => {
    const { a, internal } = app();
    const refused = await a.request('/v1/refused');
    expect([refused.status, await refused.json()]).toEqual([413, { error: { code: 'body_too_large', message: 'no' } }]);
    const boom = await a.request('/v1/boom');
    const body = (await boom.json()) as { error: { code: string; message: string; requestId: string } };
    expect(boom.status).toBe(500);
    expect(body.error.code).toBe('internal');
    expect(body.error.message).toContain('see the test log');
    expect(body.error.requestId).toBe(boom.headers.get('x-request-id'));
    expect(internal()).toBe(1);
    const missing = await a.request('/nope');
    expect([missing.status, await missing.json()]).toEqual([404, { error: { code: 'not_found', message: 'no route GET /nope' } }]);
  });

  it('refuses a /v1 body over the limit through the service error, and times every request by route', async () => {
    const { a, seen } = app();
    const ok = await a.request('/v1/echo', { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    expect([ok.status, await ok.json()]).toEqual([200, { a: 1 }]);
    const big = await a.request('/v1/echo', { method: 'POST', body: JSON.stringify({ a: 'x'.repeat(100) }), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    // A body refused by the limit never reaches its route: it is timed under the limit's own path.
    expect(seen).toEqual([{ route: '/v1/echo', status: 200 }, { route: '/v1/*', status: 413 }]);
  });
});
