import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { size, type Address, type Hex } from 'viem';
import { rwaHoldingsAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { NO_BRAKES_VALUES } from '../schemas/kinds/brakes-source.js';
import { postJson } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, demoSubscription, DEMO_INVESTOR } from '../devnet/demo.js';
import { setBrakes } from '../devnet/brakes.js';
import { publicClientOf } from '../devnet/quorum.js';
import { waitFor } from '../testkit/wait.js';
import { expectSupplyConserved } from './lib/supply.js';

/**
 * Brakes (issue 24) on three anvil chains, end to end: the issuer sets them in the hub registry, the oracle mirrors
 * them as kind 14 to each chain alone, the relayer delivers. On spoke-a a mint bucket of two subscriptions, refilled
 * by one subscription every 2 s: a burst of six is half applied and half queued on chain, and the relayer's drain
 * keeper applies the queue in order as the bucket refills. On spoke-b only an amount line (3 of 3 above it): the same
 * burst applies at once, and a settlement above the line is signed by all three and applied.
 */
let stack: Stack;
const UNIT = 1_000_000n;

describe('brakes: a burst over the mint limit on one spoke is queued and drains in order', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-brakes-')), logLevel: 'warn' });
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
  });
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('queues the burst on spoke-a only and drains it in order; spoke-b applies at once and takes a large one with 3 of 3', async () => {
    const d = stack.deployment;
    const didHash = d.dids[0]!.didHash as Hex;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    const spokeB = d.chains.find((c) => c.name === 'spoke-b')!;
    await setBrakes(d, didHash, spokeA, { ...NO_BRAKES_VALUES, mintCapacity: 2n * UNIT, mintRefillPerSecond: UNIT / 2n });
    await setBrakes(d, didHash, spokeB, { ...NO_BRAKES_VALUES, largeAmount: 5n * UNIT, largeThreshold: 3 });

    const read = (c: typeof spokeA) => {
      const pub = publicClientOf(c);
      const receiver = c.receiver as Address;
      return {
        pub,
        receiver,
        balance: async () => {
          const { holdings } = await pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [didHash] });
          return pub.readContract({ address: holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [DEMO_INVESTOR] });
        },
        events: async (eventName: 'SettlementQueued' | 'QueuedSettlementApplied') =>
          (await pub.getContractEvents({ address: receiver, abi: rwaReceiverAbi, eventName, fromBlock: 0n, strict: true })).filter((e) => e.args.did === didHash),
      };
    };
    const a = read(spokeA);
    const b = read(spokeB);
    const [startA, startB] = [await a.balance(), await b.balance()];

    const now = Math.floor(Date.now() / 1000);
    const burst = async (chainId: number, prefix: string) => {
      for (let i = 1; i <= 6; i += 1) {
        const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, chainId, `${prefix}-${i}`, UNIT, now));
        expect(r.status, JSON.stringify(r.json)).toBe(201);
      }
    };
    await Promise.all([burst(spokeA.chainId, 'BRAKE-A'), burst(spokeB.chainId, 'BRAKE-B')]);

    // spoke-b: no bucket, the six apply as they arrive; a large one is signed by all three and applies too.
    const large = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, spokeB.chainId, 'BRAKE-B-LARGE', 6n * UNIT, now));
    expect(large.status, JSON.stringify(large.json)).toBe(201);
    const largeBody = large.json as { deliveries: { chainId: number; signatures: Hex }[] };
    expect(size(largeBody.deliveries.find((x) => x.chainId === spokeB.chainId)!.signatures) / 65).toBe(3);
    await waitFor(async () => (await b.balance()) === startB + 12n * UNIT, { what: 'spoke-b applied the burst and the large one', timeoutMs: 60_000 });
    expect(await b.events('SettlementQueued')).toEqual([]);

    // spoke-a: some of the burst queued on chain, then drained by the keeper as the bucket refills.
    await waitFor(async () => (await a.balance()) === startA + 6n * UNIT, { what: 'spoke-a applied the burst, queue drained', timeoutMs: 60_000 });
    const queued = await a.events('SettlementQueued');
    const drained = await a.events('QueuedSettlementApplied');
    expect(queued.length).toBeGreaterThan(0);
    // Every queued settlement applied exactly once, in the order it was queued.
    expect(drained.map((e) => [e.args.queueIndex, e.args.nonce])).toEqual(queued.map((e) => [e.args.queueIndex, e.args.nonce]));
    const [head, tail] = await a.pub.readContract({ address: a.receiver, abi: rwaReceiverAbi, functionName: 'queuedOf', args: [didHash, 0] });
    expect(head).toBe(tail);
    // The relayer's drain keeper did it (nothing else calls drainQueued here), and says so in its metrics.
    const metrics = await (await fetch(`${stack.relayerUrl}/metrics`)).text();
    const sent = metrics.split('\n').find((l) => l.startsWith(`relayer_drain_calls_total{chain="${spokeA.chainId}",outcome="sent"}`));
    expect(Number(sent?.split(' ')[1] ?? 0)).toBeGreaterThan(0);

    // The oracle's DID status shows the brakes in force per chain, and nothing left queued.
    const status = (await (await fetch(`${stack.oracleUrl}/v1/dids/${d.dids[0]!.did}/brakes`)).json()) as {
      chains: { chainId: number; inForce: { mint: { capacity: string; queued: number }; largeAmount: string; largeThreshold: number } | null }[];
    };
    const onChain = (id: number) => status.chains.find((c) => c.chainId === id)!.inForce;
    expect(onChain(spokeA.chainId)).toMatchObject({ mint: { capacity: (2n * UNIT).toString(), queued: 0 }, largeThreshold: 0 });
    expect(onChain(spokeB.chainId)).toMatchObject({ mint: { capacity: '0', queued: 0 }, largeAmount: (5n * UNIT).toString(), largeThreshold: 3 });
  });
});
