export type CacheOutcome = 'hit' | 'miss' | 'shared';

export interface ReadCacheOptions {
  /** How long a loaded value is served, counted from when its load began (ms); 0 keeps nothing beyond the load. */
  ttlMs: number;
  /** Most keys kept; the least recently loaded go first. */
  maxEntries: number;
  now?: () => number;
  onOutcome?: (outcome: CacheOutcome) => void;
}

/**
 * Values per key, read through: concurrent readers of one key await one load (single flight), and a loaded value is
 * served until `ttlMs` after its load began. A reader therefore never sees state older than `ttlMs`: a load that
 * began before a change is neither served nor joined once `ttlMs` has passed since it began. A failed load is
 * not kept; its waiters all get its error.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, { value: V; startedAt: number }>();
  private readonly inflight = new Map<string, { promise: Promise<V>; startedAt: number }>();
  private readonly now: () => number;

  constructor(private readonly o: ReadCacheOptions) {
    this.now = o.now ?? Date.now;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const kept = this.entries.get(key);
    if (kept && now - kept.startedAt < this.o.ttlMs) {
      this.o.onOutcome?.('hit');
      return Promise.resolve(kept.value);
    }
    const pending = this.inflight.get(key);
    // A load begun within the bound is as fresh as a new one would be; one begun earlier is not joined.
    if (pending && (now - pending.startedAt < this.o.ttlMs || this.o.ttlMs === 0)) {
      this.o.onOutcome?.('shared');
      return pending.promise;
    }
    this.o.onOutcome?.('miss');
    const startedAt = now;
    const promise = load().then(
      (value) => {
        if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
        if (this.o.ttlMs > 0) this.keep(key, value, startedAt);
        return value;
      },
      (err: unknown) => {
        if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
        throw err;
      },
    );
    this.inflight.set(key, { promise, startedAt });
    return promise;
  }

  private keep(key: string, value: V, startedAt: number): void {
    const prior = this.entries.get(key);
    // A slower, older load finishing late must not replace a newer value.
    if (prior && prior.startedAt > startedAt) return;
    this.entries.delete(key);
    this.entries.set(key, { value, startedAt });
    while (this.entries.size > this.o.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
