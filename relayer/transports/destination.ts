import { createPublicClient, createWalletClient, defineChain, http, type Account, type Address, type Chain, type Hex, type PublicClient, type Transport as ViemTransport, type WalletClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaReceiverAbi } from '../../schemas/abi.js';
import { quorumArrivalsReader } from '../../common/transport-quorum.js';
import type { Job } from '../store/outbox.js';
import { receiverDeliveryAbi } from './delivery-abi.js';
import { TRANSPORT_BITS } from '../../schemas/message.js';

export interface ChainClients {
  pub: PublicClient;
  wallet: WalletClient<ViemTransport, Chain, Account>;
}

export const RPC_BATCH_SIZE = 50;

/**
 * Read and write clients of one chain for the relayer's key: no RPC retries (the worker decides), 10 s timeout. The
 * calls made in one turn of the event loop (a batch's reads of every item, the receipt polls of the transactions in
 * flight) travel as one JSON-RPC batch in one HTTP request; each call still gets its own answer or error. At most
 * RPC_BATCH_SIZE calls per request: hosted providers cap a batch's size.
 */
export function chainClients(c: { chainId: number; name: string; rpcUrl: string }, key: Hex): ChainClients {
  const chain = defineChain({ id: c.chainId, name: c.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [c.rpcUrl] } } });
  const transport = http(c.rpcUrl, { retryCount: 0, timeout: 10_000, batch: { wait: 0, batchSize: RPC_BATCH_SIZE } });
  return {
    pub: createPublicClient({ chain, transport, pollingInterval: 100 }) as PublicClient,
    wallet: createWalletClient({ chain, transport, account: privateKeyToAccount(key) }),
  };
}

/** Whatever carried it, an attestation is applied once the destination receiver has used its nonce. */
export function isAppliedOn(pub: PublicClient, job: Job): Promise<boolean> {
  return pub.readContract({ address: job.receiver as Address, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [job.didHash as Hex, BigInt(job.nonce)] });
}

/** The transports (bitmask) whose arrival of the job's attestation the destination's RwaTransportQuorum recorded. */
export function quorumArrivals(pub: PublicClient): (job: Job) => Promise<number> {
  const read = quorumArrivalsReader(pub);
  return (job) => read(job.receiver as Address, job.attestationId as Hex);
}

/**
 * Whether the destination has this job's delivery: its attestation applied or, under a transport quorum, this
 * transport's arrival recorded (the attestation may still await the quorum's other transports).
 */
export function deliveredCheck(pub: PublicClient): (job: Job) => Promise<boolean> {
  const arrivals = quorumArrivals(pub);
  return async (job) => (await isAppliedOn(pub, job)) || (job.quorumTransports !== null && arrivedOver(job, await arrivals(job)));
}

/** Whether the arrivals bitmask of a job's attestation includes the job's own transport. */
export function arrivedOver(job: Pick<Job, 'transport'>, arrived: number): boolean {
  return (arrived & TRANSPORT_BITS[job.transport]) !== 0;
}

/**
 * Dry-runs the final step of every transport, `receiveMessage` on the destination, as `from` would make it (the
 * relayer's account for CCTP-style, the adapter for CCIP and Wormhole: under a transport quorum the caller names the
 * transport); throws the chain's revert by name.
 */
export async function simulateOn(pub: PublicClient, from: Account | Address, job: Job): Promise<void> {
  await pub.simulateContract({ address: job.receiver as Address, abi: receiverDeliveryAbi, functionName: 'receiveMessage', args: [job.message as Hex, job.signatures as Hex], account: from });
}
