import { createPublicClient, createWalletClient, defineChain, http, type Account, type Address, type Chain, type Hex, type PublicClient, type Transport as ViemTransport, type WalletClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaReceiverAbi, rwaTransportQuorumAbi } from '../../schemas/abi.js';
import type { Job } from '../store/outbox.js';
import { receiverDeliveryAbi } from './delivery-abi.js';
import { TRANSPORT_BITS } from '../../schemas/message.js';

export interface ChainClients {
  pub: PublicClient;
  wallet: WalletClient<ViemTransport, Chain, Account>;
}

/** Read and write clients of one chain for the relayer's key: no RPC retries (the worker decides), 10 s timeout. */
export function chainClients(c: { chainId: number; name: string; rpcUrl: string }, key: Hex): ChainClients {
  const chain = defineChain({ id: c.chainId, name: c.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [c.rpcUrl] } } });
  const transport = http(c.rpcUrl, { retryCount: 0, timeout: 10_000 });
  return {
    pub: createPublicClient({ chain, transport, pollingInterval: 100 }) as PublicClient,
    wallet: createWalletClient({ chain, transport, account: privateKeyToAccount(key) }),
  };
}

/** Whatever carried it, an attestation is applied once the destination receiver has used its nonce. */
export function isAppliedOn(pub: PublicClient, job: Job): Promise<boolean> {
  return pub.readContract({ address: job.receiver as Address, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [job.didHash as Hex, BigInt(job.nonce)] });
}

/**
 * The transports (bitmask) whose arrival of the job's attestation the destination's RwaTransportQuorum recorded.
 * The quorum contract of each receiver is read once.
 */
export function quorumArrivals(pub: PublicClient): (job: Job) => Promise<number> {
  const gates = new Map<string, Promise<Address>>();
  return async (job) => {
    const receiver = job.receiver as Address;
    let gate = gates.get(receiver);
    if (!gate) {
      gate = pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'transportQuorum' });
      gates.set(receiver, gate);
      gate.catch(() => gates.delete(receiver));
    }
    const [arrived] = await pub.readContract({ address: await gate, abi: rwaTransportQuorumAbi, functionName: 'arrivalsOf', args: [job.attestationId as Hex] });
    return arrived;
  };
}

/**
 * Whether the destination has this job's delivery: its attestation applied or, under a transport quorum, this
 * transport's arrival recorded (the attestation may still await the quorum's other transports).
 */
export function deliveredCheck(pub: PublicClient): (job: Job) => Promise<boolean> {
  const arrivals = quorumArrivals(pub);
  return async (job) => (await isAppliedOn(pub, job)) || (job.quorumTransports !== null && ((await arrivals(job)) & TRANSPORT_BITS[job.transport]) !== 0);
}

/**
 * Dry-runs the final step of every transport, `receiveMessage` on the destination, as `from` would make it (the
 * relayer's account for CCTP-style, the adapter for CCIP and Wormhole: under a transport quorum the caller names the
 * transport); throws the chain's revert by name.
 */
export async function simulateOn(pub: PublicClient, from: Account | Address, job: Job): Promise<void> {
  await pub.simulateContract({ address: job.receiver as Address, abi: receiverDeliveryAbi, functionName: 'receiveMessage', args: [job.message as Hex, job.signatures as Hex], account: from });
}
