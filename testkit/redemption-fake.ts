/**
 * In-memory redemptions modules for unit tests of the oracle and signer flows (the real reader runs against anvil
 * in redemptions.anvil.test.ts). Tests change the world between calls. Not used by production code.
 */
import type { DidHash } from '../schemas/ids.js';
import type { RedeemCancelledLog, RedeemRequestedLog, RedemptionChainsPort, RedemptionPolicy, RedemptionPolicyPort, RequestState, StageChangedLog, StageState } from '../core/chain/redemption-types.js';

/** A state read the fake answered: which, on which chain, pinned to which block (undefined: latest). */
export interface StateRead {
  read: 'requestOf' | 'redeemableNow' | 'isApplied';
  chainId: number;
  blockNumber: bigint | undefined;
}

export interface RedemptionWorld {
  /** Newest block past confirmations, per chain. */
  heads: Map<number, bigint>;
  /** Newest block, per chain; a chain not listed has its `heads` value. Unpinned state reads answer as of it. */
  latest: Map<number, bigint>;
  /** Block timestamps; a block not listed has `defaultTime`. */
  times: Map<string, bigint>;
  defaultTime: bigint;
  requested: Map<number, RedeemRequestedLog[]>;
  cancelled: Map<number, RedeemCancelledLog[]>;
  stageLogs: Map<number, StageChangedLog[]>;
  /** `chainId:requestId` -> request state and redeemableNow. */
  requests: Map<string, RequestState>;
  allowances: Map<string, bigint>;
  /** `chainId:requestId@block` -> the request and redeemableNow as of that block; a block not listed has the above. */
  requestsAt: Map<string, RequestState>;
  allowancesAt: Map<string, bigint>;
  /** `chainId:nonce` -> the block whose receiver call used the nonce (isApplied from that block on). */
  appliedAt: Map<string, bigint>;
  /** Every requestOf, redeemableNow and isApplied read, in call order. */
  stateReads: StateRead[];
  /** Called after each state read is answered: where a test mines a block in the middle of a check. */
  onStateRead: ((read: StateRead) => void) | undefined;
  stages: Map<number, StageState>;
  /** `chainId:block` -> total supply; a block not listed has the chain's `supplies` value. */
  suppliesAt: Map<string, bigint>;
  supplies: Map<number, bigint>;
  policy: RedemptionPolicy | undefined;
  down: boolean;
}

export const newRedemptionWorld = (defaultTime: bigint): RedemptionWorld => ({
  heads: new Map(),
  latest: new Map(),
  times: new Map(),
  defaultTime,
  requested: new Map(),
  cancelled: new Map(),
  stageLogs: new Map(),
  requests: new Map(),
  allowances: new Map(),
  requestsAt: new Map(),
  allowancesAt: new Map(),
  appliedAt: new Map(),
  stateReads: [],
  onStateRead: undefined,
  stages: new Map(),
  suppliesAt: new Map(),
  supplies: new Map(),
  policy: undefined,
  down: false,
});

const inRange = (from: bigint, to: bigint) => (l: { blockNumber: bigint }) => l.blockNumber >= from && l.blockNumber <= to;
const latestOf = (w: RedemptionWorld, chainId: number): bigint => w.latest.get(chainId) ?? w.heads.get(chainId) ?? 0n;

/** Records a state read and returns the block it answers as of (taken before `onStateRead` may mine another). */
function readAt(w: RedemptionWorld, read: StateRead['read'], chainId: number, blockNumber: bigint | undefined): bigint {
  const at = blockNumber ?? latestOf(w, chainId);
  const r = { read, chainId, blockNumber };
  w.stateReads.push(r);
  w.onStateRead?.(r);
  return at;
}

/**
 * A receiver's isNonceUsed by `appliedAt` (the test doubles of the destination chains answer with it, besides
 * their own sets of used nonces): recorded in `stateReads` like the module's reads.
 */
export function appliedIn(w: RedemptionWorld, chainId: number, nonce: bigint, blockNumber?: bigint): boolean {
  const at = readAt(w, 'isApplied', chainId, blockNumber);
  const used = w.appliedAt.get(`${chainId}:${nonce}`);
  return used !== undefined && used <= at;
}

export function fakeRedemptionChains(w: RedemptionWorld): RedemptionChainsPort & RedemptionPolicyPort {
  const up = () => {
    if (w.down) throw new Error('rpc down');
  };
  return {
    safeHead: async (c) => (up(), w.heads.get(c) ?? 0n),
    latestBlock: async (c) => (up(), latestOf(w, c)),
    blockTimestamp: async (c, b) => (up(), w.times.get(`${c}:${b}`) ?? w.defaultTime),
    requestLogs: async (c, from, to) => (
      up(), { requested: (w.requested.get(c) ?? []).filter(inRange(from, to)), cancelled: (w.cancelled.get(c) ?? []).filter(inRange(from, to)) }
    ),
    requestLogAt: async (c, did, id, b) => (up(), (w.requested.get(c) ?? []).find((l) => l.did === did && l.requestId === id && l.blockNumber === b)),
    stageLogs: async (c, from, to, did?: DidHash) => (up(), (w.stageLogs.get(c) ?? []).filter(inRange(from, to)).filter((l) => did === undefined || l.did === did)),
    requestOf: async (c, _d, id, b) => {
      up();
      const at = readAt(w, 'requestOf', c, b);
      return w.requestsAt.get(`${c}:${id}@${at}`) ?? w.requests.get(`${c}:${id}`);
    },
    redeemableNow: async (c, _d, id, b) => {
      up();
      const at = readAt(w, 'redeemableNow', c, b);
      return w.allowancesAt.get(`${c}:${id}@${at}`) ?? w.allowances.get(`${c}:${id}`) ?? 0n;
    },
    stageOf: async (c) => (up(), w.stages.get(c) ?? { stage: 'A', stageSeq: 0n, since: 0n, reason: 'none', dayRequested: 0n, poolSupply: 0n }),
    totalSupplyAt: async (c, _d, b) => (up(), w.suppliesAt.get(`${c}:${b}`) ?? w.supplies.get(c) ?? 0n),
    redemptionPolicyOf: async () => (up(), w.policy),
  };
}
