import type { Address } from 'viem';
import type { Logger } from 'pino';
import { didHash as hashDid, type DidHash, type DidString } from '../schemas/ids.js';
import type { KeyedMutex } from '../common/mutex.js';
import type { DidRecord, RegistryPort } from '../core/chain/registry.js';
import type { DestinationsPort } from '../core/chain/destinations.js';
import type { RedemptionChainsPort } from '../core/chain/redemption-types.js';
import type { CommitteePort } from '../core/committee-port.js';
import { OracleError } from '../core/errors.js';
import type { IssueDeps } from './issue/issue.js';
import type { AttestationStore } from './store/attestations.js';
import type { RedemptionStore } from './store/redemptions.js';
import type { OracleMetrics } from './metrics.js';

/** What the redemption services share: the hub registry, the chains' modules, the committee and both stores. */
export interface RedemptionDeps {
  registry: Pick<RegistryPort, 'getDid' | 'isCustodian'>;
  registryAddress: Address;
  hubChainId: bigint;
  destinations: Pick<DestinationsPort, 'get' | 'isApplied'>;
  chains: RedemptionChainsPort;
  committee: CommitteePort;
  store: AttestationStore;
  redemptions: RedemptionStore;
  metrics: OracleMetrics;
  logger: Logger;
  /** Shared with the other services: one lock per DID for every kind, so nonces never collide. */
  lock: KeyedMutex;
  now: () => bigint;
  maxFutureSkewSeconds: number;
}

export const issueDepsOf = (d: Pick<RedemptionDeps, 'committee' | 'store' | 'metrics' | 'logger' | 'destinations'>): IssueDeps => ({ committee: d.committee, store: d.store, metrics: d.metrics, logger: d.logger, chain: (id) => d.destinations.get(id) });

/** A DID posted in a body: its hash and hub record, or 404 naming `did`. */
export async function resolveDid(d: { registry: Pick<RedemptionDeps['registry'], 'getDid'> }, did: string): Promise<{ hash: DidHash; record: DidRecord }> {
  const hash = hashDid(did as DidString);
  const record = await d.registry.getDid(hash);
  if (!record) throw new OracleError(404, 'unknown_did', `${did} is not registered on the hub`, 'did');
  return { hash, record };
}

/** The DID's chains this deployment serves, in the registry's order. */
export const enabledChains = (d: Pick<RedemptionDeps, 'destinations'>, record: DidRecord): number[] =>
  record.chainIds.map(Number).filter((c) => d.destinations.get(c) !== undefined);

/** A chain read for a request: a chain that cannot be read refuses it (503); nothing is signed on half a view. */
export async function readChain<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new OracleError(503, 'chain_unavailable', `cannot read ${what}`, undefined, { cause: err });
  }
}
