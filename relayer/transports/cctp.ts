import { BaseError, ContractFunctionRevertedError, type Address, type Hex, WaitForTransactionReceiptTimeoutError } from 'viem';
import { classifyError } from '../errors.js';
import type { DeployedChain } from '../../schemas/deployment.js';
import type { Job } from '../store/outbox.js';
import { BatchItemRevertedError, BatchTooLargeError, type ReceiptState, type Replacement, type Submitted, type Transport } from './transport.js';
import { itemsThatFit } from '../schedule.js';
import { NonceManager } from '../nonces.js';
import { DEFAULT_ESCALATION, type EscalationPolicy } from '../fees.js';
import { sendOrReplace, type SenderContext } from './send.js';
import { chainClients, isAppliedOn, simulateOn, type ChainClients } from './destination.js';
import { receiverDeliveryAbi } from './delivery-abi.js';
import { failingItem, receiveBatchCall, revertOf, rootBatchOf, RootStatus, type RootBatch } from './root-batch.js';

/**
 * CCTP-style delivery: the message and the committee's quorum signatures go to the destination receiver's
 * permissionless `receiveMessage`. The relayer pays gas and is trusted with nothing.
 */
export class CctpTransport implements Transport {
  readonly name = 'cctp' as const;
  /** Every delivery is one transaction from the relayer's account on the destination chain. */
  readonly accountOrdered = true;
  /** Jobs of one Merkle root go in one receiveBatch. */
  readonly rootBatches = true;
  /** The last batch's gas estimate and call, by its jobs, so its send does not estimate or read again. */
  private lastEstimate: { key: string; gas: bigint; plan: BatchPlan } | undefined;
  private readonly roots: RootStatus;
  /** Sent receiveBatch transactions that carried their root's signatures, by hash (marked verified once mined). */
  private readonly signedRoots = new Map<Hex, RootBatch>();
  private readonly pub: ChainClients['pub'];
  private readonly wallet: ChainClients['wallet'];

  private readonly confirmations: number;

  private readonly chainId: number;

  constructor(
    chain: DeployedChain,
    key: Hex,
    private readonly receiptTimeoutMs = 60_000,
    private readonly nonces: NonceManager = new NonceManager(),
    private readonly escalation: EscalationPolicy = DEFAULT_ESCALATION,
    /** Share of the block gas limit a batch may use (the rest is margin for the estimate and other senders). */
    private readonly batchGasShareBps = 8_000,
  ) {
    this.chainId = chain.chainId;
    this.confirmations = Math.max(1, chain.confirmations);
    ({ pub: this.pub, wallet: this.wallet } = chainClients(chain, key));
    this.roots = new RootStatus(this.pub);
  }

  isApplied(job: Job): Promise<boolean> {
    return isAppliedOn(this.pub, job);
  }

  async simulate(job: Job): Promise<void> {
    await simulateOn(this.pub, this.wallet.account, job);
  }

  /** How this transport sends: the account's nonces, the fee policy, and an empty transfer to self to fill a gap. */
  private sender(): SenderContext {
    const account = this.wallet.account;
    return {
      pub: this.pub,
      chainId: this.chainId,
      account: account.address,
      nonces: this.nonces,
      escalation: this.escalation,
      fill: (nonce, fees) => this.wallet.sendTransaction({ to: account.address, value: 0n, nonce, gas: 21_000n, ...fees }),
    };
  }

  /** Sends, or replaces a stuck delivery (same nonce, escalated fees): see sendOrReplace. */
  submit(job: Job, replace?: Replacement): Promise<Submitted> {
    const call = singleCall(job);
    return sendOrReplace(
      this.sender(),
      {
        estimateGas: () => this.pub.estimateContractGas({ ...call, account: this.wallet.account, blockTag: 'latest' }),
        write: (nonce, fees, gas) => this.wallet.writeContract({ ...call, nonce, gas, ...fees }),
      },
      replace,
    );
  }

