import type { Job } from './store/outbox.js';
import type { WorkerDeps } from './worker-deps.js';

/** How often at most the parked gauge is read from the store: it is a metric, the worker decides nothing from it. */
export const PARKED_GAUGE_MS = 1_000;

/**
 * A chain worker's queue gauges, set on each pass of its loop from the unfinished jobs the pass read: the depth is
 * their number (counted in the store only when the pass hit its scan limit), waiting those that failed before; the
 * parked count is read at most once per PARKED_GAUGE_MS.
 */
export class QueueGauges {
  private parkedReadAt = -Infinity;

  constructor(private readonly d: Pick<WorkerDeps, 'chainId' | 'outbox' | 'metrics' | 'now'>) {}

  update(unfinished: readonly Job[], scanLimit: number): void {
    const chain = String(this.d.chainId);
    this.d.metrics.queueDepth.set({ chain }, unfinished.length < scanLimit ? unfinished.length : this.d.outbox.depth(this.d.chainId));
    this.d.metrics.waiting.set({ chain }, unfinished.filter((j) => j.attempts > 0).length);
    const now = this.d.now();
    // A clock stepped back reads again.
    if (now >= this.parkedReadAt && now - this.parkedReadAt < PARKED_GAUGE_MS) return;
    this.parkedReadAt = now;
    this.d.metrics.parked.set({ chain }, this.d.outbox.parkedCount(this.d.chainId));
  }
}
