import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, type Address, type Hex } from 'viem';
import { offRampAbi } from '../schemas/abi.js';
import { postJson } from '../clients/custodian.js';
import { startStack, type Stack } from './lib/stack.js';
import { bootstrapDemo, demoNav, demoSubscription, DEMO_INVESTOR } from './lib/demo.js';
import { inspectChains } from './lib/inspect.js';
import { waitFor } from './lib/wait.js';

/**
 * The relayer's CCIP transport on three anvil chains: spoke-a is reached through a real Chainlink CCIP 2.0 lane from
 * the hub (Router -> OnRamp on the hub, the relayer as committee verifier and executor, OffRamp -> RwaCcipReceiver ->
 * RwaReceiver on spoke-a); the hub and spoke-b stay CCTP-style. The DID's config, allow-list and reserve reach
 * spoke-a over CCIP too.
 */
let stack: Stack;

interface Delivery {
  chainId: number;
  transport: string;
  state: string;
}

describe('relayer: CCIP 2.0 transport next to CCTP-style', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-ccip-')), logLevel: 'warn', ccipSpokes: ['spoke-a'] });
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers settlements and NAV to spoke-a over CCIP and to the others CCTP-style', async () => {
    const d = stack.deployment;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    expect(spokeA.transport).toBe('ccip');
    const now = Math.floor(Date.now() / 1000);
    const amounts = new Map(d.chains.map((c, i) => [c.chainId, BigInt(1_000_000 * (i + 1))]));
    const ids: Hex[] = [];
    for (const c of d.chains) {
      const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, c.chainId, `CCIP-${c.name}`, amounts.get(c.chainId)!, now));
      expect(r.status).toBe(201);
      ids.push((r.json as { id: Hex }).id);
    }
    const nav = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(d, 100_500_000n, now));
    expect(nav.status).toBe(201);
    const navId = (nav.json as { id: Hex }).id;

    await waitFor(
      async () => {
        const views = await inspectChains(d, DEMO_INVESTOR);
        return views.every((v) => v.balance === amounts.get(v.chainId) && v.nav === 100_500_000n);
      },
      { what: 'holdings and NAV on all chains', timeoutMs: 120_000 },
    );

    const rel = (await (await fetch(`${stack.relayerUrl}/v1/deliveries/${navId}`)).json()) as { deliveries: Delivery[] };
    const byChain = new Map(rel.deliveries.map((x) => [x.chainId, x]));
    expect(byChain.get(spokeA.chainId)).toMatchObject({ transport: 'ccip', state: 'confirmed' });
    for (const c of d.chains.filter((x) => x.chainId !== spokeA.chainId)) expect(byChain.get(c.chainId)).toMatchObject({ transport: 'cctp', state: 'confirmed' });

    // On spoke-a, the OffRamp recorded every executed CCIP message as SUCCESS: config, allow-list, reserve,
    // the settlement and the NAV.
    const client = createPublicClient({ transport: http(spokeA.rpcUrl) });
    const logs = await client.getContractEvents({ address: spokeA.ccip!.offRamp as Address, abi: offRampAbi, eventName: 'ExecutionStateChanged', fromBlock: 0n });
    expect(logs.length).toBe(5);
    expect(logs.every((l) => l.args.state === 2)).toBe(true);
    expect(ids).toHaveLength(3);
  });
});
