/**
 * Reads that share one call while it is in flight: a second caller with the same key, arriving before the first
 * call settled, gets the first call's answer (or its error) instead of asking the chain again; nothing is kept once
 * it settles, so no answer is older than one round trip started before its caller asked. For intake reads that may
 * start before the request (the DID's record, a custodian's role, the first holdings read): the same as the request
 * arriving that much earlier. Never for a read that must begin after something else (a re-read after nonce reads).
 */
export class InFlight {
  private readonly calls = new Map<string, Promise<unknown>>();

  /** `count` hears of each call: asked of the chain, or shared with one in flight (a metric). */
  constructor(private readonly count?: (outcome: 'asked' | 'shared') => void) {}

  run<T>(key: string, read: () => Promise<T>): Promise<T> {
    const running = this.calls.get(key);
    if (running) {
      this.count?.('shared');
      return running as Promise<T>;
    }
    this.count?.('asked');
    const call = read().finally(() => this.calls.delete(key));
    this.calls.set(key, call);
    return call;
  }
}
