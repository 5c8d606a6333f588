import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface SignerMetrics {
  registry: Registry;
  /** One per POST /v1/sign: signed, repeat, or the refusal code (equivocation, not_in_signer_set, ...). */
  signRequests: Counter<'outcome'>;
  requestDuration: Histogram<'route' | 'status'>;
  /** Items per POST /v1/sign-batch. */
  signBatchSize: Histogram;
  /** Batch roots signed (one per DID and destination chain of a sign batch with two or more validated messages). */
  batchRootsSigned: Counter;
}

export function createSignerMetrics(): SignerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    signRequests: new Counter({ name: 'signer_sign_requests_total', help: 'Sign requests, by outcome or refusal code', labelNames: ['outcome'], registers: [registry] }),
    batchRootsSigned: new Counter({ name: 'signer_batch_roots_signed_total', help: 'Batch roots signed (AttestationBatch)', registers: [registry] }),
    signBatchSize: new Histogram({ name: 'signer_sign_batch_size', help: 'Items per sign batch', buckets: [1, 2, 4, 8, 16, 32, 64], registers: [registry] }),
    requestDuration: new Histogram({
      name: 'signer_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
