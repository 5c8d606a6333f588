import { createTestClient, createWalletClient, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import type { BrakesValues } from '../schemas/kinds/brakes-source.js';
import type { DeployedChain, Deployment } from '../schemas/deployment.js';
import { waitFor } from '../testkit/wait.js';
import { publicClientOf } from './quorum.js';

/**
 * The demo issuer (DEV-ONLY key, funded on the local hub) sets `brakes` for `didHash` on `chain` in the hub registry;
 * resolves once the chain's receiver applied them, which they reach only as a kind-14 attestation the DID's signers
 * signed (oracle BrakesSync, then the relayer).
 */
export async function setBrakes(d: Deployment, didHash: Hex, chain: DeployedChain, brakes: BrakesValues, timeoutMs = 60_000): Promise<void> {
  const hub = d.chains.find((c) => c.chainId === d.hub.chainId);
  if (!hub) throw new Error('the hub is not among the deployment chains');
  const hubPub = publicClientOf(hub);
  const issuer = createWalletClient({ chain: hubPub.chain, transport: http(hub.rpcUrl), account: privateKeyToAccount(DEV_ISSUER_KEY) });
  await createTestClient({ chain: hubPub.chain, mode: 'anvil', transport: http(hub.rpcUrl) }).setBalance({ address: issuer.account.address, value: 10n ** 19n });
  const hash = await issuer.writeContract({ address: d.hub.registry as Address, abi: rwaDidRegistryAbi, functionName: 'setBrakes', args: [didHash, BigInt(chain.chainId), brakes] });
  const receipt = await hubPub.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`setBrakes reverted (tx ${hash})`);
  const pub = publicClientOf(chain);
  await waitFor(
    async () => {
      const [mintCapacity, mintRefillPerSecond, burnCapacity, burnRefillPerSecond, largeAmount, largeThreshold] = await pub.readContract({
        address: chain.receiver as Address,
        abi: rwaReceiverAbi,
        functionName: 'brakesOf',
        args: [didHash],
      });
      const applied: BrakesValues = { mintCapacity, mintRefillPerSecond, burnCapacity, burnRefillPerSecond, largeAmount, largeThreshold };
      return (Object.keys(brakes) as (keyof BrakesValues)[]).every((k) => applied[k] === brakes[k]);
    },
    { what: `the brakes applied on ${chain.name}`, timeoutMs },
  );
}
