import { getAddress, isAddress, type Address } from 'viem';
import { parseDeployment, type Deployment } from '../schemas/deployment.js';
import { ReaderContext, type ChainInput, type ReaderChain } from './context.js';
import { consistencyReport, type ChainSnapshot, type ConsistencyReport } from './consistency.js';
import { readDisclosures, type DisclosuresView } from './disclosures.js';
import { ChainUnreachableError, InvalidDeploymentError, InvalidInputError } from './errors.js';
import { readHolding, readSupply, sumSupply, type ChainHolding, type SupplyReport } from './holdings.js';
import { readNav, type NavReading } from './nav.js';
import { readRedemptionStage, type RedemptionStageView } from './redemption.js';
import { readSnapshot } from './snapshot.js';

export interface RwaReaderOptions {
  /** One viem PublicClient per chain to read; each must be a chain of the deployment. */
  chains: readonly ChainInput[];
  /** The deployment description (data/deployment.json): parsed again here, so a plain JSON object will do. */
  deployment: Deployment;
  /**
   * The clock freshness is measured with (unix seconds). Default: the timestamp of the block the NAV was read at,
   * which is what RwaNavFeed.isStale() uses; a front-end that must not trust a halted chain's clock passes wall time.
   */
  now?: () => bigint;
}

/**
 * Typed reads of RWA DIDs on every chain of a deployment. A DID is named by its string or its hash. Every method
 * rejects (never throws synchronously) with the reader's errors (errors.ts): UnknownDidError, UnknownChainError,
 * InvalidInputError, ChainUnreachableError and ChainMismatchError (with the chain id), DidNotConfiguredError where a
 * per-chain read needs the DID on that chain, ReadFailedError. Amounts, NAVs, rounds and times are bigint.
 */
export interface RwaReader {
  readonly deployment: Deployment;
  /** The chain ids the reader has clients for, in the deployment's order. */
  readonly chainIds: readonly number[];
  /** The NAV on one chain with freshness and the do-not-use flag. */
  nav(did: string, chainId: number): Promise<NavReading>;
  /** The investor's units on every chain (0 and `configured: false` where the DID has not arrived). */
  holdings(did: string, investor: Address): Promise<ChainHolding[]>;
  /** Supply against the reserve cap on every chain, and the sums. */
  supply(did: string): Promise<SupplyReport>;
  redemptionStage(did: string, chainId: number): Promise<RedemptionStageView>;
  /** The latest anchored document of each kind on one chain. */
  disclosures(did: string, chainId: number): Promise<DisclosuresView>;
  /** "The same on every chain?": NAV round and answer, config, reserve, pause and stage compared across chains. */
  consistency(did: string): Promise<ConsistencyReport>;
}

export function createRwaReader(options: RwaReaderOptions): RwaReader {
  const parsed = parseDeployment(options.deployment);
  if (!parsed.ok) throw new InvalidDeploymentError(`${parsed.issue.field} ${parsed.issue.message}`);
  const deployment = parsed.value;
  const ctx = new ReaderContext(deployment, options.chains);
  const { now } = options;
  const everyChain = <T>(what: string, read: (chain: ReaderChain) => Promise<T>): Promise<T[]> =>
    Promise.all(ctx.chains().map((chain) => ctx.onChain(chain, what, () => read(chain))));

  return {
    deployment,
    chainIds: ctx.chains().map((c) => c.chainId),
    async nav(did, chainId) {
      const d = ctx.did(did);
      const chain = ctx.chain(chainId);
      return ctx.onChain(chain, 'NAV', () => readNav(ctx, chain, d, now));
    },
    async holdings(did, investor) {
      const d = ctx.did(did);
      if (!isAddress(investor, { strict: false })) throw new InvalidInputError('investor', `not an address: ${String(investor)}`);
      const account = getAddress(investor);
      return everyChain('holdings', (chain) => readHolding(ctx, chain, d, account));
    },
    async supply(did) {
      const d = ctx.did(did);
      return sumSupply(d.did, await everyChain('supply', (chain) => readSupply(ctx, chain, d)));
    },
    async redemptionStage(did, chainId) {
      const d = ctx.did(did);
      const chain = ctx.chain(chainId);
      return ctx.onChain(chain, 'redemption stage', () => readRedemptionStage(ctx, chain, d));
    },
    async disclosures(did, chainId) {
      const d = ctx.did(did);
      const chain = ctx.chain(chainId);
      return ctx.onChain(chain, 'disclosures', () => readDisclosures(ctx, chain, d));
    },
    async consistency(did) {
      const d = ctx.did(did);
      const settled = await Promise.allSettled(ctx.chains().map((chain) => ctx.onChain(chain, 'snapshot', () => readSnapshot(ctx, chain, d))));
      const snapshots: ChainSnapshot[] = [];
      const unreachable: ChainUnreachableError[] = [];
      for (const s of settled) {
        if (s.status === 'fulfilled') snapshots.push(s.value);
        // An unreachable chain is part of the answer ("not known to be the same"); any other failure is not.
        else if (s.reason instanceof ChainUnreachableError) unreachable.push(s.reason);
        else throw s.reason;
      }
      return consistencyReport(d.did, snapshots, unreachable);
    },
  };
}
