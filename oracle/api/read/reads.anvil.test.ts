import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { rwaDidRegistryAbi } from '../../../schemas/abi.js';
import { didHash, type DidString } from '../../../schemas/ids.js';
import { startAnvil, type AnvilChain } from '../../../devnet/anvil.js';
import { buildContracts, clients, deployRegistryWithDid, mined } from '../../../testkit/anvil-chain.js';
import { RegistryReader } from '../../../core/chain/registry.js';
import { createDidRoutes } from '../dids.js';
import { createMetrics } from '../../metrics.js';
import { ReadSide } from './side.js';

/**
 * Chain test: the DID document route read through the read side's caches agrees with the hub registry within the
 * documented staleness (ORACLE_READ_CACHE_MS): a change on chain may be unseen for less than the bound after it,
 * and is seen by every read made the bound after the change. The read side's clock is the test's, so "the bound
 * after" is exact.
 */
const DID = 'did:rwa:read-cache-test:fund' as DidString;
const HASH = didHash(DID);
const A: Address = '0x1000000000000000000000000000000000000001';
const B: Address = '0x2000000000000000000000000000000000000002';
const CACHE_MS = 1_000;

let hub: AnvilChain;
let registryAddress: Address;

describe('cached public reads on anvil', () => {
  beforeAll(async () => {
    buildContracts();
    hub = await startAnvil('read-cache', 41_901);
    registryAddress = await deployRegistryWithDid(hub, { did: DID, name: 'Read Cache Fund', symbol: 'RCF', custodians: [A], chainIds: [hub.chainId] });
  }, 300_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('shows a custodian granted on chain in the DID document within ORACLE_READ_CACHE_MS, not before a load', async () => {
    let now = 1_000_000;
    const reads = new ReadSide({ cacheMs: CACHE_MS, chainConcurrency: 2 }, createMetrics(), () => now);
    const registry = new RegistryReader(hub.rpcUrl, registryAddress);
    const app = createDidRoutes({ registry: reads.registry(registry), members: reads.members(registry), hubChainId: BigInt(hub.chainId), registryAddress, publicUrl: 'http://oracle.test' });
    const custodians = async () => {
      const res = await app.request(`/${DID}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { registry: { custodians: string[] } }).registry.custodians.map((a) => a.toLowerCase()).sort();
    };

    expect(await custodians()).toEqual([A]);
    await mined(hub, await clients(hub).wallet.writeContract({ address: registryAddress, abi: rwaDidRegistryAbi, functionName: 'setCustodian', args: [HASH, B, true] }));
    // The chain has B; a read within the bound may still answer from the kept load (and here does: same instant).
    expect(await registry.custodiansOf(HASH)).toContain(B);
    expect(await custodians()).toEqual([A]);
    now += CACHE_MS - 1;
    expect(await custodians()).toEqual([A]);
    // The bound after the load began (and so after the change): the read loads again and sees the chain.
    now += 1;
    expect(await custodians()).toEqual([A, B].sort());
  }, 120_000);
});
