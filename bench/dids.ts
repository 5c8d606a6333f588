/** More DIDs for the bench (`--dids D`): registered on the hub like the demo DID, then bootstrapped through the oracle. */
import { createPublicClient, createWalletClient, defineChain, http, type Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi } from '../schemas/abi.js';
import { ANVIL_DEPLOYER_KEY, DEV_COMMITTEE_THRESHOLD, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_NAV_PUBLISHER_KEY, DEV_SIGNERS_VALID_UNTIL } from '../schemas/dev-keys.js';
import { didHash, type DidString } from '../schemas/ids.js';
import type { Deployment } from '../schemas/deployment.js';
import { bootstrapDemo } from '../devnet/demo.js';

/** `count - 1` more DIDs beside the demo DID; returns one deployment view per DID (its `dids` holds that DID alone). */
export async function benchDids(d: Deployment, oracleUrl: string, count: number, progress: (line: string) => void): Promise<Deployment[]> {
  const views: Deployment[] = [{ ...d, dids: [d.dids[0]!] }];
  const hub = d.chains.find((c) => c.chainId === d.hub.chainId)!;
  const chain = defineChain({ id: hub.chainId, name: hub.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [hub.rpcUrl] } } });
  const wallet = createWalletClient({ account: privateKeyToAccount(ANVIL_DEPLOYER_KEY), chain, transport: http(hub.rpcUrl) });
  const pub = createPublicClient({ chain, transport: http(hub.rpcUrl) });
  for (let i = 1; i < count; i++) {
    const did = `did:rwa:bench:fund-${i}`;
    progress(`registering and bootstrapping ${did} (${i + 1}/${count})`);
    const hash = await wallet.writeContract({
      address: d.hub.registry as Address,
      abi: rwaDidRegistryAbi,
      functionName: 'registerDid',
      args: [
        {
          did,
          name: `Bench Fund ${i}`,
          symbol: `BF${i}`,
          config: { issuer: privateKeyToAccount(DEV_ISSUER_KEY).address, navDecimals: 8, tokenDecimals: 6, threshold: DEV_COMMITTEE_THRESHOLD, heartbeat: 26 * 3600, maxNavMoveBps: 500 },
          custodians: [privateKeyToAccount(DEV_CUSTODIAN_KEY).address],
          navPublishers: [privateKeyToAccount(DEV_NAV_PUBLISHER_KEY).address],
          signers: d.governance.signers as Address[],
          chainIds: d.chains.map((c) => BigInt(c.chainId)),
          signersValidUntil: BigInt(DEV_SIGNERS_VALID_UNTIL),
        },
      ],
    });
    const receipt = await pub.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`registerDid ${did} reverted on the hub`);
    const view = { ...d, dids: [{ did, didHash: didHash(did as DidString) }] };
    await bootstrapDemo(view, oracleUrl, 120_000);
    views.push(view);
  }
  return views;
}
