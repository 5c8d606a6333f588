/**
 * In-memory redemptions modules for unit tests of the oracle and signer flows (the real reader runs against anvil
 * in redemptions.anvil.test.ts). Tests change the world between calls. Not used by production code.
 */
import type { DidHash } from '../../schemas/ids.js';
import type { RedeemCancelledLog, RedeemRequestedLog, RedemptionChainsPort, RedemptionPolicy, RedemptionPolicyPort, RequestState, StageChangedLog, StageState } from './redemption-types.js';

export interface RedemptionWorld {
  /** Newest block past confirmations, per chain. */
  heads: Map<number, bigint>;
  /** Block timestamps; a block not listed has `defaultTime`. */
  times: Map<string, bigint>;
  defaultTime: bigint;
  requested: Map<number, RedeemRequestedLog[]>;
  cancelled: Map<number, RedeemCancelledLog[]>;
  stageLogs: Map<number, StageChangedLog[]>;
  /** `chainId:requestId` -> request state and redeemableNow. */
  requests: Map<string, RequestState>;
  allowances: Map<string, bigint>;
  stages: Map<number, StageState>;
  /** `chainId:block` -> total supply; a block not listed has the chain's `supplies` value. */
  suppliesAt: Map<string, bigint>;
  supplies: Map<number, bigint>;
  policy: RedemptionPolicy | undefined;
  down: boolean;
}

export const newRedemptionWorld = (defaultTime: bigint): RedemptionWorld => ({
  heads: new Map(),
  times: new Map(),
  defaultTime,
  requested: new Map(),
  cancelled: new Map(),
  stageLogs: new Map(),
  requests: new Map(),
  allowances: new Map(),
  stages: new Map(),
  suppliesAt: new Map(),
  supplies: new Map(),
  policy: undefined,
  down: false,
});

const inRange = (from: bigint, to: bigint) => (l: { blockNumber: bigint }) => l.blockNumber >= from && l.blockNumber <= to;

export function fakeRedemptionChains(w: RedemptionWorld): RedemptionChainsPort & RedemptionPolicyPort {
  const up = () => {
    if (w.down) throw new Error('rpc down');
  };
  return {
    safeHead: async (c) => (up(), w.heads.get(c) ?? 0n),
    blockTimestamp: async (c, b) => (up(), w.times.get(`${c}:${b}`) ?? w.defaultTime),
    requestLogs: async (c, from, to) => (
      up(), { requested: (w.requested.get(c) ?? []).filter(inRange(from, to)), cancelled: (w.cancelled.get(c) ?? []).filter(inRange(from, to)) }
    ),
    requestLogAt: async (c, did, id, b) => (up(), (w.requested.get(c) ?? []).find((l) => l.did === did && l.requestId === id && l.blockNumber === b)),
    stageLogs: async (c, from, to, did?: DidHash) => (up(), (w.stageLogs.get(c) ?? []).filter(inRange(from, to)).filter((l) => did === undefined || l.did === did)),
    requestOf: async (c, _d, id) => (up(), w.requests.get(`${c}:${id}`)),
    redeemableNow: async (c, _d, id) => (up(), w.allowances.get(`${c}:${id}`) ?? 0n),
    stageOf: async (c) => (up(), w.stages.get(c) ?? { stage: 'A', stageSeq: 0n, since: 0n, reason: 'none', dayRequested: 0n, poolSupply: 0n }),
    totalSupplyAt: async (c, _d, b) => (up(), w.suppliesAt.get(`${c}:${b}`) ?? w.supplies.get(c) ?? 0n),
    redemptionPolicyOf: async () => (up(), w.policy),
  };
}
