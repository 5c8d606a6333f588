import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, type Address, type Hex } from 'viem';
import { rwaWormholeEmitterAbi, rwaWormholeReceiverAbi } from '../schemas/abi.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, postDemoRound, waitForDemoRound } from '../devnet/demo.js';
import { settledByChain } from '../devnet/relayer.js';

/**
 * The relayer's Wormhole transport on three anvil chains: spoke-a is reached over the local Wormhole transport (the
 * hub's RwaWormholeEmitter publishes, the relayer signs the VAA with the DEV-ONLY guardian keys, spoke-a's
 * RwaWormholeReceiver verifies it and calls RwaReceiver); the hub and spoke-b stay CCTP-style. The DID's config,
 * allow-list and reserve reach spoke-a over Wormhole too.
 */
let stack: Stack;

describe('relayer: Wormhole transport next to CCTP-style', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-wormhole-')), logLevel: 'warn', wormholeSpokes: ['spoke-a'], confirmations: { hub: 1 } });
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('delivers a settlement and the NAV to spoke-a over Wormhole, to the others CCTP-style', async () => {
    const d = stack.deployment;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    expect(spokeA.transport).toBe('wormhole');
    expect(d.chains.filter((c) => c.wormhole).map((c) => c.name)).toEqual(['spoke-a']);
    const now = Math.floor(Date.now() / 1000);
    const amounts = new Map(d.chains.map((c, i) => [c.chainId, BigInt(1_000_000 * (i + 1))]));
    const { ids, navId } = await postDemoRound(d, stack.oracleUrl, 'WORMHOLE', amounts, 100_500_000n, now);
    await waitForDemoRound(d, amounts, 100_500_000n);

    const deliveries = (id: Hex) => settledByChain(stack.relayerUrl, id);
    const navBy = await deliveries(navId);
    expect(navBy.get(spokeA.chainId)).toMatchObject({ transport: 'wormhole', state: 'confirmed' });
    for (const c of d.chains.filter((x) => x.chainId !== spokeA.chainId)) expect(navBy.get(c.chainId)).toMatchObject({ transport: 'cctp', state: 'confirmed' });
    expect((await deliveries(ids.get(spokeA.chainId)!)).get(spokeA.chainId)).toMatchObject({ transport: 'wormhole', state: 'confirmed' });

    // Every attestation for spoke-a was one publication on the hub and one VAA on spoke-a: config, allow-list,
    // reserve, the settlement and the NAV, with the emitter's sequences 0..4 in the oracle's order.
    const hub = createPublicClient({ transport: http(d.chains.find((c) => c.chainId === d.hub.chainId)!.rpcUrl) });
    const published = await hub.getContractEvents({ address: spokeA.wormhole!.emitter as Address, abi: rwaWormholeEmitterAbi, eventName: 'LogMessagePublished', fromBlock: 0n });
    expect(published.map((l) => l.args.sequence)).toEqual([0n, 1n, 2n, 3n, 4n]);
    const spoke = createPublicClient({ transport: http(spokeA.rpcUrl) });
    const delivered = await spoke.getContractEvents({ address: spokeA.wormhole!.adapter as Address, abi: rwaWormholeReceiverAbi, eventName: 'AttestationDelivered', fromBlock: 0n });
    expect(delivered.map((l) => l.args.sequence)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(delivered.at(-1)?.args.attestationId).toBe(navId);
  });
});
