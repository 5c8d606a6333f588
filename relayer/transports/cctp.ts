import { type Address, type Hex, WaitForTransactionReceiptTimeoutError } from 'viem';
import type { DeployedChain } from '../../schemas/deployment.js';
import type { Job } from '../store/outbox.js';
import type { ReceiptState, Replacement, Submitted, Transport } from './transport.js';
import { NonceManager } from '../nonces.js';
import { DEFAULT_ESCALATION, type EscalationPolicy } from '../fees.js';
import { sendOrReplace } from './send.js';
import { chainClients, isAppliedOn, simulateOn, type ChainClients } from './destination.js';
import { receiverDeliveryAbi } from './delivery-abi.js';

/**
 * CCTP-style delivery: the message and the committee's quorum signatures go to the destination receiver's
 * permissionless `receiveMessage`. The relayer pays gas and is trusted with nothing.
 */
export class CctpTransport implements Transport {
  readonly name = 'cctp' as const;
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

  /** Sends, or replaces a stuck delivery (same nonce, escalated fees): see sendOrReplace. */
  submit(job: Job, replace?: Replacement): Promise<Submitted> {
    const call = { address: job.receiver as Address, abi: receiverDeliveryAbi, functionName: 'receiveMessage', args: [job.message as Hex, job.signatures as Hex] } as const;
    return sendOrReplace(
      { pub: this.pub, chainId: this.chainId, account: this.wallet.account.address, nonces: this.nonces, escalation: this.escalation },
      {
        estimateGas: () => this.pub.estimateContractGas({ ...call, account: this.wallet.account, blockTag: 'latest' }),
        write: (nonce, fees, gas) => this.wallet.writeContract({ ...call, nonce, gas, ...fees }),
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
