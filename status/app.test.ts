import { describe, expect, it } from 'vitest';
import { createStatusPageApp } from './app.js';
import { createStatusMetrics } from './metrics.js';
import type { StatusView } from './view.js';

const VIEW: StatusView = { generatedAt: '2026-12-05T04:00:00.000Z', relayer: { url: 'http://r', ok: true, error: null, cursor: 1 }, oracle: null, dids: [] };

describe('status page app', () => {
  it('serves one self-contained page: inline script and style, nothing loaded from elsewhere', async () => {
    const res = await createStatusPageApp(() => VIEW, createStatusMetrics()).request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<script>');
    expect(html).toContain("fetch('/v1/status'");
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    // The inline script is a string here: at least it must parse (the browser test runs it).
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(() => new Function(script)).not.toThrow();
  });

  it('answers the latest view on /v1/status, and 503 not_ready before the first', async () => {
    let view: StatusView | undefined;
    const app = createStatusPageApp(() => view, createStatusMetrics());
    const early = await app.request('/v1/status');
    expect(early.status).toBe(503);
    expect(await early.json()).toEqual({ error: { code: 'not_ready', message: 'the first refresh has not finished' } });
    view = VIEW;
    const res = await app.request('/v1/status');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(VIEW);
  });

  it('answers a JSON 404 to an unknown route', async () => {
    const res = await createStatusPageApp(() => VIEW, createStatusMetrics()).request('/v1/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
