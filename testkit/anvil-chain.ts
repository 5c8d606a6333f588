/**
 * Helpers for chain tests of the oracle against the real contracts on anvil: build, deploy, send and wait, and apply
 * attestations signed by the dev committee directly on a receiver (what a relayer does). Not used by production code.
 */
import { createPublicClient, createWalletClient, defineChain, http, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { ANVIL_DEPLOYER_KEY, ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, DEV_SIGNERS_VALID_UNTIL } from '../schemas/dev-keys.js';
import { encodeMessage, type AttestationMessage } from '../schemas/message.js';
import type { DidHash } from '../schemas/ids.js';
import { Committee } from '../oracle/issue/committee/local.js';
import type { AnvilChain } from '../devnet/anvil.js';
import { artifact, buildContracts } from '../devnet/artifacts.js';

export { buildContracts };

/** Anvil account 3: an investor with gas. */
export const INVESTOR_KEY: Hex = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6';
export const committee = new Committee(DEV_COMMITTEE_KEYS);
export const committeeSigners = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));



export function clients(anvil: AnvilChain, key: Hex = ANVIL_DEPLOYER_KEY) {
  const chain = defineChain({ id: anvil.chainId, name: anvil.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } });
  const transport = http(anvil.rpcUrl, { retryCount: 0, timeout: 10_000 });
  return { pub: createPublicClient({ chain, transport, pollingInterval: 50 }), wallet: createWalletClient({ chain, transport, account: privateKeyToAccount(key) }) };
}

/** Waits for a transaction's receipt (30 s deadline); returns its block, throws if it reverted. */
export async function mined(anvil: AnvilChain, hash: Hex): Promise<bigint> {
  const r = await clients(anvil).pub.waitForTransactionReceipt({ hash, timeout: 30_000 });
  if (r.status !== 'success') throw new Error(`transaction ${hash} on ${anvil.name} reverted`);
  return r.blockNumber;
}

export async function deploy(anvil: AnvilChain, name: string, args: readonly unknown[]): Promise<Address> {
  const { abi, bytecode } = artifact(name);
  const { pub, wallet } = clients(anvil);
  const r = await pub.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi, bytecode, args }), timeout: 30_000 });
  if (!r.contractAddress) throw new Error(`deploying ${name} on ${anvil.name} failed`);
  return r.contractAddress;
}

/**
 * Deploys RwaDidRegistry on `hub`, owned by the deployer, and registers `did` with the committee as its signer set
 * (issuer: the deployer; NAV 8 and token 6 decimals, a day's heartbeat, a 5% NAV band).
 */
export async function deployRegistryWithDid(
  hub: AnvilChain,
  did: { did: string; name: string; symbol: string; custodians: readonly Address[]; chainIds: readonly number[] },
): Promise<Address> {
  const deployer = privateKeyToAccount(ANVIL_DEPLOYER_KEY).address;
  const registry = await deploy(hub, 'RwaDidRegistry', [deployer]);
  const config = { issuer: deployer, navDecimals: 8, tokenDecimals: 6, threshold: DEV_COMMITTEE_THRESHOLD, heartbeat: 86_400, maxNavMoveBps: 500 };
  const input = { did: did.did, name: did.name, symbol: did.symbol, config, custodians: did.custodians, navPublishers: [], signers: committeeSigners, chainIds: did.chainIds.map(BigInt), signersValidUntil: BigInt(DEV_SIGNERS_VALID_UNTIL) };
  await mined(hub, await clients(hub).wallet.writeContract({ address: registry, abi: rwaDidRegistryAbi, functionName: 'registerDid', args: [input] }));
  return registry;
}

/** An attestation of any kind before it gets its DID and nonce. */
export type Unnumbered = AttestationMessage extends infer M ? (M extends AttestationMessage ? Omit<M, 'did' | 'nonce'> : never) : never;

/** Applies encoded bytes with packed signatures on a receiver; returns the block. */
export async function apply(anvil: AnvilChain, receiver: Address, message: Hex, signatures: Hex): Promise<bigint> {
  const { wallet } = clients(anvil, ANVIL_RELAYER_KEY);
  return mined(anvil, await wallet.writeContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [message, signatures] }));
}

/** Signs an attestation with the dev committee for one receiver and applies it there; returns the block. */
export async function deliver(anvil: AnvilChain, receiver: Address, did: DidHash, nonce: bigint, m: Unnumbered): Promise<bigint> {
  const message = { ...m, did, nonce } as AttestationMessage;
  const signatures = await committee.signFor(message, { chainId: BigInt(anvil.chainId), receiver }, committeeSigners, DEV_COMMITTEE_THRESHOLD);
  return apply(anvil, receiver, encodeMessage(message), signatures);
}

/** A subscription named by `ref` (its settlement and cash-leg references derive from it), not yet numbered. */
export function subscriptionOf(ref: string, investor: Address, amount: bigint, settledAt: bigint): Unnumbered {
  return {
    kind: 'settlement',
    settlementKind: 'subscription',
    settlementRef: keccak256(stringToBytes(ref)),
    investor,
    amount,
    cashLegRef: keccak256(stringToBytes(`cash ${ref}`)),
    settledAt,
    peerChainId: 0n,
  };
}
