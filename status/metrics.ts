import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface StatusMetrics {
  registry: Registry;
  /** Reads that failed, by source (chain name, relayer, oracle): the page shows them as errors on their rows. */
  sourceFailures: Counter<'source'>;
  /** Whether each source answered at the last refresh (1) or not (0). */
  sourceUp: Gauge<'source'>;
  lastRefresh: Gauge;
}

export function createStatusMetrics(): StatusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    sourceFailures: new Counter({ name: 'status_source_failures_total', help: 'Reads of a chain, the relayer or the oracle that failed', labelNames: ['source'], registers: [registry] }),
    sourceUp: new Gauge({ name: 'status_source_up', help: 'Whether the source answered at the last refresh', labelNames: ['source'], registers: [registry] }),
    lastRefresh: new Gauge({ name: 'status_last_refresh_timestamp_seconds', help: 'When the view was last rebuilt', registers: [registry] }),
  };
}
