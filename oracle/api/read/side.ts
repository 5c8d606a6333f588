import type { MiddlewareHandler } from 'hono';
import type { DidHash } from '../../../schemas/ids.js';
import type { RegistryMembersPort, RegistryPort } from '../../../core/chain/registry.js';
import type { RedemptionChainsPort } from '../../../core/chain/redemption-types.js';
import type { DestinationsPort } from '../../../core/chain/destinations.js';
import type { OracleMetrics } from '../../metrics.js';
import { ConcurrencyBudget } from './budget.js';
import { ReadCache } from './cache.js';
import { FrozenBodies } from './frozen.js';
import { readLimiter, type ReadLimitConfig } from './limiter.js';

export interface ReadConfig extends ReadLimitConfig {
  /** How long a read answer built from chain state or a serialised page is reused (ms): the reads' staleness bound. */
  cacheMs: number;
  /** Most chain calls the read routes hold in flight together (the write path's calls do not count). */
  chainConcurrency: number;
}

/** Keys kept per cache: enough for every DID and feed page in use, bounded against readers inventing keys. */
const MAX_ENTRIES = 1_024;

/** Bytes of never-changing answers kept (full feed pages of 500 run to ~1 MB): the few pages readers poll most. */
const FROZEN_BYTES = 64 * 1024 * 1024;

/**
 * What the public read routes share: the per-client and global limits, one concurrency budget for their chain
 * calls, and caches that make a read's cost independent of how many clients ask the same thing. The write path
 * (services, watchers, registry sync) keeps the undecorated ports and never waits on any of this.
 */
export class ReadSide {
  readonly budget: ConcurrencyBudget;
  readonly limit: MiddlewareHandler | undefined;

  constructor(
    private readonly cfg: Pick<ReadConfig, 'cacheMs' | 'chainConcurrency'> & Partial<ReadLimitConfig>,
    private readonly metrics: Pick<OracleMetrics, 'readCache' | 'readLimited'>,
    private readonly now: () => number = Date.now,
  ) {
    this.budget = new ConcurrencyBudget(cfg.chainConcurrency);
    this.limit =
      cfg.perClient && cfg.global
        ? readLimiter(
            { perClient: cfg.perClient, global: cfg.global, trustedClients: cfg.trustedClients ?? [], clientHeader: cfg.clientHeader, tokenBytes: cfg.tokenBytes },
            (scope) => metrics.readLimited.inc({ scope }),
            now,
          )
        : undefined;
  }

  /** No limits and nothing kept beyond one load (concurrent readers still share it): tests of the routes alone. */
  static unlimited(metrics: Pick<OracleMetrics, 'readCache' | 'readLimited'>): ReadSide {
    return new ReadSide({ cacheMs: 0, chainConcurrency: 64 }, metrics);
  }

  get cacheMs(): number {
    return this.cfg.cacheMs;
  }

  cache<V>(name: string): ReadCache<V> {
    return new ReadCache<V>({ ttlMs: this.cfg.cacheMs, maxEntries: MAX_ENTRIES, now: this.now, onOutcome: (outcome) => this.metrics.readCache.inc({ cache: name, outcome }) });
  }

  /** Answers that never change once built (full feed pages), kept without a time bound. */
  frozen(name: string): FrozenBodies {
    return new FrozenBodies(FROZEN_BYTES, (outcome) => this.metrics.readCache.inc({ cache: name, outcome }));
  }

  /** A chain read under the read budget. */
  chain<T>(fn: () => Promise<T>): Promise<T> {
    return this.budget.run(fn);
  }

  /** The hub registry as the read routes see it: cached per DID, under the budget. */
  registry(r: Pick<RegistryPort, 'getDid'>): Pick<RegistryPort, 'getDid'> {
    const dids = this.cache<Awaited<ReturnType<RegistryPort['getDid']>>>('did_record');
    return { getDid: (hash) => dids.get(hash, () => this.chain(() => r.getDid(hash))) };
  }

  members(m: RegistryMembersPort): RegistryMembersPort {
    const custodians = this.cache<Awaited<ReturnType<RegistryMembersPort['custodiansOf']>>>('did_custodians');
    const publishers = this.cache<Awaited<ReturnType<RegistryMembersPort['navPublishersOf']>>>('did_nav_publishers');
    return {
      custodiansOf: (hash) => custodians.get(hash, () => this.chain(() => m.custodiansOf(hash))),
      navPublishersOf: (hash) => publishers.get(hash, () => this.chain(() => m.navPublishersOf(hash))),
    };
  }

  /** The two module reads of the redemption view, under the budget (the view's answer as a whole is cached). */
  redemptionChains(c: Pick<RedemptionChainsPort, 'stageOf' | 'redeemableNow'>): Pick<RedemptionChainsPort, 'stageOf' | 'redeemableNow'> {
    return {
      stageOf: (chainId: number, did: DidHash) => this.chain(() => c.stageOf(chainId, did)),
      redeemableNow: (chainId: number, did: DidHash, requestId: bigint, blockNumber?: bigint) => this.chain(() => c.redeemableNow(chainId, did, requestId, blockNumber)),
    };
  }

  /** Delivery state reads of the attestation status route, under the budget. */
  destinations(d: Pick<DestinationsPort, 'isApplied' | 'settlementState' | 'transportQuorumStatus'>): Pick<DestinationsPort, 'isApplied' | 'settlementState' | 'transportQuorumStatus'> {
    return {
      isApplied: (chainId, did, nonce, blockNumber) => this.chain(() => d.isApplied(chainId, did, nonce, blockNumber)),
      settlementState: (chainId, did, nonce) => this.chain(() => d.settlementState(chainId, did, nonce)),
      transportQuorumStatus: (chainId, did, id) => this.chain(() => d.transportQuorumStatus(chainId, did, id)),
    };
  }
}
