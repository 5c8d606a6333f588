import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Address, Hex } from 'viem';
import { rwaHoldingsAbi, rwaNavFeedAbi, rwaReceiverAbi, rwaTransportQuorumAbi } from '../schemas/abi.js';
import { postJson } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { expectSupplyConserved } from './lib/supply.js';
import { stopChild } from '../devnet/anvil.js';
import { bootstrapDemo, demoNav, demoSubscription, DEMO_INVESTOR } from '../devnet/demo.js';
import { waitFor } from '../testkit/wait.js';
import { publicClientOf, requireTransportQuorum } from '../devnet/quorum.js';
import { relayerDeliveries, type RelayerDelivery } from '../devnet/relayer.js';

/**
 * Transport quorum on three anvil chains. spoke-b is reachable over all three transports (CCTP-style, a local CCIP 2.0
 * lane, the local Wormhole transport); the issuer requires 2 of the 3 there through the hub registry, and the rule
 * reaches spoke-b as a signed attestation. Then, with the relayer restarted under RELAYER_DISABLED_TRANSPORTS:
 * - one transport disabled: a settlement is applied on spoke-b on its second arrival;
 * - two disabled: a settlement arrives once, is recorded and not applied, and spoke-b's queue (a NAV behind it)
 *   waits, while the hub and spoke-a, which need no quorum, carry on;
 * - one comes back: the settlement is applied on its second arrival, then the NAV.
 */
let stack: Stack;
let relayer: ChildProcess;
const ALL_TRANSPORTS = 7; // cctp 1 | ccip 2 | wormhole 4

async function deliveriesOf(id: Hex, chainId: number): Promise<Map<string, RelayerDelivery>> {
  return new Map((await relayerDeliveries(stack.relayerUrl, id)).filter((x) => x.chainId === chainId).map((x) => [x.transport, x]));
}

async function restartRelayer(disabled: string): Promise<void> {
  await stopChild(relayer);
  relayer = await stack.startRelayer({ RELAYER_DISABLED_TRANSPORTS: disabled });
}