  /**
   * Dry-runs the batch's call: `receiveBatch` for the jobs of one Merkle root (rootBatchOf) whose DID is ungated on
   * chain, without signatures once the chain verified the root, else `receiveMessages` (the receiver skips items
   * already applied, and reverts with the first failing item's own error). A `receiveBatch` that reverts naming an
   * item throws BatchItemRevertedError; one refused for its root (not verified after a rotation, signatures refused)
   * or for an item's apply falls back to `receiveMessages`, whose revert names the failure as today. Throws
   * BatchTooLargeError when the estimate passes the share of the block gas limit a batch may use.
   */
  async simulateBatch(jobs: readonly Job[]): Promise<void> {
    let plan = await this.planOf(jobs);
    let gas: bigint;
    try {
      gas = await this.estimate(plan);
    } catch (err) {
      let fell: { plan: BatchPlan; gas: bigint } | undefined;
      try {
        fell = plan.kind === 'root' ? await this.rootFallback(plan, jobs, err) : undefined;
      } catch (fallbackErr) {
        throw fallbackErr instanceof BatchItemRevertedError ? fallbackErr : asBatchError(fallbackErr, jobs);
      }
      if (!fell) throw asBatchError(err, jobs);
      ({ plan, gas } = fell);
    }
    const block = await this.pub.getBlock({ blockTag: 'latest' });
    const usable = (block.gasLimit * BigInt(this.batchGasShareBps)) / 10_000n;
    if (gas > usable) throw new BatchTooLargeError(itemsThatFit(jobs.length, gas, usable), gas, usable);
    this.lastEstimate = { key: jobs.map((j) => j.id).join(','), gas, plan };
  }

  /** Sends the jobs in one call (the dry-run's plan), or replaces a stuck delivery (same nonce, escalated fees). */
  async submitBatch(jobs: readonly Job[], replace?: Replacement): Promise<Submitted> {
    const last = this.lastEstimate?.key === jobs.map((j) => j.id).join(',') ? this.lastEstimate : undefined;
    const plan = last?.plan ?? (await this.planOf(jobs));
    const sent = await sendOrReplace(
      this.sender(),
      {
        estimateGas: () => this.estimate(plan),
        write: (nonce, fees, gas) => {
          const g = gas ?? (last ? (last.gas * 12n) / 10n : undefined);
          if (plan.kind === 'root') return this.wallet.writeContract({ ...plan.call, nonce, gas: g, ...fees });
          if (plan.kind === 'single') return this.wallet.writeContract({ ...plan.call, nonce, gas: g, ...fees });
          return this.wallet.writeContract({ ...plan.call, nonce, gas: g, ...fees });
        },
      },
      replace,
    );
    if (plan.kind === 'root' && plan.withSignatures) this.signedRoots.set(sent.txHash, plan.batch);
    return { ...sent, call: plan.kind === 'root' ? (plan.withSignatures ? 'receiveBatch' : 'receiveBatchVerified') : plan.call.functionName };
  }

  /** How the jobs travel: one receiveBatch (one root, DID ungated on chain) or one receiveMessages. */
  private async planOf(jobs: readonly Job[]): Promise<BatchPlan> {
    const b = rootBatchOf(jobs);
    if (!b) return { kind: 'messages', call: batchCall(jobs) };
    const status = await this.roots.of(b);
    // One item of a root not verified yet: its own quorum costs less than the root's (no root epoch to store).
    if (status === 'unverified' && jobs.length === 1) return { kind: 'single', call: singleCall(jobs[0]!) };
    if (status === 'gated') return { kind: 'messages', call: batchCall(jobs) };
    return rootPlan(b, status === 'unverified');
  }

  private estimate(plan: BatchPlan): Promise<bigint> {
    const at = { account: this.wallet.account, blockTag: 'latest' } as const;
    if (plan.kind === 'root') return this.pub.estimateContractGas({ ...plan.call, ...at });
    if (plan.kind === 'single') return this.pub.estimateContractGas({ ...plan.call, ...at });
    return this.pub.estimateContractGas({ ...plan.call, ...at });
  }

