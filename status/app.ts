/**
 * The status server's routes: GET / (the page), GET /v1/status (the view it polls), /health and /metrics. The view is
 * rebuilt in the background (server.ts); a request only reads the latest one, so any number of open pages cost the
 * chains and the relayer nothing more.
 */
import type { Hono } from 'hono';
import { pino, type Logger } from 'pino';
import { createServiceApp } from '../common/http-service.js';
import { statusPageHtml } from './page.js';
import type { StatusView } from './view.js';
import type { StatusMetrics } from './metrics.js';

export function createStatusPageApp(latest: () => StatusView | undefined, metrics: StatusMetrics, logger: Logger = pino({ level: 'silent' }), title = 'RWA settlement status'): Hono {
  const app = createServiceApp({ name: 'status', logger, requestLog: 'debug' });
  const html = statusPageHtml(title);
  app.get('/', (c) => c.html(html, 200, { 'cache-control': 'no-store' }));
  app.get('/v1/status', (c) => {
    const view = latest();
    if (!view) return c.json({ error: { code: 'not_ready', message: 'the first refresh has not finished' } }, 503);
    return c.json(view, 200, { 'cache-control': 'no-store' });
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', async (c) => c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  return app;
}
