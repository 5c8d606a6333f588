import { createPublicClient, createTestClient, createWalletClient, defineChain, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import type { DeployedChain, Deployment } from '../schemas/deployment.js';
import { waitFor } from '../testkit/wait.js';

/** A read client of one deployed chain. */
export function publicClientOf(c: Pick<DeployedChain, 'chainId' | 'name' | 'rpcUrl'>) {
  const chain = defineChain({ id: c.chainId, name: c.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [c.rpcUrl] } } });
  return createPublicClient({ chain, transport: http(c.rpcUrl), pollingInterval: 50 });
}

/**
 * The demo issuer (DEV-ONLY key, funded on the local hub) requires `k` of `transports` (bits: cctp 1, ccip 2,
 * wormhole 4) for `didHash` on `chain` through the hub registry; resolves once the chain applied the rule, which
 * reaches it only as an attestation the DID's signers signed.
 */
export async function requireTransportQuorum(d: Deployment, didHash: Hex, chain: DeployedChain, k: number, transports: number, timeoutMs = 60_000): Promise<void> {
  const hub = d.chains.find((c) => c.chainId === d.hub.chainId);
  if (!hub) throw new Error('the hub is not among the deployment chains');
  const hubPub = publicClientOf(hub);
  const issuer = createWalletClient({ chain: hubPub.chain, transport: http(hub.rpcUrl), account: privateKeyToAccount(DEV_ISSUER_KEY) });
  await createTestClient({ chain: hubPub.chain, mode: 'anvil', transport: http(hub.rpcUrl) }).setBalance({ address: issuer.account.address, value: 10n ** 19n });
  const hash = await issuer.writeContract({ address: d.hub.registry as Address, abi: rwaDidRegistryAbi, functionName: 'setTransportQuorum', args: [didHash, BigInt(chain.chainId), k, transports] });
  const receipt = await hubPub.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`setTransportQuorum reverted (tx ${hash})`);
  const pub = publicClientOf(chain);
  await waitFor(
    async () => {
      const [appliedK, appliedTransports] = await pub.readContract({ address: chain.receiver as Address, abi: rwaReceiverAbi, functionName: 'transportQuorumOf', args: [didHash] });
      return appliedK === k && appliedTransports === transports;
    },
    { what: `the ${k}-of-${transports} transport quorum applied on ${chain.name}`, timeoutMs },
  );
}
