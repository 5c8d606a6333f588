import type { TransportName } from '../schemas/deployment.js';
import type { Transport } from './transports/transport.js';
import { SETTLEMENT_KIND, SETTLEMENT_LENGTH } from '../schemas/message.js';
import { GOVERNANCE_DID_HASH, type Job } from './store/outbox.js';

/**
 * Which of a chain's unfinished jobs may start now, with many transactions in flight (pure, table-tested).
 *
 * Order is per DID, as `Outbox.head` keeps it: a DID's job waits for its earlier unfinished jobs, except that an
 * allow-list, pause, reserve or move void (FIXES) waits only for the earlier admin jobs, and a governance job (DID 0)
 * is a barrier for every DID. One thing is new: a settlement may go while its DID's earlier jobs are still in flight,
 * when those were sent from the relayer's account on this chain (`accountOrdered` transports) and it is too: the
 * account's nonces then put it after them in the chain's order, and settlements of one DID may share a block. A
 * settlement may also follow its DID's jobs picked in the same pass (the worker sends them in pick order). A
 * settlement misplaced by a failed earlier job (its config or reserve reverted) reverts for its DID and waits
 * (`wait-did`) until that job lands. NAV rounds and every state-setting kind still wait until the DID's earlier jobs
 * are finished, so a reverted round can never be overtaken by the next. On every transport, a subscription may pass
 * its DID's earlier subscriptions in flight (`freeMint`: mints commute), so over CCIP or Wormhole one DID's mints
 * travel in many messages at once instead of one message per round trip of the bridge.
 * Under a transport quorum an attestation has a job per transport: one of them at a time is in work.
 */
export const FIXES: readonly Job['kind'][] = ['allowlist', 'pause', 'reserve', 'moveVoid'];

export interface ScheduleView {
  now: number;
  /** Jobs a task of the worker is working on now. */
  busy: ReadonlySet<number>;
  disabled: ReadonlySet<TransportName>;
  /** Transports whose delivery is one transaction from the relayer's account on the destination chain. */
  accountOrdered: (t: TransportName) => boolean;
  /**
   * Transports that deliver batches though not from the relayer's account (CCIP, Wormhole): a DID's settlements
   * may go with its earlier jobs when all of them are fresh and go in the same batch (one message keeps their order).
   */
  batchTogether?: (t: TransportName) => boolean;
  /** Items per batch (with `batchTogether`: a DID's run in one pass stays within one batch). */
  maxBatch?: number;
  /** How many jobs to return at most. */
  limit: number;
}

/** A job whose transaction was sent from the relayer's account on this chain, and that a later settlement may pass. */
export const passable = (j: Job, v: Pick<ScheduleView, 'accountOrdered'>): boolean =>
  j.state === 'submitted' && j.txNonce !== null && j.quorumTransports === null && v.accountOrdered(j.transport);

const isSettlement = (j: Job): boolean => j.kind === 'settlement';

/** Offset of the settlement kind in a settlement message's hex (1 byte after the 42-byte header). */
const SETTLEMENT_KIND_HEX = 2 + 42 * 2;
const SETTLEMENT_MESSAGE_HEX = 2 + SETTLEMENT_LENGTH * 2;
const SUBSCRIPTION_HEX = SETTLEMENT_KIND.subscription.toString(16).padStart(2, '0');

/**
 * A subscription (a mint) travelling alone (no transport quorum) and not waiting on a refusal: it commutes with every
 * other such mint of its DID (the holdings and the supply reach the same sums in any order, and the reserve cap holds
 * for the total in every order when it holds for the total). Redemptions, moves, NAV rounds and state changes do not.
 */
export const freeMint = (j: Job): boolean =>
  isSettlement(j) &&
  j.quorumTransports === null &&
  !(j.state === 'pending' && j.attempts > 0) &&
  j.message.length === SETTLEMENT_MESSAGE_HEX &&
  j.message.slice(SETTLEMENT_KIND_HEX, SETTLEMENT_KIND_HEX + 2) === SUBSCRIPTION_HEX;

