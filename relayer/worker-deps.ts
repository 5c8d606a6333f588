// What a chain's worker (worker.ts) is given, wired in main.ts, and what it learns of a job and of the chain.
import type { Hex } from 'viem';
import type { Logger } from 'pino';
import type { BackoffPolicy } from './retry.js';
import type { Job, Outbox } from './store/outbox.js';
import type { ReceiptState, Replacement, Submitted, Transport } from './transports/transport.js';
import type { Failure } from './errors.js';
import type { RelayerMetrics } from './metrics.js';
import type { TransportName } from '../schemas/deployment.js';
import type { AppliedBy } from './transports/applied-by.js';
import type { CurseFlag } from './curse.js';
import { KIND, SETTLEMENT_KIND } from '../schemas/message.js';

/** Settlement kind byte at offset 42 of a settlement message (AttestationCodec layout). */
export const isMoveIn = (job: Job): boolean => job.kind === 'settlement' && job.message.length >= 88 && Number.parseInt(job.message.slice(86, 88), 16) === SETTLEMENT_KIND.moveIn && Number.parseInt(job.message.slice(4, 6), 16) === KIND.settlement;

export interface WorkerDeps {
  chainId: number;
  outbox: Outbox;
  /** The transports that reach this chain, by name; each job names the one its route chose. */
  transports: ReadonlyMap<TransportName, Transport>;
  /** How often a delivery that a transport's own network is carrying (CCIP on live networks) is looked at again. */
  inFlightPollMs: number;
  /** Transports the operator disabled (RELAYER_DISABLED_TRANSPORTS): their jobs wait, untouched, until re-enabled. */
  disabled: ReadonlySet<TransportName>;
  /**
   * The transports (bitmask) whose arrival the chain's RwaTransportQuorum recorded for a job's attestation; asked only
   * for jobs under a transport quorum.
   */
  arrivals: (job: Job) => Promise<number>;
  /**
   * Which message used a job's (DID, nonce) on the chain, asked once the chain says the nonce is used: a delivery is
   * confirmed by its own message, never by the nonce alone.
   */
  appliedBy: (job: Job) => Promise<AppliedBy>;
  policy: BackoffPolicy;
  /** How a parked job is tried again: no attempt limit, `maxAttempts` unused. */
  parkPolicy: BackoffPolicy;
  /** How a DID the chain refuses for now (cap exhausted, asset paused) is tried again: alone, no attempt limit. */
  didWaitPolicy: BackoffPolicy;
  /** CCIP executions that ended FAILURE a job may have before it is parked with an alert. */
  maxCcipExecutions: number;
  metrics: RelayerMetrics;
  logger: Logger;
  now: () => number;
  random: () => number;
  idleMs: number;
  /**
   * Pipelined delivery: tasks (transactions) in flight at most, items per batch at most (1: no batches), and how
   * many unfinished jobs a pass looks at. Defaults: 16, 64, 5000.
   */
  pipeline?: { maxInFlight: number; maxBatch: number; scanLimit?: number };
  /** The receiver's curse flag (curse.ts), asked before every pass: while cursed the chain's jobs are held, untouched. */
  curse?: CurseFlag;
}

/**
 * What the destination already has of a job: its attestation applied, or (under a quorum) this transport's arrival;
 * or its nonce used by another message (`conflict`), or used by a message not found yet (`unidentified`).
 */
export type OnChain = 'applied' | 'delivered' | { conflict: Hex } | 'unidentified' | undefined;

/** A chain-wide condition (RPC down, empty gas wallet, fees above the cap, a curse): every DID's delivery waits for it. */
export interface ChainBlock {
  reason: string;
  since: number;
  until: number;
}

/** What a chain's worker offers the parts of one delivery (batch-delivery.ts, failure.ts), implemented by ChainWorker. */
export interface DeliveryHost {
  readonly d: WorkerDeps;
  log(job: Job): Logger;
  /** Single delivery of one job (check, dry-run, send, follow). */
  process(job: Job): Promise<void>;
  track(t: Transport, txHash: Hex, job: Job): Promise<ReceiptState>;
  onChain(t: Transport, job: Job): Promise<OnChain>;
  settle(job: Job, txHash: string | null, log: Logger, onChain: Exclude<OnChain, undefined>): void;
  fail(t: Transport, job: Job, current: Job, err: unknown, log: Logger): Promise<void>;
  failed(job: Job, c: Failure, log: Logger, err?: unknown): void;
  blockChain(job: Job, c: Failure, delayMs: number, log: Logger, err?: unknown): void;
  inFlight(job: Job, detail: string, log: Logger): void;
  unblock(log: Logger): void;
  turn(job: Job): Promise<() => void>;
}

/** The job as the outbox has it once `sent` is recorded for it (markSubmitted): followed from then on. */
export function asSubmitted(job: Job, sent: Submitted): Job {
  return {
    ...job,
    state: 'submitted',
    txHash: sent.txHash,
    txNonce: sent.nonce ?? null,
    maxFeePerGas: sent.fees?.maxFeePerGas.toString() ?? null,
    maxPriorityFeePerGas: sent.fees?.maxPriorityFeePerGas.toString() ?? null,
  };
}

/** The job's stored transaction as one to replace (same nonce, fees escalated past these), when the store has it all. */
export function replacementOf(job: Job): Replacement | undefined {
  if (!job.txHash || job.txNonce === null || !job.maxFeePerGas || !job.maxPriorityFeePerGas) return undefined;
  return { nonce: job.txNonce, txHash: job.txHash as Hex, fees: { maxFeePerGas: BigInt(job.maxFeePerGas), maxPriorityFeePerGas: BigInt(job.maxPriorityFeePerGas) } };
}
