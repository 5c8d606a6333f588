import type { Logger } from 'pino';
import type { DidHash } from '../../schemas/ids.js';
import { loopBackoffMs } from '../../common/periodic.js';
import type { OracleMetrics } from '../metrics.js';

/** What a loop learns about a DID while working on it, so a failure is logged with the DID's name once known. */
export interface DidContext {
  did?: string;
}

/**
 * Runs a registry loop's work DID by DID so that one DID never stops the others: a DID whose work throws (an RPC
 * error reading it, a config the committee will not sign, a name the wire layout cannot carry) is logged with its
 * DID, counted, and skipped until its backoff (500 ms, 1 s ... 30 s) has passed; every other DID goes on in the same
 * pass. A DID that succeeds again is forgotten.
 */
export class DidIsolation {
  private readonly failing = new Map<DidHash, { failures: number; retryAt: number }>();

  constructor(
    private readonly loop: string,
    private readonly d: { metrics: OracleMetrics; logger: Logger; clockMs?: () => number; backoffMs?: (failures: number) => number },
  ) {}

  private now(): number {
    return (this.d.clockMs ?? Date.now)();
  }

  /** DIDs in backoff now (status and tests). */
  failingDids(): DidHash[] {
    return [...this.failing.keys()];
  }

  async each<T>(hashes: readonly DidHash[], work: (hash: DidHash, ctx: DidContext) => Promise<readonly T[]>): Promise<T[]> {
    const out: T[] = [];
    for (const hash of hashes) {
      const f = this.failing.get(hash);
      if (f && f.retryAt > this.now()) continue;
      const ctx: DidContext = {};
      try {
        out.push(...(await work(hash, ctx)));
        if (f) {
          this.failing.delete(hash);
          this.d.logger.info({ loop: this.loop, did: ctx.did, didHash: hash, failures: f.failures }, 'registry sync of a DID recovered');
        }
      } catch (err) {
        const failures = (f?.failures ?? 0) + 1;
        const retryInMs = (this.d.backoffMs ?? loopBackoffMs)(failures);
        this.failing.set(hash, { failures, retryAt: this.now() + retryInMs });
        this.d.metrics.registrySyncFailures.inc({ loop: this.loop });
        this.d.logger.warn({ err, loop: this.loop, did: ctx.did, didHash: hash, failures, retryInMs }, 'registry sync failed for one DID; the other DIDs go on');
      }
    }
    this.d.metrics.registrySyncFailingDids.set({ loop: this.loop }, this.failing.size);
    return out;
  }
}
