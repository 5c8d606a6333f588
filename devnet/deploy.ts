import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createPublicClient, createWalletClient, http, type Address, type Hex, defineChain } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi } from '../schemas/abi.js';
import { didHash, type DidString } from '../schemas/ids.js';
import type { Deployment } from '../schemas/deployment.js';
import { ANVIL_DEPLOYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_NAV_PUBLISHER_KEY, devReceiverArgs } from '../schemas/dev-keys.js';
import { artifact, buildContracts } from './artifacts.js';

export { buildContracts };


export interface ChainEndpoint {
  name: string;
  chainId: number;
  rpcUrl: string;
  confirmations?: number;
}

export interface DemoDid {
  did: string;
  name: string;
  symbol: string;
  tokenDecimals: number;
  navDecimals: number;
  heartbeat: number;
  maxNavMoveBps: number;
}

export const DEMO_DID: DemoDid = {
  did: 'did:rwa:demo:ustb-2027',
  name: 'Demo US Treasury Bill Fund 2027',
  symbol: 'dUSTB',
  tokenDecimals: 6,
  navDecimals: 8,
  heartbeat: 26 * 3600,
  maxNavMoveBps: 500,
};

/** How long the signer sets `npm start` installs stay valid: governance's on every receiver and the demo DID's. */
export const DEFAULT_SIGNER_SET_SECONDS = 365 * 86_400;

/** The chain's own clock plus `seconds`: anvil's time, which a test may have moved, not this machine's. */
async function endOnChain(endpoint: ChainEndpoint, seconds: number): Promise<bigint> {
  const block = await clients(endpoint, ANVIL_DEPLOYER_KEY).pub.getBlock();
  return block.timestamp + BigInt(seconds);
}



function clients(endpoint: ChainEndpoint, key: Hex) {
  const chain = defineChain({ id: endpoint.chainId, name: endpoint.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [endpoint.rpcUrl] } } });
  const account = privateKeyToAccount(key);
  return {
    account,
    wallet: createWalletClient({ account, chain, transport: http(endpoint.rpcUrl) }),
    pub: createPublicClient({ chain, transport: http(endpoint.rpcUrl), pollingInterval: 50 }),
  };
}

async function deploy(endpoint: ChainEndpoint, name: string, args: readonly unknown[]): Promise<Address> {
  const { wallet, pub, account } = clients(endpoint, ANVIL_DEPLOYER_KEY);
  const { abi, bytecode } = artifact(name);
  const hash = await wallet.deployContract({ abi, bytecode, args, account });
  const receipt = await pub.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`deploying ${name} on ${endpoint.name} failed`);
  return receipt.contractAddress;
}

/**
 * Deploys the registry on the hub and a receiver on every chain, registers the demo DID on the hub and configures
 * it on every receiver. The first endpoint is the hub.
 */
export async function deployStack(
  endpoints: readonly ChainEndpoint[],
  demo: DemoDid = DEMO_DID,
  /** Seconds the governance set (each receiver) and the demo DID's set (hub registry) stay valid from deployment. */
  validity: { governanceSeconds: number; didSeconds: number } = { governanceSeconds: DEFAULT_SIGNER_SET_SECONDS, didSeconds: DEFAULT_SIGNER_SET_SECONDS },
): Promise<Deployment> {
  const [hub] = endpoints;
  if (!hub) throw new Error('at least one chain (the hub) is required');
  buildContracts();
  const deployer = privateKeyToAccount(ANVIL_DEPLOYER_KEY).address;
  const committee = DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address);

  const registry = await deploy(hub, 'RwaDidRegistry', [deployer]);
  // Governance committee of every receiver: signs the first config of a DID on that chain. In dev it is the same
  // committee as the demo DID's signer set; strictly increasing addresses, as the receiver requires.
  const governance = [...committee].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const receivers = await Promise.all(
    endpoints.map(async (e) => deploy(e, 'RwaReceiver', devReceiverArgs(governance, DEV_COMMITTEE_THRESHOLD, await endOnChain(e, validity.governanceSeconds)))),
  );
  const didValidUntil = await endOnChain(hub, validity.didSeconds);

  const hubClients = clients(hub, ANVIL_DEPLOYER_KEY);
  const regHash = await hubClients.wallet.writeContract({
    address: registry,
    abi: rwaDidRegistryAbi,
    functionName: 'registerDid',
    args: [
      {
        did: demo.did,
        name: demo.name,
        symbol: demo.symbol,
        config: {
          issuer: privateKeyToAccount(DEV_ISSUER_KEY).address,
          navDecimals: demo.navDecimals,
          tokenDecimals: demo.tokenDecimals,
          threshold: DEV_COMMITTEE_THRESHOLD,
          heartbeat: demo.heartbeat,
          maxNavMoveBps: demo.maxNavMoveBps,
        },
        custodians: [privateKeyToAccount(DEV_CUSTODIAN_KEY).address],
        navPublishers: [privateKeyToAccount(DEV_NAV_PUBLISHER_KEY).address],
        signers: governance,
        chainIds: endpoints.map((e) => BigInt(e.chainId)),
        signersValidUntil: didValidUntil,
      },
    ],
  });
  const receipt = await hubClients.pub.waitForTransactionReceipt({ hash: regHash });
  if (receipt.status !== 'success') throw new Error('registerDid failed on the hub');

  // No DID config is written to the receivers here: the oracle turns the registry entry into a config attestation
  // signed by the governance committee, and the relayer delivers it like any other attestation.
  return {
    hub: { chainId: hub.chainId, rpcUrl: hub.rpcUrl, registry },
    chains: endpoints.map((e, i) => ({ name: e.name, chainId: e.chainId, rpcUrl: e.rpcUrl, receiver: receivers[i] as string, confirmations: e.confirmations ?? 0 })),
    governance: { signers: governance, threshold: DEV_COMMITTEE_THRESHOLD },
    dids: [{ did: demo.did, didHash: didHash(demo.did as DidString) }],
  };
}

export function writeDeployment(path: string, d: Deployment): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(d, null, 2)}\n`);
}
