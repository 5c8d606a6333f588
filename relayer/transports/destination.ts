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
 * A call whose parameters pass this many characters of JSON (a batch's simulation, its gas estimate, its signed
 * transaction: ~3.5 KB of hex per item) goes in an HTTP request of its own: nodes cap a request's body (anvil refuses
 * ~4 MB and more, hosted providers less), and a JSON-RPC batch of such calls would pass it.
 */
export const RPC_BATCH_MAX_PARAMS = 8_192;

/** An http transport that batches small calls (RPC_BATCH_SIZE at most) and sends large ones alone (RPC_BATCH_MAX_PARAMS). */
export function sizeRoutedHttp(url: string, opts: { retryCount: number; timeout: number }): ViemTransport {
  const batched = http(url, { ...opts, batch: { wait: 0, batchSize: RPC_BATCH_SIZE } });
  const single = http(url, opts);
  return (params) => {
    const b = batched(params);
    const one = single(params);
    const large = (args: { params?: unknown }) => args.params !== undefined && JSON.stringify(args.params, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).length > RPC_BATCH_MAX_PARAMS;
    const request: typeof b.request = (args, options) => (large(args) ? one.request(args, options) : b.request(args, options));
    return { ...b, request };
  };
}

/**
 * Read and write clients of one chain for the relayer's key: no RPC retries (the worker decides), 10 s timeout. The
 * calls made in one turn of the event loop (a batch's reads of every item, the receipt polls of the transactions in
 * flight) travel as one JSON-RPC batch in one HTTP request; each call still gets its own answer or error. At most
 * RPC_BATCH_SIZE calls per request (hosted providers cap a batch's size), and a large call alone (sizeRoutedHttp).
 */
export function chainClients(c: { chainId: number; name: string; rpcUrl: string }, key: Hex): ChainClients {
  const chain = defineChain({ id: c.chainId, name: c.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [c.rpcUrl] } } });
  const transport = sizeRoutedHttp(c.rpcUrl, { retryCount: 0, timeout: 10_000 });
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
