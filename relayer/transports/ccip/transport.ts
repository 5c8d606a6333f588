import { isAddressEqual, parseEventLogs, type Log, type Address, type Hex, WaitForTransactionReceiptTimeoutError } from 'viem';
import { chainClients, deliveredCheck, isAppliedOn, simulateOn, type ChainClients } from '../destination.js';
import { batchParts, simulateBatchOn } from '../batch.js';
import { rwaCcipSenderAbi } from '../../../schemas/abi.js';
import type { DeployedChain } from '../../../schemas/deployment.js';
import type { Job } from '../../store/outbox.js';
import { BatchTooLargeError, type ReceiptState, type Replacement, type Submitted, type Transport } from '../transport.js';
import { itemsThatFit } from '../../schedule.js';
import { classifyError } from '../../errors.js';
import { receiverDeliveryAbi } from '../delivery-abi.js';
import { sendOrReplace } from '../send.js';
import { DEFAULT_ESCALATION, type EscalationPolicy } from '../../fees.js';
import { NonceManager } from '../../nonces.js';
import { buildCommitteeVerifierResults, ccipChainSelector, CcipExecutionFailedError, CcipExecutorError, executeCcipMessage, parseCcipMessagesSent, parseExecutionOutcomes, readExecutionState, readRequiredCcvs, receiverRevertOf } from './executor.js';

/** A local lane: the relayer plays the destination CommitteeVerifier's committee and the executor. */
export interface LocalLaneRoles {
  mode: 'local';
  /** The hub OnRamp whose CCIPMessageSent carries the encoded message to execute. */
  onRamp: Address;
  offRamp: Address;
  /** Keys of the destination CommitteeVerifier's committee (the role Chainlink's verifiers play on real networks). */
  verifierKeys: readonly Hex[];
  versionTag: Hex;
}

export interface CcipLaneConfig {
  /** The hub, where RwaCcipSender sends through the CCIP Router; `confirmations` bury the send before execution. */
  source: { chainId: number; name: string; rpcUrl: string; sender: Address; confirmations: number };
  /** This destination: its CCIP selector and the RwaCcipReceiver adapter in front of its RwaReceiver. */
  destination: DeployedChain & { selector: bigint; adapter: Address };
  /**
   * `live`: Chainlink's network verifies and executes; the relayer sends and tracks, and never sends twice. With the
   * destination OffRamp known, an execution that ended FAILURE is seen (Chainlink's executor does not try it again).
   */
  roles: LocalLaneRoles | { mode: 'live'; offRamp?: Address };
}


/**
 * Delivery over Chainlink CCIP. On a live network (Sepolia, Fuji...) `submit` sends and `waitForReceipt` only tracks:
 * once the send is final it reports `inFlight` until the destination shows the attestation applied, however long
 * Chainlink's network takes, and the worker never sends that job again unless the send itself reverted or was
 * reorged away. On a local lane (mode `local`): `submit` sends the attestation from the hub through
 * RwaCcipSender -> Router -> OnRamp; `waitForReceipt(sourceTx)` finishes the delivery: it reads the OnRamp's
 * CCIPMessageSent from the source receipt, signs as the destination's CommitteeVerifier committee and calls the
 * permissionless OffRamp.execute, which routes to RwaCcipReceiver -> RwaReceiver.receiveMessage (the oracle quorum
 * is verified there, whatever the transport says). After a crash, the stored source tx hash resumes at the execute
 * step, so a message is never sent twice for one submission.
 */
export class CcipTransport implements Transport {
  readonly name = 'ccip' as const;
  private readonly src: ChainClients;
  /** The sender's execution gas limit per CCIP message, read once. */
  private receiveGasLimit: number | undefined;
  private readonly dst: ChainClients;

  constructor(
    private readonly lane: CcipLaneConfig,
    key: Hex,
    private readonly receiptTimeoutMs = 60_000,
    private readonly nonces: NonceManager = new NonceManager(),
    private readonly escalation: EscalationPolicy = DEFAULT_ESCALATION,
  ) {
    this.src = chainClients(lane.source, key);
    this.dst = chainClients(lane.destination, key);
    this.delivered = deliveredCheck(this.dst.pub);
  }

  /** Applied, or under a transport quorum this transport's arrival recorded. */
  private readonly delivered: (job: Job) => Promise<boolean>;

  isApplied(job: Job): Promise<boolean> {
    return isAppliedOn(this.dst.pub, job);
  }