describe('transport quorum: 2 of CCTP-style, CCIP and Wormhole on spoke-b', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-quorum-')), logLevel: 'warn', ccipLanesOnly: ['spoke-b'], wormholeSpokes: ['spoke-b'] });
    relayer = stack.relayer;
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
  });
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('applies on the k-th transport, holds the chain while only one delivers, and resumes when one comes back', async () => {
    const d = stack.deployment;
    const didHash = d.dids[0]!.didHash as Hex;
    const hub = d.chains.find((c) => c.chainId === d.hub.chainId)!;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    const spokeB = d.chains.find((c) => c.name === 'spoke-b')!;
    const pubB = publicClientOf(spokeB);
    const receiverB = spokeB.receiver as Address;
    const gate = await pubB.readContract({ address: receiverB, abi: rwaReceiverAbi, functionName: 'transportQuorum' });
    expect(await pubB.readContract({ address: gate, abi: rwaTransportQuorumAbi, functionName: 'adapterCount', args: [2] })).toBe(1n);
    expect(await pubB.readContract({ address: gate, abi: rwaTransportQuorumAbi, functionName: 'adapterCount', args: [4] })).toBe(1n);

    // The issuer sets the rule on the hub registry; it reaches spoke-b only as an attestation its signers signed.
    await requireTransportQuorum(d, didHash, spokeB, 2, ALL_TRANSPORTS);
    // Only spoke-b was asked for a quorum.
    for (const c of [hub, spokeA]) {
      expect(await publicClientOf(c).readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'transportQuorumOf', args: [didHash] })).toEqual([0, 0]);
    }

    const { holdings } = await pubB.readContract({ address: receiverB, abi: rwaReceiverAbi, functionName: 'didState', args: [didHash] });
    const balanceB = () => pubB.readContract({ address: holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [DEMO_INVESTOR] });
    const arrivals = (id: Hex) => pubB.readContract({ address: gate, abi: rwaTransportQuorumAbi, functionName: 'arrivalsOf', args: [id] });
    const appliedOnB = (nonce: bigint) => pubB.readContract({ address: receiverB, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [didHash, nonce] });
    const now = Math.floor(Date.now() / 1000);
    const subscribe = async (ref: string, amount: bigint) => {
      const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, spokeB.chainId, ref, amount, now));
      expect(r.status).toBe(201);
      const body = r.json as { id: Hex; nonce: string };
      return { id: body.id, nonce: BigInt(body.nonce) };
    };

    // 1. Wormhole disabled: CCTP-style and CCIP make two of three.
    await restartRelayer('wormhole');
    const before = await balanceB();
    const first = await subscribe('QUORUM-1', 1_000_000n);
    await waitFor(async () => (await balanceB()) === before + 1_000_000n, { what: 'the first settlement applied on spoke-b', timeoutMs: 90_000 });
    expect(await arrivals(first.id)).toEqual([1 | 2, true]);
    // The chain is ahead of the relayer's own record by a receipt: wait for the record.
    const firstJobs = await waitFor(
      async () => {
        const jobs = await deliveriesOf(first.id, spokeB.chainId);
        return [...jobs.values()].every((j) => j.state === 'confirmed') && jobs;
      },
      { what: 'the first settlement’s jobs confirmed in the relayer', timeoutMs: 30_000 },
    );
    expect([...firstJobs.keys()].sort()).toEqual(['ccip', 'cctp', 'wormhole']);
    expect(firstJobs.get('cctp')).toMatchObject({ state: 'confirmed' });
    expect(firstJobs.get('ccip')).toMatchObject({ state: 'confirmed' });
    // Wormhole's job closed without a transaction: the chain had applied the attestation.
    expect(firstJobs.get('wormhole')).toMatchObject({ state: 'confirmed', txHash: null, note: 'applied through the other transports of its quorum' });

    // 2. CCIP and Wormhole disabled: one arrival is recorded, nothing is applied, spoke-b's queue waits.
    await restartRelayer('ccip,wormhole');
    const second = await subscribe('QUORUM-2', 2_000_000n);
    const nav = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(d, 100_700_000n, now));
    expect(nav.status).toBe(201);
    const navId = (nav.json as { id: Hex }).id;
    await waitFor(async () => (await arrivals(second.id))[0] === 1, { what: 'the CCTP-style arrival recorded on spoke-b', timeoutMs: 60_000 });
    // The others are not held: the NAV reaches the hub and spoke-a.
    for (const c of [hub, spokeA]) {
      const pub = publicClientOf(c);
      const feed = await pub.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'navFeedOf', args: [didHash] });
      await waitFor(async () => (await pub.readContract({ address: feed, abi: rwaNavFeedAbi, functionName: 'latestRoundData' }))[1] === 100_700_000n, { what: `the NAV on ${c.name}`, timeoutMs: 60_000 });
    }
    // One arrival of two: not applied, and the NAV behind it on spoke-b was not attempted.
    expect(await arrivals(second.id)).toEqual([1, false]);
    // The oracle's status says the same: pending on spoke-b, one of the two transports needed has delivered.
    const status = (await (await fetch(`${stack.oracleUrl}/v1/attestations/${second.id}`)).json()) as { delivery: unknown[] };
    expect(status.delivery).toEqual([{ chainId: spokeB.chainId, state: 'pending', quorum: { k: 2, transports: ['cctp', 'ccip', 'wormhole'], arrived: ['cctp'] } }]);
    expect(await appliedOnB(second.nonce)).toBe(false);
    expect(await balanceB()).toBe(before + 1_000_000n);
    const secondJobs = await waitFor(
      async () => {
        const jobs = await deliveriesOf(second.id, spokeB.chainId);
        return jobs.get('cctp')?.state === 'confirmed' && jobs;
      },
      { what: 'the CCTP-style job of the second settlement confirmed in the relayer', timeoutMs: 30_000 },
    );
    expect(secondJobs.get('ccip')).toMatchObject({ state: 'pending' });
    expect(secondJobs.get('wormhole')).toMatchObject({ state: 'pending' });
    const navJobsHeld = await deliveriesOf(navId, spokeB.chainId);
    expect([...navJobsHeld.values()].every((j) => j.state === 'pending' && j.txHash === null)).toBe(true);

    // 3. Wormhole comes back: the second arrival applies the settlement, then the NAV follows on spoke-b.
    await restartRelayer('ccip');
    await waitFor(async () => (await balanceB()) === before + 3_000_000n, { what: 'the second settlement applied on spoke-b', timeoutMs: 90_000 });
    expect(await arrivals(second.id)).toEqual([1 | 4, true]);
    const feedB = await pubB.readContract({ address: receiverB, abi: rwaReceiverAbi, functionName: 'navFeedOf', args: [didHash] });
    await waitFor(async () => (await pubB.readContract({ address: feedB, abi: rwaNavFeedAbi, functionName: 'latestRoundData' }))[1] === 100_700_000n, { what: 'the NAV on spoke-b', timeoutMs: 60_000 });
    const [settled] = await pubB.getContractEvents({ address: receiverB, abi: rwaReceiverAbi, eventName: 'SettlementApplied', args: { did: didHash, nonce: second.nonce }, fromBlock: 0n });
    const [navApplied] = await pubB.getContractEvents({ address: receiverB, abi: rwaReceiverAbi, eventName: 'NavApplied', args: { did: didHash }, fromBlock: 0n, toBlock: 'latest' }).then((l) => l.filter((x) => x.args.nav === 100_700_000n));
    expect(settled && navApplied).toBeTruthy();
    expect(settled!.blockNumber < navApplied!.blockNumber).toBe(true);
    // Each transport's arrival is one event; the settlement was applied once.
    const arrived = await pubB.getContractEvents({ address: gate, abi: rwaTransportQuorumAbi, eventName: 'TransportArrived', args: { digest: second.id }, fromBlock: 0n });
    expect(arrived.map((e) => [e.args.transport, e.args.applied])).toEqual([
      [1, false],
      [4, true],
    ]);
    const secondAfter = await waitFor(
      async () => {
        const jobs = await deliveriesOf(second.id, spokeB.chainId);
        return jobs.get('ccip')?.state === 'confirmed' && jobs;
      },
      { what: 'the CCIP job of the second settlement closed in the relayer', timeoutMs: 30_000 },
    );
    expect(secondAfter.get('ccip')).toMatchObject({ state: 'confirmed', txHash: null });
    expect(secondAfter.get('wormhole')).toMatchObject({ state: 'confirmed' });

    // What each arrival cost on spoke-b (receipt gasUsed of the transaction that carried it: receiveMessage,
    // OffRamp.execute, receiveVaa), printed for the table in docs/measured.md.
    const NAMES: Record<number, string> = { 1: 'cctp', 2: 'ccip', 4: 'wormhole' };
    const costs: string[] = [];
    for (const [label, id] of [
      ['first', first.id],
      ['second', second.id],
    ] as const) {
      const events = await pubB.getContractEvents({ address: gate, abi: rwaTransportQuorumAbi, eventName: 'TransportArrived', args: { digest: id }, fromBlock: 0n });
      expect(events).toHaveLength(2);
      for (const e of events) {
        const receipt = await pubB.getTransactionReceipt({ hash: e.transactionHash });
        expect(receipt.status).toBe('success');
        costs.push(`${label} settlement, ${NAMES[e.args.transport ?? 0]} arrival${e.args.applied ? ' (applies)' : ' (recorded)'}: ${receipt.gasUsed}`);
      }
    }
    console.info(`transport quorum gas on spoke-b (receipt gasUsed):\n  ${costs.join('\n  ')}`);
  });
});
