import { isAddressEqual, parseEventLogs, type Address, type Hex, type Log, WaitForTransactionReceiptTimeoutError } from 'viem';
import { chainClients, deliveredCheck, isAppliedOn, simulateOn, type ChainClients } from '../destination.js';
import { batchParts, simulateBatchOn } from '../batch.js';
import { rwaWormholeEmitterAbi, rwaWormholeReceiverAbi } from '../../../schemas/abi.js';
import { deliveryErrors } from '../delivery-abi.js';
import type { DeployedChain } from '../../../schemas/deployment.js';
import type { WormholeChainId } from '../../../schemas/ids.js';
import type { Job } from '../../store/outbox.js';
import type { ReceiptState, Replacement, Submitted, Transport } from '../transport.js';
import { sendOrReplace } from '../send.js';
import { DEFAULT_ESCALATION, type EscalationPolicy } from '../../fees.js';
import { NonceManager } from '../../nonces.js';
import { buildVaa, guardianSignersFor, payloadDestination, serializeVaa, signVaa, vaaDigest, WormholeVaaError, type Observation } from './vaa.js';

export interface WormholeRouteConfig {
  /** The hub, where RwaWormholeEmitter publishes; `confirmations` bury the publication before guardians sign it. */
  source: { chainId: number; name: string; rpcUrl: string; emitter: Address; confirmations: number };
  /** This destination: its RwaWormholeReceiver adapter, and the hub's Wormhole chain id the VAA names as emitter chain. */
  destination: DeployedChain & { adapter: Address; emitterChainId: WormholeChainId };
  /** Keys of guardians in the adapter's current set (DEV-ONLY keys locally: the role Wormhole's guardians play). */
  guardianKeys: readonly Hex[];
}

/** The adapter's ABI plus every error that can bubble out of it: RwaReceiver's and those of the DID's token and feed. */
const ADAPTER_AND_RECEIVER_ABI = [
  ...rwaWormholeReceiverAbi,
  ...deliveryErrors,
] as const;


/** The LogMessagePublished events `emitter` emitted among `logs`, checked at the edge. */
export function parsePublishedMessages(logs: readonly Log[], emitter: Address) {
  const own = logs.filter((l) => isAddressEqual(l.address, emitter));
  return parseEventLogs({ abi: rwaWormholeEmitterAbi, eventName: 'LogMessagePublished', logs: own, strict: true }).map((e) => {
    if (!isAddressEqual(e.args.sender, emitter)) throw new WormholeVaaError(`LogMessagePublished from ${e.address} names sender ${e.args.sender}`, false);
    return e.args;
  });
}

/**
 * Delivery over the local Wormhole transport. `submit` publishes the attestation on the hub through
 * RwaWormholeEmitter (nonce from the nonce manager shared with the hub's other workers; a stuck publication is
 * replaced, never doubled). `waitForReceipt(sourceTx)` finishes the delivery as Wormhole's guardians and a relayer
 * would: wait for the publication under the hub's confirmations, check it is still canonical, read the
 * LogMessagePublished, build the VAA body, sign it as the adapter's guardian set, and call the permissionless
 * RwaWormholeReceiver.receiveVaa on the destination. The VAA of one publication is always the same body, so after
 * a crash the stored source tx hash resumes at the delivery step and a VAA the adapter already consumed is not sent
 * again.
 */
export class WormholeTransport implements Transport {
  readonly name = 'wormhole' as const;
  private readonly src: ChainClients;
  private readonly dst: ChainClients;

  constructor(
    private readonly route: WormholeRouteConfig,
    key: Hex,
    private readonly receiptTimeoutMs = 60_000,
    private readonly nonces: NonceManager = new NonceManager(),
    private readonly escalation: EscalationPolicy = DEFAULT_ESCALATION,
  ) {
    this.src = chainClients(route.source, key);
    this.dst = chainClients(route.destination, key);
    this.delivered = deliveredCheck(this.dst.pub);
  }

  /** Applied, or under a transport quorum this transport's arrival recorded. */
  private readonly delivered: (job: Job) => Promise<boolean>;

  isApplied(job: Job): Promise<boolean> {
    return isAppliedOn(this.dst.pub, job);
  }

  /** Dry-runs the final step on the destination, so a message that would fail there is never published. */
  async simulate(job: Job): Promise<void> {
    await simulateOn(this.dst.pub, this.route.destination.adapter, job);
  }

  submit(job: Job, replace?: Replacement): Promise<Submitted> {
    // Wormhole's nonce is the emitter's free-form batching hint: the low 32 bits of the attestation nonce.
    const nonce = Number(BigInt(job.nonce) & 0xffff_ffffn);
    const args = [BigInt(this.route.destination.chainId), nonce, job.message as Hex, job.signatures as Hex] as const;
    const call = { address: this.route.source.emitter, abi: rwaWormholeEmitterAbi, functionName: 'publishAttestation', args } as const;
    return sendOrReplace(
      { pub: this.src.pub, chainId: this.route.source.chainId, account: this.src.wallet.account.address, nonces: this.nonces, escalation: this.escalation },
      {
        estimateGas: () => this.src.pub.estimateContractGas({ ...call, account: this.src.wallet.account, blockTag: 'latest' }),
        write: (n, fees, gas) => this.src.wallet.writeContract({ ...call, nonce: n, gas, ...fees }),
      },
      replace,
    );
  }

