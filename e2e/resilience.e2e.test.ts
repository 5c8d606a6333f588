import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createPublicClient, http, parseAbiItem, type Address, type Hex } from 'viem';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { postJson } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, demoNav, demoSubscription, DEMO_INVESTORS } from '../devnet/demo.js';
import { waitFor } from '../testkit/wait.js';

/**
 * Issue 5's delivery guarantees on three anvil chains, through both transports (spoke-a over a local CCIP 2.0 lane,
 * the hub and spoke-b CCTP-style): 450 settlements and 50 NAV updates while the relayer is killed with SIGKILL five
 * times and spoke-b is down for 30 seconds. Every item must be applied exactly once on its chain(s), and spoke-a
 * must keep receiving while spoke-b is down.
 */
const SETTLEMENTS = 450;
const NAVS = 50;

let stack: Stack;
let relayer: ChildProcess;

const settlementEvent = rwaReceiverAbi.find((x) => x.type === 'event' && x.name === 'SettlementApplied');
const navEvent = rwaReceiverAbi.find((x) => x.type === 'event' && x.name === 'NavApplied');

async function appliedNonces(chain: { rpcUrl: string; receiver: string }): Promise<{ settlements: bigint[]; navs: bigint[] }> {
  const client = createPublicClient({ transport: http(chain.rpcUrl) });
  const [s, n] = await Promise.all([
    client.getLogs({ address: chain.receiver as Address, event: settlementEvent as never, fromBlock: 0n }),
    client.getLogs({ address: chain.receiver as Address, event: navEvent as never, fromBlock: 0n }),
  ]);
  const nonce = (l: unknown) => (l as { args: { nonce: bigint } }).args.nonce;
  return { settlements: s.map(nonce), navs: n.map(nonce) };
}

async function queueDepths(): Promise<Map<number, number>> {
  const q = (await (await fetch(`${stack.relayerUrl}/v1/queues`)).json()) as { chains: { chainId: number; depth: number }[] };
  return new Map(q.chains.map((c) => [c.chainId, c.depth]));
}

describe('relayer: exactly once under SIGKILL and a chain outage', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-resilience-')), logLevel: 'warn', persistChains: true, ccipSpokes: ['spoke-a'] });
    relayer = stack.relayer;
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('applies 500 items exactly once through 5 relayer kills and a 30 s spoke outage', async () => {
    const d = stack.deployment;
    const chains = d.chains;
    const now = Math.floor(Date.now() / 1000);
    const expected = new Map<number, { count: number; byInvestor: Map<string, bigint> }>(chains.map((c) => [c.chainId, { count: 0, byInvestor: new Map() }]));
    const navIds: Hex[] = [];

    // Post everything: settlements spread over the chains and investors, NAV strictly forward in time.
    const post = async (i: number) => {
      const chain = chains[i % chains.length]!;
      const investor = DEMO_INVESTORS[i % DEMO_INVESTORS.length]!;
      const amount = BigInt(1_000 + i);
      const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, chain.chainId, `RES-${i}`, amount, now - 100, investor));
      expect(r.status).toBe(201);
      const e = expected.get(chain.chainId)!;
      e.count += 1;
      e.byInvestor.set(investor, (e.byInvestor.get(investor) ?? 0n) + amount);
    };
    const posting = (async () => {
      let next = 0;
      const workers = Array.from({ length: 6 }, async () => {
        for (let i = next++; i < SETTLEMENTS; i = next++) await post(i);
      });
      for (let k = 0; k < NAVS; k++) {
        const r = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(d, 100_000_000n + BigInt(k) * 10_000n, now - 10_000 + k));
        expect(r.status).toBe(201);
        navIds.push((r.json as { id: Hex }).id);
      }
      await Promise.all(workers);
    })();

    // Kill the relayer with SIGKILL at five points of progress, restarting it each time.
    const total = SETTLEMENTS + NAVS * chains.length;
    const delivered = async () => {
      const counts = await Promise.all(chains.map((c) => appliedNonces(c)));
      return counts.reduce((a, c) => a + c.settlements.length + c.navs.length, 0);
    };
    for (const share of [0.08, 0.16, 0.24, 0.32, 0.4]) {
      await waitFor(async () => (await delivered()) >= total * share, { what: `${share * 100}% delivered`, timeoutMs: 240_000 });
      relayer.kill('SIGKILL');
      await new Promise<void>((resolve) => (relayer.exitCode !== null || relayer.signalCode !== null ? resolve() : relayer.once('exit', () => resolve())));
      relayer = await stack.startRelayer();
    }

    // Take spoke-b down for 30 s; spoke-a must keep receiving meanwhile.
    const [, spokeA, spokeB] = stack.chains;
    const spokeAChain = chains[1]!;
    const before = (await appliedNonces(spokeAChain)).settlements.length;
    await spokeB!.pause();
    const downAt = Date.now();
    await waitFor(
      async () => {
        const progressed = (await appliedNonces(spokeAChain)).settlements.length > before || (await queueDepths()).get(spokeAChain.chainId) === 0;
        return Date.now() - downAt >= 30_000 && progressed;
      },
      { what: 'spoke-a progressing during a 30 s spoke-b outage', timeoutMs: 120_000 },
    );
    expect(spokeA).toBeDefined();
    await spokeB!.start();
    await posting;

    // Everything lands, exactly once.
    await waitFor(
      async () => {
        const depths = await queueDepths();
        return [...depths.values()].every((x) => x === 0) && (await delivered()) === total;
      },
      { what: 'every job delivered', timeoutMs: 300_000 },
    );
    for (const c of chains) {
      const { settlements, navs } = await appliedNonces(c);
      expect(settlements.length).toBe(expected.get(c.chainId)!.count);
      expect(new Set(settlements).size).toBe(settlements.length);
      expect(navs.length).toBe(NAVS);
      expect(new Set(navs).size).toBe(NAVS);
      // NAV reached every chain in oracle order: applied nonces increase.
      expect([...navs].sort((a, b) => (a < b ? -1 : 1))).toEqual(navs);
    }
    const dead = (await (await fetch(`${stack.relayerUrl}/v1/dead-letters`)).json()) as { items: unknown[] };
    expect(dead.items).toEqual([]);
    for (const id of navIds.slice(-1)) {
      const s = (await (await fetch(`${stack.oracleUrl}/v1/attestations/${id}`)).json()) as { delivery: { state: string }[] };
      expect(s.delivery.every((x) => x.state === 'applied')).toBe(true);
    }
  });
});
