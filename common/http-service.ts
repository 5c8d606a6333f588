/**
 * The HTTP set-up the three services share (oracle API, committee signer, relayer status): a request id on every
 * request, a duration and a log line per request, a body limit on /v1/*, JSON errors `{ error: { code, message,
 * field? } }` and a JSON 404. What differs is passed in: how a known error is answered (each service maps its own
 * error codes to statuses) and what is counted.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';

/** How a service answers an error it knows; undefined: not a known error (answered 500 `internal`). */
export type KnownAnswer = { status: ContentfulStatusCode; body: unknown };

export interface ServiceHttp {
  /** Names the service in the 500 answer ("see the <name> log with this request id"). */
  name: string;
  logger: Logger;
  /** Level of the one log line per request. */
  requestLog?: 'info' | 'debug';
  /** Called once per request with its route, status and duration. */
  observe?: (route: string, status: number, seconds: number) => void;
  /** The largest body accepted on /v1/* and the error thrown past it (answered through `answer`). */
  maxBody?: { bytes: number; tooLarge: () => Error };
  /** The answer to a known error, or undefined; it logs and counts the refusal itself. */
  answer?: (err: unknown, c: Context) => KnownAnswer | undefined;
  /** Counted once per 500. */
  onInternal?: () => void;
}

export function createServiceApp(s: ServiceHttp): Hono {
  const app = new Hono();
  const log = s.logger.child({ module: 'http' });
  app.use('*', requestId());
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    s.observe?.(c.req.routePath, c.res.status, ms / 1000);
    log[s.requestLog ?? 'info']({ requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, duration_ms: Math.round(ms) }, 'request');
  });
  const max = s.maxBody;
  if (max) {
    app.use('/v1/*', bodyLimit({ maxSize: max.bytes, onError: () => { throw max.tooLarge(); } }));
  }
  app.onError((err, c) => {
    const known = s.answer?.(err, c);
    if (known) return c.json(known.body, known.status);
    s.onInternal?.();
    log.error({ requestId: c.get('requestId'), err }, 'request failed');
    return c.json({ error: { code: 'internal', message: `internal error; see the ${s.name} log with this request id`, requestId: c.get('requestId') } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}