  /** Dry-runs the batch's final step (RwaReceiver.receiveMessages as the adapter calls it) on the destination. */
  async simulateBatch(jobs: readonly Job[]): Promise<void> {
    await simulateBatchOn(this.dst.pub, this.route.destination.adapter, jobs);
  }

  /**
   * Publishes all of `jobs` in one Wormhole message (payload v2, RwaWormholeEmitter.publishAttestations); the VAA
   * of it applies them in one RwaReceiver.receiveMessages call, skipping any already applied. `waitForReceipt` with
   * any job of the batch then delivers that one VAA.
   */
  submitBatch(jobs: readonly Job[], replace?: Replacement): Promise<Submitted> {
    const b = batchParts(jobs);
    const nonce = Number(BigInt(jobs[0]!.nonce) & 0xffff_ffffn);
    const args = [BigInt(this.route.destination.chainId), nonce, b.messages, b.signatures] as const;
    const call = { address: this.route.source.emitter, abi: rwaWormholeEmitterAbi, functionName: 'publishAttestations', args } as const;
    return sendOrReplace(
      { pub: this.src.pub, chainId: this.route.source.chainId, account: this.src.wallet.account.address, nonces: this.nonces, escalation: this.escalation },
      {
        estimateGas: () => this.src.pub.estimateContractGas({ ...call, account: this.src.wallet.account, blockTag: 'latest' }),
        write: (n, fees, gas) => this.src.wallet.writeContract({ ...call, nonce: n, gas, ...fees }),
      },
      replace,
    );
  }

  async waitForReceipt(sourceTx: Hex, job: Job): Promise<ReceiptState> {
    let published;
    try {
      published = await this.src.pub.waitForTransactionReceipt({ hash: sourceTx, timeout: this.receiptTimeoutMs, confirmations: Math.max(1, this.route.source.confirmations) });
    } catch (err) {
      // Only the publication's own wait maps to 'unknown' (the worker may replace it with the same hub nonce).
      if (err instanceof WaitForTransactionReceiptTimeoutError) return { status: 'unknown' };
      throw err;
    }
    if (published.status !== 'success') return { status: 'reverted' };
    // The receipt may predate a reorg: guardians sign only what is still in the canonical chain at its height.
    const block = await this.src.pub.getBlock({ blockNumber: published.blockNumber });
    if (block.hash !== published.blockHash) throw new WormholeVaaError(`publication ${sourceTx} was reorged out of block ${published.blockNumber}`, true);

    const [message] = parsePublishedMessages(published.logs, this.route.source.emitter);
    if (!message) throw new WormholeVaaError(`source tx ${sourceTx} emitted no LogMessagePublished`, false);
    const destinationChainId = payloadDestination(message.payload);
    if (destinationChainId !== BigInt(this.route.destination.chainId)) {
      throw new WormholeVaaError(`source tx ${sourceTx} published for chain ${destinationChainId}`, false);
    }
    const observation: Observation = {
      emitterChainId: this.route.destination.emitterChainId,
      emitter: message.sender,
      sequence: message.sequence,
      nonce: message.nonce,
      consistencyLevel: message.consistencyLevel,
      timestamp: Number(block.timestamp),
      payload: message.payload,
    };
    return this.deliver(observation, job);
  }

  /** Signs the observation as the adapter's current guardian set and delivers it, unless the adapter consumed it. */
  private async deliver(observation: Observation, job: Job): Promise<ReceiptState> {
    const adapter = this.route.destination.adapter;
    const index = await this.dst.pub.readContract({ address: adapter, abi: rwaWormholeReceiverAbi, functionName: 'getCurrentGuardianSetIndex' });
    const [setKeys] = await this.dst.pub.readContract({ address: adapter, abi: rwaWormholeReceiverAbi, functionName: 'getGuardianSet', args: [index] });
    const unsigned = buildVaa(observation, index);
    // The digest covers the body only, so it names this publication whichever guardian set signs it.
    const hash = vaaDigest(unsigned);
    const consumed = await this.dst.pub.readContract({ address: adapter, abi: rwaWormholeReceiverAbi, functionName: 'isVaaConsumed', args: [hash] });
    if (consumed) return (await this.delivered(job)) ? { status: 'success' } : { status: 'reverted' };

    const vaa = serializeVaa(signVaa(unsigned, guardianSignersFor(this.route.guardianKeys, setKeys), setKeys.length));
    // Reverts from behind the adapter bubble out unchanged: decode them by name (UnknownDid and NotAllowListed are
    // retried, NonceAlreadyUsed means done), not as an unknown reason that would dead-letter the job.
    const call = { address: adapter, abi: ADAPTER_AND_RECEIVER_ABI, functionName: 'receiveVaa', args: [vaa] } as const;
    const account = this.dst.wallet.account;
    // The destination's own deliveries send from the same account: one nonce counter per (chain, account).
    const tx = await this.nonces.send(this.dst.pub, this.route.destination.chainId, account.address, (nonce) => this.dst.wallet.writeContract({ ...call, nonce }));
    try {
      const r = await this.dst.pub.waitForTransactionReceipt({ hash: tx, timeout: this.receiptTimeoutMs, confirmations: Math.max(1, this.route.destination.confirmations) });
      return { status: r.status };
    } catch (err) {
      // Not 'unknown': that would make the worker replace the hub publication. The next pass rebuilds the same VAA.
      if (err instanceof WaitForTransactionReceiptTimeoutError) throw new WormholeVaaError(`VAA ${hash} delivery ${tx} not confirmed yet on chain ${this.route.destination.chainId}`, true, { cause: err });
      throw err;
    }
  }
}