  /** A `receiveBatch` dry-run failed with `err`: the plan that passes instead, or undefined (not a named revert). */
  private async rootFallback(plan: RootPlan, jobs: readonly Job[], err: unknown): Promise<{ plan: BatchPlan; gas: bigint } | undefined> {
    const r = revertOf(err);
    if (!r) return undefined;
    const item = failingItem(err);
    if (item !== undefined) throw new BatchItemRevertedError(item, r.name, err);
    if (r.name === 'BatchRootNotVerified' && !plan.withSignatures) {
      // The signer set rotated since the root was verified (or it was never verified here): send its signatures.
      this.roots.forget(plan.batch);
      const signed = rootPlan(plan.batch, true);
      try {
        return { plan: signed, gas: await this.estimate(signed) };
      } catch (signedErr) {
        return this.rootFallback(signed, jobs, signedErr);
      }
    }
    const messages: BatchPlan = { kind: 'messages', call: batchCall(jobs) };
    return { plan: messages, gas: await this.estimate(messages) };
  }

  async waitForReceipt(txHash: Hex): Promise<ReceiptState> {
    try {
      const signed = this.signedRoots.get(txHash);
      // A delivery counts only once buried under the chain's confirmations; a reorg before that drops the receipt,
      // the wait times out as 'unknown', and the worker re-checks the chain before sending again.
      const r = await this.pub.waitForTransactionReceipt({ hash: txHash, timeout: this.receiptTimeoutMs, pollingInterval: 100, confirmations: this.confirmations });
      // A root delivered with its signatures is verified on chain: the next batch of it goes without them.
      if (signed && r.status === 'success') this.roots.markVerified(signed);
      return { status: r.status };
    } catch (err) {
      if (err instanceof WaitForTransactionReceiptTimeoutError) return { status: 'unknown' };
      throw err;
    } finally {
      // Followed again after a timeout or a restart, a root not marked is read from the chain instead.
      this.signedRoots.delete(txHash);
    }
  }
}

type BatchPlan =
  | { kind: 'messages'; call: ReturnType<typeof batchCall> }
  | { kind: 'single'; call: ReturnType<typeof singleCall> }
  | { kind: 'root'; batch: RootBatch; withSignatures: boolean; call: ReturnType<typeof receiveBatchCall> };

type RootPlan = Extract<BatchPlan, { kind: 'root' }>;

const rootPlan = (batch: RootBatch, withSignatures: boolean): RootPlan => ({ kind: 'root', batch, withSignatures, call: receiveBatchCall(batch, withSignatures) });

/**
 * A failed batch estimate as the worker takes it: a named revert as it is; anything else, for a batch of two or more,
 * as too large (a node estimates within the block gas limit: a batch past it fails without a revert of its own).
 */
function asBatchError(err: unknown, jobs: readonly Job[]): unknown {
  const named = err instanceof BaseError && err.walk((e) => e instanceof ContractFunctionRevertedError && e.data?.errorName !== undefined);
  if (named || jobs.length < 2 || classifyError(err).kind === 'blocked-chain') return err;
  return new BatchTooLargeError(Math.ceil(jobs.length / 2), 0n, 0n);
}

/** One `receiveMessage` call: the job with its own quorum. */
function singleCall(job: Job) {
  return { address: job.receiver as Address, abi: receiverDeliveryAbi, functionName: 'receiveMessage', args: [job.message as Hex, job.signatures as Hex] } as const;
}

/** One `receiveMessages` call delivering the jobs (one receiver: the jobs of one chain). */
function batchCall(jobs: readonly Job[]) {
  const receiver = jobs[0]?.receiver as Address;
  return {
    address: receiver,
    abi: receiverDeliveryAbi,
    functionName: 'receiveMessages',
    args: [jobs.map((j) => j.message as Hex), jobs.map((j) => j.signatures as Hex)],
  } as const;
}
