import type { Logger } from 'pino';
import type { Failure } from './errors.js';
import { decideFailure, type FailedJob } from './retry.js';
import type { Job } from './store/outbox.js';
import { isMoveIn, type DeliveryHost } from './worker-deps.js';

/** Acts on `decideFailure` (retry.ts) for a chain's worker: the outbox write, the metric and the log line of each decision. */
export function actOnFailure(w: DeliveryHost, job: Job, c: Failure, log: Logger, err?: unknown): void {
  const parking: FailedJob['parking'] = job.kind === 'redemptionFulfilment' ? 'fulfilment' : isMoveIn(job) || job.kind === 'moveReturn' ? 'move-leg' : 'none';
  const d = decideFailure(c, { attempts: job.attempts, parking }, w.d, w.d.random());
  if (d.action === 'block-chain') return w.blockChain(job, c, d.delayMs, log, err);
  const now = w.d.now();
  const chain = String(job.chainId);
  const state = job.state === 'submitted' && job.txHash ? 'submitted' : 'pending';
  w.d.metrics.failures.inc({ chain, reason: c.kind === 'ccip-execution-failed' ? 'ccip execution failure' : (c.reason.split(':')[0] ?? 'unknown') });
  switch (d.action) {
    case 'check-chain':
      // Reading the chain after an "already applied" revert failed the same way: the next pass re-checks the chain.
      w.d.outbox.markRetry(job.id, job.attempts + 1, c.reason, now + w.d.policy.baseMs, now, state);
      log.warn({ err, reason: c.reason }, 'delivery failed, will retry');
      return;
    case 'park':
      w.d.outbox.markParked(job.id, d.attempts, d.reason, now + d.delayMs, now);
      if (d.alert) {
        w.d.metrics.ccipExecutionParked.inc({ chain });
        log.error({ err, reason: c.reason, executions: d.attempts }, 'CCIP execution keeps failing: delivery parked, needs an operator');
      } else log.warn({ err, reason: c.reason, retryInMs: d.delayMs }, 'delivery parked: the chain refuses it for now; later attestations go on');
      return;
    case 'wait-did':
      w.d.outbox.markRetry(job.id, d.attempts, c.reason, now + d.delayMs, now, state);
      log.warn({ err, reason: c.reason, retryInMs: d.delayMs }, "delivery waits: the chain refuses this DID's message for now; other DIDs go on");
      return;
    case 'retry':
      // A CCIP execution again: the job stays `submitted` on its source send.
      w.d.outbox.markRetry(job.id, d.attempts, c.reason, now + d.delayMs, now, d.reexecute ? 'submitted' : state);
      log.warn({ err, reason: c.reason, retryInMs: d.delayMs }, d.reexecute ? 'CCIP execution failed; executing it again' : 'delivery failed, will retry');
      return;
    case 'dead':
      w.d.outbox.markDead(job.id, d.attempts, d.reason, now);
      log.error({ err, reason: d.reason }, 'delivery dead-lettered');
      return;
  }
}
