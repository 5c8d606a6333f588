import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, type Address, type Hex } from 'viem';
import { offRampAbi } from '../schemas/abi.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, postDemoRound, waitForDemoRound } from '../devnet/demo.js';
import { DEMO_DID } from '../devnet/deploy.js';
import { settledByChain } from '../devnet/relayer.js';

/**
 * The relayer's CCIP transport on three anvil chains: spoke-a is reached through a real Chainlink CCIP 2.0 lane from
 * the hub (Router -> OnRamp on the hub, the relayer as committee verifier and executor, OffRamp -> RwaCcipReceiver ->
 * RwaReceiver on spoke-a); the hub stays CCTP-style. spoke-b has a CCIP lane too but stays CCTP-style by default;
 * a route sends the demo DID's NAV to it over CCIP (transport chosen per DID, chain and kind). The DID's config,
 * allow-list and reserve reach spoke-a over CCIP too.
 */
let stack: Stack;

describe('relayer: CCIP 2.0 transport next to CCTP-style', () => {
  beforeAll(async () => {
    stack = await startStack({
      dataDir: mkdtempSync(join(tmpdir(), 'rwa-ccip-')),
      logLevel: 'warn',
      ccipSpokes: ['spoke-a'],
      ccipLanesOnly: ['spoke-b'],
      routes: [{ did: DEMO_DID.did, chain: 'spoke-b', kinds: ['nav'], transport: 'ccip' }],
    });
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers to spoke-a over CCIP, to the hub CCTP-style, and to spoke-b by route: NAV over CCIP, the rest CCTP-style', async () => {
    const d = stack.deployment;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    const spokeB = d.chains.find((c) => c.name === 'spoke-b')!;
    expect(spokeA.transport).toBe('ccip');
    expect(spokeB.transport).toBeUndefined();
    const now = Math.floor(Date.now() / 1000);
    const amounts = new Map(d.chains.map((c, i) => [c.chainId, BigInt(1_000_000 * (i + 1))]));
    const { ids, navId } = await postDemoRound(d, stack.oracleUrl, 'CCIP', amounts, 100_500_000n, now);
    await waitForDemoRound(d, amounts, 100_500_000n);

    const deliveries = (id: Hex) => settledByChain(stack.relayerUrl, id);
    const navBy = await deliveries(navId);
    expect(navBy.get(spokeA.chainId)).toMatchObject({ transport: 'ccip', state: 'confirmed' });
    expect(navBy.get(spokeB.chainId)).toMatchObject({ transport: 'ccip', state: 'confirmed' });
    expect(navBy.get(d.hub.chainId)).toMatchObject({ transport: 'cctp', state: 'confirmed' });
    const settlementB = await deliveries(ids.get(spokeB.chainId)!);
    expect(settlementB.get(spokeB.chainId)).toMatchObject({ transport: 'cctp', state: 'confirmed' });

    // On spoke-a, the OffRamp recorded every executed CCIP message as SUCCESS: config, allow-list, reserve,
    // the settlement and the NAV.
    const client = createPublicClient({ transport: http(spokeA.rpcUrl) });
    const logs = await client.getContractEvents({ address: spokeA.ccip!.offRamp as Address, abi: offRampAbi, eventName: 'ExecutionStateChanged', fromBlock: 0n });
    expect(logs.length).toBe(5);
    expect(logs.every((l) => l.args.state === 2)).toBe(true);
    expect(ids.size).toBe(3);
    // On spoke-b, CCIP carried the NAV and nothing else.
    const clientB = createPublicClient({ transport: http(spokeB.rpcUrl) });
    const logsB = await clientB.getContractEvents({ address: spokeB.ccip!.offRamp as Address, abi: offRampAbi, eventName: 'ExecutionStateChanged', fromBlock: 0n });
    expect(logsB.map((l) => l.args.state)).toEqual([2]);
  });
});