/** The jobs of `unfinished` (one chain's pending and submitted jobs, by seq then id) that may start now. */
export function pickReady(unfinished: readonly Job[], v: ScheduleView): Job[] {
  const ready: Job[] = [];
  const barrier = unfinished.find((j) => j.didHash === GOVERNANCE_DID_HASH)?.seq;
  /**
   * Per DID: its earlier unfinished jobs, those of them not passable, and its earlier admin (not settlement or NAV)
   * jobs; the jobs of the seq being looked at (one attestation's jobs per transport) count only for later seqs.
   */
  type Counts = { all: number; blocking: number; admin: number; run: number; notMint: number };
  /**
   * `run`: the DID's earlier jobs picked in this pass, fresh, on a `batchTogether` transport (`runOn`): while they
   * are all of its earlier jobs, a settlement on that transport joins them in their batch.
   */
  const dids = new Map<string, Counts & { seq: number; runOn: TransportName | undefined; next: Counts }>();
  const together = (j: Job): boolean => j.quorumTransports === null && j.state === 'pending' && v.batchTogether?.(j.transport) === true;
  const maxRun = v.maxBatch ?? 1;
  const attestationsInWork = new Set(unfinished.filter((j) => j.quorumTransports !== null && v.busy.has(j.id)).map((j) => j.attestationId));
  for (const j of unfinished) {
    if (ready.length >= v.limit) break;
    if (barrier !== undefined && j.seq > barrier) break;
    const d = dids.get(j.didHash) ?? { all: 0, blocking: 0, admin: 0, run: 0, notMint: 0, seq: j.seq, runOn: undefined, next: { all: 0, blocking: 0, admin: 0, run: 0, notMint: 0 } };
    dids.set(j.didHash, d);
    if (d.seq !== j.seq) {
      d.all += d.next.all;
      d.blocking += d.next.blocking;
      d.admin += d.next.admin;
      d.run += d.next.run;
      d.notMint += d.next.notMint;
      d.next = { all: 0, blocking: 0, admin: 0, run: 0, notMint: 0 };
      d.seq = j.seq;
    }
    const joinsRun = isSettlement(j) && together(j) && d.all > 0 && d.run === d.all && d.runOn === j.transport && d.run < maxRun;
    const free = FIXES.includes(j.kind)
      ? d.admin === 0
      : d.all === 0 ||
        joinsRun ||
        (isSettlement(j) && j.quorumTransports === null && v.accountOrdered(j.transport) && d.blocking === 0) ||
        // On any transport, a mint may pass its DID's earlier mints in flight (one message each need not wait for the other).
        (freeMint(j) && d.notMint === 0);
    const picked = free && !v.busy.has(j.id) && !v.disabled.has(j.transport) && j.nextAttemptAt <= v.now && !(j.quorumTransports !== null && attestationsInWork.has(j.attestationId));
    if (picked) {
      ready.push(j);
      if (j.quorumTransports !== null) attestationsInWork.add(j.attestationId);
      if (together(j) && (d.all === 0 || joinsRun)) {
        d.next.run += 1;
        d.runOn = j.transport;
      }
    }
    // A job picked now is sent before the later ones picked now (the worker sends in pick order): passable too.
    d.next.all += 1;
    if (!passable(j, v) && !(picked && j.quorumTransports === null && v.accountOrdered(j.transport))) d.next.blocking += 1;
    if (j.kind !== 'settlement' && j.kind !== 'nav') d.next.admin += 1;
    if (!freeMint(j)) d.next.notMint += 1;
  }
  return ready;
}

/** Splits jobs into batches of at most `maxItems`, keeping their order (per DID order is the order of the items). */
export function chunk<T>(items: readonly T[], maxItems: number): T[][] {
  const size = Math.max(1, maxItems);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * How many items of a batch fit a block: the estimate scaled to `usableGas` (the block gas limit less a margin),
 * at least one. A batch that fits is left whole.
 */
export function itemsThatFit(items: number, estimate: bigint, usableGas: bigint): number {
  if (estimate <= usableGas || items <= 1) return items;
  return Math.max(1, Math.min(items - 1, Number((BigInt(items) * usableGas) / estimate)));
}

/**
 * Whether a job may travel in a Merkle-root batch (`receiveBatch`): it carries a root, its DID has no transport quorum
 * on the chain (the receiver refuses a gated DID), and it is a settlement or a NAV round (the only kinds the receiver
 * takes in a batch).
 */
export const rootBatched = (j: Job): boolean => j.batchRoot !== null && j.quorumTransports === null && (j.kind === 'settlement' || j.kind === 'nav');

/**
 * Ready jobs as the tasks take them: a transport with batched delivery takes its fresh jobs in batches of
 * `maxBatch`, and a batch submitted before (a restart, a transaction not mined within the wait) is followed whole;
 * every other job alone. On a transport with `rootBatches`, the jobs of one Merkle root form their own batch (one
 * `receiveBatch`), apart from the jobs without a root (one `receiveMessages`).
 * The tasks send the groups in the order returned, so a DID's jobs keep their pick order across groups: a job joins
 * its key's open group only when that group comes after every group its DID already has a job in; else it opens a new
 * one (two roots of a DID with a job without root between them: three groups in that order).
 */
export function groupsOf(ready: readonly Job[], maxBatch: number, transportOf: (j: Job) => Transport | undefined): Job[][] {
  // Not account-ordered, a DID's jobs keep their order only inside one message: batched per DID (pickReady keeps a
  // DID's run within maxBatch). Account-ordered, any batches of a transport keep the order the nonces give them.
  const keyOf = (j: Job, t: Transport): string => {
    if (t.rootBatches && rootBatched(j)) return `${j.transport}:${j.didHash}:${j.batchRoot}`;
    return t.accountOrdered ? j.transport : `${j.transport}:${j.didHash}`;
  };
  const followed = new Map<string, Job[]>();
  const fresh: Job[][] = [];
  /** Per key, the index in `fresh` of its open group; per DID, the index of the last group it has a job in. */
  const open = new Map<string, number>();
  const lastOf = new Map<string, number>();
  const alone: Job[][] = [];
  for (const j of ready) {
    const t = transportOf(j);
    if (!t?.submitBatch || !t.simulateBatch || j.quorumTransports !== null || maxBatch <= 1) {
      alone.push([j]);
      continue;
    }
    if (j.state === 'submitted' && j.txHash) {
      followed.set(j.txHash, [...(followed.get(j.txHash) ?? []), j]);
      continue;
    }
    const key = keyOf(j, t);
    let g = open.get(key);
    if (g === undefined || fresh[g]!.length >= maxBatch || g < (lastOf.get(j.didHash) ?? -1)) {
      g = fresh.push([]) - 1;
      open.set(key, g);
    }
    fresh[g]!.push(j);
    lastOf.set(j.didHash, g);
  }
  const out: Job[][] = [];
  for (const g of followed.values()) out.push(...chunk(g, maxBatch));
  return [...alone, ...out, ...fresh];
}
