import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface RelayerMetrics {
  registry: Registry;
  queueDepth: Gauge<'chain'>;
  parked: Gauge<'chain'>;
  delivered: Counter<'chain' | 'transport' | 'kind'>;
  failures: Counter<'chain' | 'reason'>;
  latency: Histogram<'chain' | 'transport'>;
  inFlight: Counter<'chain' | 'transport'>;
  transportDisabled: Gauge<'transport'>;
  waiting: Gauge<'chain'>;
  chainBlocked: Gauge<'chain'>;
  chainCursed: Gauge<'chain'>;
  heldJobs: Gauge<'chain'>;
  nonceConflicts: Counter<'chain'>;
  ccipExecutionParked: Counter<'chain'>;
  txsInFlight: Gauge<'chain'>;
  batchSize: Histogram<'chain' | 'transport'>;
  batchCalls: Counter<'chain' | 'call'>;
  brakesQueued: Gauge<'chain' | 'did' | 'direction'>;
  drainCalls: Counter<'chain' | 'outcome'>;
}

export function createMetrics(): RelayerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    queueDepth: new Gauge({ name: 'relayer_queue_depth', help: 'Unfinished delivery jobs per chain', labelNames: ['chain'], registers: [registry] }),
    parked: new Gauge({ name: 'relayer_parked_jobs', help: 'Redemption fulfilments the chain refuses for now (stage C, instalment not due), waiting out of order', labelNames: ['chain'], registers: [registry] }),
    delivered: new Counter({ name: 'relayer_deliveries_total', help: 'Deliveries confirmed', labelNames: ['chain', 'transport', 'kind'], registers: [registry] }),
    failures: new Counter({ name: 'relayer_failures_total', help: 'Delivery attempts that failed, by reason', labelNames: ['chain', 'reason'], registers: [registry] }),
    inFlight: new Counter({
      name: 'relayer_in_flight_checks_total',
      help: "Looks at a delivery the transport's own network was still carrying (CCIP on live networks)",
      labelNames: ['chain', 'transport'],
      registers: [registry],
    }),
    transportDisabled: new Gauge({
      name: 'relayer_transport_disabled',
      help: 'Transports disabled by the operator (RELAYER_DISABLED_TRANSPORTS): 1 while disabled',
      labelNames: ['transport'],
      registers: [registry],
    }),
    waiting: new Gauge({
      name: 'relayer_waiting_jobs',
      help: "Unfinished deliveries that failed at least once (a DID the chain refuses for now waits alone)",
      labelNames: ['chain'],
      registers: [registry],
    }),
    chainBlocked: new Gauge({
      name: 'relayer_chain_blocked',
      help: 'Chain-wide condition holding every delivery to the chain (RPC down, gas wallet empty, fees above the cap): 1 while blocked',
      labelNames: ['chain'],
      registers: [registry],
    }),
    chainCursed: new Gauge({
      name: 'relayer_chain_cursed',
      help: "The chain's receiver is cursed by its guardians (RwaReceiverCurse): 1 while cursed, every delivery to it held",
      labelNames: ['chain'],
      registers: [registry],
    }),
    heldJobs: new Gauge({
      name: 'relayer_held_jobs',
      help: 'Unfinished deliveries held because their chain is cursed (0 when it is not): they go, in order, after the uncurse',
      labelNames: ['chain'],
      registers: [registry],
    }),
    nonceConflicts: new Counter({
      name: 'relayer_nonce_conflicts_total',
      help: "Deliveries dead-lettered because another message used their nonce on chain (alarm: the oracle's nonces diverged from the chain)",
      labelNames: ['chain'],
      registers: [registry],
    }),
    ccipExecutionParked: new Counter({
      name: 'relayer_ccip_execution_parked_total',
      help: 'CCIP messages parked after their execution kept ending FAILURE (alert: the receiver reverts inside the OffRamp)',
      labelNames: ['chain'],
      registers: [registry],
    }),
    txsInFlight: new Gauge({
      name: 'relayer_txs_in_flight',
      help: 'Delivery transactions sent to the chain whose outcome is awaited now (pipelined delivery)',
      labelNames: ['chain'],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'relayer_batch_size',
      help: 'Attestations per batched delivery transaction',
      labelNames: ['chain', 'transport'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    brakesQueued: new Gauge({
      name: 'relayer_brakes_queued',
      help: 'Settlements the brakes queued on a chain (kind 14), waiting for their bucket to refill, per DID and direction',
      labelNames: ['chain', 'did', 'direction'],
      registers: [registry],
    }),
    drainCalls: new Counter({
      name: 'relayer_drain_calls_total',
      help: 'drainQueued calls by the drain keeper: sent (confirmed) or failed',
      labelNames: ['chain', 'outcome'],
      registers: [registry],
    }),
    batchCalls: new Counter({
      name: 'relayer_batch_calls_total',
      help: 'Batched delivery transactions sent, by receiver call: receiveBatch with the root signatures, receiveBatch of a root the chain verified (no signatures), receiveMessages',
      labelNames: ['chain', 'call'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'relayer_delivery_latency_seconds',
      help: 'From job creation to confirmed delivery',
      labelNames: ['chain', 'transport'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}
