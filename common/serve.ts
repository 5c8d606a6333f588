import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/** Starts a hono app on host:port; resolves with the bound port once listening (port 0 picks a free one). */
export function listen(app: Hono, host: string, port: number): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => resolve({ server, port: info.port }));
    server.once('error', reject);
  });
}

/** Closes the server, waiting for in-flight requests. */
export function close(server: ServerType): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
