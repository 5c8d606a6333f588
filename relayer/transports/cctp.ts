import { BaseError, ContractFunctionRevertedError, type Address, type Hex, WaitForTransactionReceiptTimeoutError } from 'viem';
import { classifyError } from '../errors.js';
import type { DeployedChain } from '../../schemas/deployment.js';
import type { Job } from '../store/outbox.js';
import { BatchTooLargeError, type ReceiptState, type Replacement, type Submitted, type Transport } from './transport.js';
import { itemsThatFit } from '../schedule.js';
import { NonceManager } from '../nonces.js';
import { DEFAULT_ESCALATION, type EscalationPolicy } from '../fees.js';
import { sendOrReplace, type SenderContext } from './send.js';
import { chainClients, isAppliedOn, simulateOn, type ChainClients } from './destination.js';
import { receiverDeliveryAbi } from './delivery-abi.js';

/**
 * CCTP-style delivery: the message and the committee's quorum signatures go to the destination receiver's
 * permissionless `receiveMessage`. The relayer pays gas and is trusted with nothing.
 */
export class CctpTransport implements Transport {
  readonly name = 'cctp' as const;
  /** Every delivery is one transaction from the relayer's account on the destination chain. */
  readonly accountOrdered = true;
  /** The last batch's gas estimate, by its jobs, so its send does not estimate again. */
  private lastEstimate: { key: string; gas: bigint } | undefined;
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
    const call = { address: job.receiver as Address, abi: receiverDeliveryAbi, functionName: 'receiveMessage', args: [job.message as Hex, job.signatures as Hex] } as const;
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
   * Dry-runs `receiveMessages` (the receiver skips items already applied, and reverts with the first failing item's
   * own error); throws BatchTooLargeError when its estimate passes the share of the block gas limit a batch may use.
   */
  async simulateBatch(jobs: readonly Job[]): Promise<void> {
    let gas: bigint;
    try {
      gas = await this.pub.estimateContractGas({ ...batchCall(jobs), account: this.wallet.account, blockTag: 'latest' });
    } catch (err) {
      // A node estimates within the block gas limit: a batch past it fails without a revert of its own. Halve it.
      const named = err instanceof BaseError && err.walk((e) => e instanceof ContractFunctionRevertedError && e.data?.errorName !== undefined);
      if (named || jobs.length < 2 || classifyError(err).kind === 'blocked-chain') throw err;
      throw new BatchTooLargeError(Math.ceil(jobs.length / 2), 0n, 0n);
    }
    const block = await this.pub.getBlock({ blockTag: 'latest' });
    const usable = (block.gasLimit * BigInt(this.batchGasShareBps)) / 10_000n;
    if (gas > usable) throw new BatchTooLargeError(itemsThatFit(jobs.length, gas, usable), gas, usable);
    this.lastEstimate = { key: jobs.map((j) => j.id).join(','), gas };
  }

  /** Sends the jobs in one `receiveMessages`, or replaces a stuck delivery (same nonce, escalated fees). */
  submitBatch(jobs: readonly Job[], replace?: Replacement): Promise<Submitted> {
    const call = batchCall(jobs);
    const estimated = this.lastEstimate?.key === jobs.map((j) => j.id).join(',') ? this.lastEstimate.gas : undefined;
    return sendOrReplace(
      this.sender(),
      {
        estimateGas: () => this.pub.estimateContractGas({ ...call, account: this.wallet.account, blockTag: 'latest' }),
        write: (nonce, fees, gas) => this.wallet.writeContract({ ...call, nonce, gas: gas ?? (estimated ? (estimated * 12n) / 10n : undefined), ...fees }),
      },
      replace,
    );
  }

  async waitForReceipt(txHash: Hex): Promise<ReceiptState> {
    try {
      // A delivery counts only once buried under the chain's confirmations; a reorg before that drops the receipt,
      // the wait times out as 'unknown', and the worker re-checks the chain before sending again.
      const r = await this.pub.waitForTransactionReceipt({ hash: txHash, timeout: this.receiptTimeoutMs, pollingInterval: 100, confirmations: this.confirmations });
      return { status: r.status };
    } catch (err) {
      if (err instanceof WaitForTransactionReceiptTimeoutError) return { status: 'unknown' };
      throw err;
    }
  }
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