  /** Dry-runs the final step on the destination, so a message that would fail there is never paid for at the source. */
  async simulate(job: Job): Promise<void> {
    await simulateOn(this.dst.pub, this.lane.destination.adapter, job);
  }

  /**
   * Dry-runs the batch's final step (RwaReceiver.receiveMessages as the adapter calls it) on the destination, and
   * checks it fits the execution gas limit the sender gives every CCIP message (`getCcipReceiveGasLimit`, less a
   * fifth for the adapter and the off-ramp): past it the execution would end FAILURE on the destination.
   */
  async simulateBatch(jobs: readonly Job[]): Promise<void> {
    await simulateBatchOn(this.dst.pub, this.lane.destination.adapter, jobs);
    const b = batchParts(jobs);
    const gas = await this.dst.pub.estimateContractGas({ address: b.receiver, abi: receiverDeliveryAbi, functionName: 'receiveMessages', args: [b.messages, b.signatures], account: this.lane.destination.adapter });
    this.receiveGasLimit ??= await this.src.pub.readContract({ address: this.lane.source.sender, abi: rwaCcipSenderAbi, functionName: 'getCcipReceiveGasLimit' });
    const usable = (BigInt(this.receiveGasLimit) * 8n) / 10n;
    if (gas > usable) throw new BatchTooLargeError(itemsThatFit(jobs.length, gas, usable), gas, usable);
    // The lane bounds a message's data and its gas plus per-byte cost (FeeQuoter: MessageTooLarge,
    // MessageGasLimitTooHigh): the fee quote refuses what the on-ramp would. Halve such a batch.
    try {
      await this.src.pub.readContract({ address: this.lane.source.sender, abi: rwaCcipSenderAbi, functionName: 'getBatchFee', args: [this.lane.destination.selector, this.lane.destination.adapter, b.messages, b.signatures] });
    } catch (err) {
      if (jobs.length < 2 || classifyError(err).kind === 'blocked-chain') throw err;
      throw new BatchTooLargeError(Math.ceil(jobs.length / 2), gas, usable);
    }
  }

  /**
   * Sends on the hub with a nonce from the nonce manager shared with the hub's other workers; a send stuck in the
   * hub's pool is replaced (same nonce, escalated fees), so one submission never becomes two CCIP messages.
   */
  async submit(job: Job, replace?: Replacement): Promise<Submitted> {
    const args = [this.lane.destination.selector, this.lane.destination.adapter, job.message as Hex, job.signatures as Hex] as const;
    const fee = await this.src.pub.readContract({ address: this.lane.source.sender, abi: rwaCcipSenderAbi, functionName: 'getFee', args });
    const call = { address: this.lane.source.sender, abi: rwaCcipSenderAbi, functionName: 'send', args, value: fee } as const;
    return sendOrReplace(
      { pub: this.src.pub, chainId: this.lane.source.chainId, account: this.src.wallet.account.address, nonces: this.nonces, escalation: this.escalation },
      {
        estimateGas: () => this.src.pub.estimateContractGas({ ...call, account: this.src.wallet.account, blockTag: 'latest' }),
        write: (nonce, fees, gas) => this.src.wallet.writeContract({ ...call, nonce, gas, ...fees }),
      },
      replace,
    );
  }

  /**
   * Sends all of `jobs` in one CCIP message (RwaCcipSender.sendBatch; the receiver applies them with
   * RwaReceiver.receiveMessages, skipping any already applied). `waitForReceipt` with any job of the batch then
   * executes that one message. The batch must fit the sender's ccipReceive gas limit.
   */
  async submitBatch(jobs: readonly Job[], replace?: Replacement): Promise<Submitted> {
    const b = batchParts(jobs);
    const args = [this.lane.destination.selector, this.lane.destination.adapter, b.messages, b.signatures] as const;
    const fee = await this.src.pub.readContract({ address: this.lane.source.sender, abi: rwaCcipSenderAbi, functionName: 'getBatchFee', args });
    const call = { address: this.lane.source.sender, abi: rwaCcipSenderAbi, functionName: 'sendBatch', args, value: fee } as const;
    return sendOrReplace(
      { pub: this.src.pub, chainId: this.lane.source.chainId, account: this.src.wallet.account.address, nonces: this.nonces, escalation: this.escalation },
      {
        estimateGas: () => this.src.pub.estimateContractGas({ ...call, account: this.src.wallet.account, blockTag: 'latest' }),
        write: (nonce, fees, gas) => this.src.wallet.writeContract({ ...call, nonce, gas, ...fees }),
      },
      replace,
    );
  }

