import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClient, http, type Address } from 'viem';
import { rwaDidRegistryAbi } from '../../schemas/abi.js';
import { didHash, type DidString } from '../../schemas/ids.js';
import { startAnvil, type AnvilChain } from '../../devnet/anvil.js';
import { buildContracts, clients, deployRegistryWithDid, mined } from '../../testkit/anvil-chain.js';
import { RegistryReader } from './registry.js';

/**
 * Chain test: the registry reader pages CustodianSet events in small spans, keeps what is deep enough, and re-reads
 * only the newest blocks, so grants and revocations spread over many blocks fold into the right set at every read;
 * and it reads the transport quorum of a (DID, chain).
 */
const DID = 'did:rwa:registry-reader-test:fund' as DidString;
const HASH = didHash(DID);
const A: Address = '0x1000000000000000000000000000000000000001';
const B: Address = '0x2000000000000000000000000000000000000002';
const C: Address = '0x3000000000000000000000000000000000000003';

let hub: AnvilChain;
let registry: Address;

async function setCustodian(who: Address, allowed: boolean) {
  await mined(hub, await clients(hub).wallet.writeContract({ address: registry, abi: rwaDidRegistryAbi, functionName: 'setCustodian', args: [HASH, who, allowed] }));
}
const mine = (blocks: number) => createTestClient({ mode: 'anvil', transport: http(hub.rpcUrl) }).mine({ blocks });

describe('RegistryReader member sets on anvil', () => {
  beforeAll(async () => {
    buildContracts();
    hub = await startAnvil('registry-reader', 41_201);
    registry = await deployRegistryWithDid(hub, { did: DID, name: 'Reader Test Fund', symbol: 'RTF', custodians: [A], chainIds: [hub.chainId] });
  }, 300_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('folds grants and revocations spread over many blocks, reading in spans of 3 blocks', async () => {
    const reader = new RegistryReader(hub.rpcUrl, registry, { startBlock: 0n, maxSpan: 3n });
    expect(await reader.custodiansOf(HASH)).toEqual([A]);
    await mine(20);
    await setCustodian(B, true);
    await mine(100); // A and B grants now lie deeper than the reorg margin: kept, not read again
    await setCustodian(A, false);
    expect((await reader.custodiansOf(HASH)).sort()).toEqual([B]);
    await setCustodian(C, true);
    await mine(7);
    await setCustodian(B, false);
    expect(await reader.custodiansOf(HASH)).toEqual([C]);
    // A fresh reader (nothing kept) agrees with the one that read incrementally.
    expect(await new RegistryReader(hub.rpcUrl, registry, { startBlock: 0n, maxSpan: 50n }).custodiansOf(HASH)).toEqual([C]);
    expect(await reader.navPublishersOf(HASH)).toEqual([]);
  }, 120_000);

  it("reads a DID's transport quorum per chain: 0/0 until the issuer sets one", async () => {
    const reader = new RegistryReader(hub.rpcUrl, registry);
    const chainId = BigInt(hub.chainId);
    expect(await reader.transportQuorumOf(HASH, chainId)).toEqual({ k: 0, transports: 0 });
    await mined(hub, await clients(hub).wallet.writeContract({ address: registry, abi: rwaDidRegistryAbi, functionName: 'setTransportQuorum', args: [HASH, chainId, 2, 7] }));
    expect(await reader.transportQuorumOf(HASH, chainId)).toEqual({ k: 2, transports: 7 });
  }, 60_000);
});
