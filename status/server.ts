/**
 * Runs the status page: a background loop rebuilds the view every `refreshMs` (common/periodic.ts), the HTTP server
 * answers from the latest one. Resolves once the first view is built and the server listens.
 */
import type { Logger } from 'pino';
import type { Deployment } from '../schemas/deployment.js';
import { close, listen } from '../common/serve.js';
import { loopBackoffMs, runPeriodic } from '../common/periodic.js';
import { createStatusPageApp } from './app.js';
import { Collector } from './collect.js';
import { createStatusMetrics } from './metrics.js';
import { buildView, type StatusView } from './view.js';

export interface StatusServerOptions {
  deployment: Deployment;
  relayerUrl: string;
  oracleUrl?: string;
  host: string;
  /** 0: a free port. */
  port: number;
  refreshMs: number;
  timeoutMs: number;
  logger: Logger;
}

export interface StatusServer {
  url: string;
  /** The latest view (what GET /v1/status answers). */
  latest(): StatusView;
  stop(): Promise<void>;
}

export async function startStatusServer(o: StatusServerOptions): Promise<StatusServer> {
  const metrics = createStatusMetrics();
  const log = o.logger.child({ module: 'status' });
  const collector = new Collector({ deployment: o.deployment, relayerUrl: o.relayerUrl, ...(o.oracleUrl ? { oracleUrl: o.oracleUrl } : {}), timeoutMs: o.timeoutMs, logger: o.logger, metrics });
  // Each source's failure is already part of the view; a pass fails only on a bug, and is logged by the loop.
  const refresh = async () => {
    const started = performance.now();
    const view = buildView(await collector.collect());
    metrics.lastRefresh.set(Date.parse(view.generatedAt) / 1000);
    log.debug({ duration_ms: Math.round(performance.now() - started) }, 'view rebuilt');
    return view;
  };
  let view = await refresh();
  const loop = runPeriodic(
    async () => {
      view = await refresh();
    },
    { everyMs: o.refreshMs, backoffMs: loopBackoffMs, onError: (err, retryInMs) => log.error({ err, retryInMs }, 'status refresh failed') },
  );
  const app = createStatusPageApp(() => view, metrics, o.logger);
  let server;
  try {
    server = await listen(app, o.host, o.port);
  } catch (err) {
    await loop.stop();
    throw err;
  }
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${server.port}`;
  log.info({ url, relayer: o.relayerUrl, chains: o.deployment.chains.length, dids: o.deployment.dids.length }, 'status page listening');
  return {
    url,
    latest: () => view,
    stop: async () => {
      await loop.stop();
      await close(server.server);
    },
  };
}