  async waitForReceipt(sourceTx: Hex, job: Job): Promise<ReceiptState> {
    try {
      // Act on the source event only once it is final enough: a send reorged away before that is never executed.
      const sent = await this.src.pub.waitForTransactionReceipt({ hash: sourceTx, timeout: this.receiptTimeoutMs, confirmations: Math.max(1, this.lane.source.confirmations) });
      if (sent.status !== 'success') return { status: 'reverted' };
      // The receipt may predate a reorg: the send must still be in the canonical chain at its height, or the
      // message it carried no longer exists and must not be executed (the worker sends the attestation again).
      const canonical = await this.src.pub.getBlock({ blockNumber: sent.blockNumber });
      if (canonical.hash !== sent.blockHash) {
        throw new CcipExecutorError(`source send ${sourceTx} was reorged out of block ${sent.blockNumber}`, true);
      }
      const roles = this.lane.roles;
      if (roles.mode === 'live') return await this.track(sent.logs, sourceTx, job, roles.offRamp);
      const [message] = parseCcipMessagesSent(sent.logs, roles.onRamp);
      if (!message) throw new CcipExecutorError(`source tx ${sourceTx} emitted no CCIPMessageSent`, false);
      if (message.destChainSelector !== ccipChainSelector(this.lane.destination.selector)) {
        throw new CcipExecutorError(`source tx ${sourceTx} was sent to selector ${message.destChainSelector}`, false);
      }
      const verifierResult = await buildCommitteeVerifierResults({ versionTag: roles.versionTag, messageId: message.messageId, signerKeys: roles.verifierKeys });
      const { required } = await readRequiredCcvs(this.dst.pub, roles.offRamp, message.encodedMessage);
      const exec = await executeCcipMessage(this.dst.wallet, {
        offRamp: roles.offRamp,
        encodedMessage: message.encodedMessage,
        ccvs: required,
        verifierResults: required.map(() => verifierResult),
      });
      const executed = await this.dst.pub.waitForTransactionReceipt({ hash: exec, timeout: this.receiptTimeoutMs, confirmations: Math.max(1, this.lane.destination.confirmations) });
      if (executed.status !== 'success') return { status: 'reverted' };
      const outcome = parseExecutionOutcomes(executed.logs, roles.offRamp).find((o) => o.messageId === message.messageId);
      if (outcome?.state === 'SUCCESS') return { status: 'success' };
      // The message exists and stays executable (CCIP's manual execution): execute it again later, never send a
      // second message for the same submission.
      throw new CcipExecutionFailedError(message.messageId, outcome?.state ?? 'without an outcome', outcome ? receiverRevertOf(outcome.returnData) : undefined);
    } catch (err) {
      if (err instanceof WaitForTransactionReceiptTimeoutError) return { status: 'unknown' };
      throw err;
    }
  }

  /**
   * Live network: the send is final; report where the message is until the destination shows it applied. An
   * execution that ended FAILURE on the destination OffRamp (when known) throws CcipExecutionFailedError: the worker
   * looks again a bounded number of times (an operator or Chainlink's manual execution may still run it), then parks
   * the job with its reason and an alert instead of leaving it in flight forever.
   */
  private async track(logs: readonly Log[], sourceTx: Hex, job: Job, offRamp: Address | undefined): Promise<ReceiptState> {
    const [sent] = parseEventLogs({ abi: rwaCcipSenderAbi, eventName: 'AttestationSent', logs: logs as Log[] }).filter((l) => isAddressEqual(l.address, this.lane.source.sender));
    if (!sent) throw new CcipExecutorError(`source tx ${sourceTx} emitted no AttestationSent`, false);
    const messageId = sent.args.messageId as Hex;
    const deadline = Date.now() + this.receiptTimeoutMs;
    for (;;) {
      if (await this.delivered(job)) return { status: 'success' };
      if (offRamp && (await readExecutionState(this.dst.pub, offRamp, messageId)) === 'FAILURE') throw new CcipExecutionFailedError(messageId, 'FAILURE');
      if (Date.now() >= deadline) return { status: 'inFlight', detail: `CCIP message ${sent.args.messageId} sent in ${sourceTx}, not yet executed on chain ${this.lane.destination.chainId}` };
      await new Promise((r) => setTimeout(r, Math.min(LIVE_POLL_MS, Math.max(0, deadline - Date.now()))));
    }
  }
}

/** How often a live lane's destination is read while waiting within one receipt wait. */
const LIVE_POLL_MS = 5_000;
