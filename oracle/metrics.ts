import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface OracleMetrics {
  registry: Registry;
  attestations: Counter<'kind'>;
  refusals: Counter<'code'>;
  requestDuration: Histogram<'route' | 'status'>;
}

export function createMetrics(): OracleMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    attestations: new Counter({ name: 'oracle_attestations_signed_total', help: 'Attestations signed and stored', labelNames: ['kind'], registers: [registry] }),
    refusals: new Counter({ name: 'oracle_refusals_total', help: 'Requests refused, by error code', labelNames: ['code'], registers: [registry] }),
    requestDuration: new Histogram({
      name: 'oracle_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
