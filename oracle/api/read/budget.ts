/**
 * A concurrency budget: at most `limit` calls of `run` in flight, the rest wait in arrival order. The read routes'
 * chain calls go through one, so however many readers come, they hold at most `limit` RPC calls at a time and the
 * write path's own calls (which never pass through it) keep the rest of the RPC quota.
 */
export class ConcurrencyBudget {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit: expected a positive integer');
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` only drops when nobody waits.
      if (next) next();
      else this.active -= 1;
    }
  }
}
