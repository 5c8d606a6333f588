import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Address, Hex } from 'viem';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { ANVIL_DEPLOYER_KEY, DEV_CURSE_GUARDIAN_KEYS } from '../schemas/dev-keys.js';
import { postJson } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, demoSubscription, DEMO_INVESTOR } from '../devnet/demo.js';
import { inspectChains } from '../devnet/inspect.js';
import { publicClientOf } from '../devnet/quorum.js';
import { waitFor } from '../testkit/wait.js';

/**
 * The guardians' curse on three chains: `rwa curse` on spoke-a stops deliveries there only (spoke-b keeps receiving),
 * the relayer holds spoke-a's jobs (status, metrics, no attempt, no dead letter), and after `rwa uncurse` by two
 * guardians the backlog applies on spoke-a in the oracle's order.
 */
const ROOT = join(import.meta.dirname, '..');
let stack: Stack;
let dir: string;

function rwa(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // The guardians hold no gas: a funded account (anvil's deployer here) submits their signatures, as anyone may.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', RWA_DEPLOYMENT: stack.deploymentPath, RWA_PRIVATE_KEY: ANVIL_DEPLOYER_KEY };
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'cli', 'bin', 'rwa.mjs'), ...args], { cwd: dir, env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

interface QueueView {
  chainId: number;
  cursed: boolean;
  held: number;
  blocked: { reason: string } | null;
}
const queueOf = async (chainId: number): Promise<QueueView | undefined> =>
  ((await (await fetch(`${stack.relayerUrl}/v1/queues`)).json()) as { chains: QueueView[] }).chains.find((q) => q.chainId === chainId);
const balanceOn = async (name: string): Promise<bigint> => (await inspectChains(stack.deployment, DEMO_INVESTOR)).find((c) => c.name === name)!.balance;

describe('curse: one spoke stopped by its guardians, the others go on, its backlog drains after the uncurse', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rwa-e2e-curse-'));
    stack = await startStack({ dataDir: join(dir, 'data'), logLevel: 'warn' });
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
    // Guardian key files as an operator keeps them (hex key alone; a v3 keystore works the same).
    DEV_CURSE_GUARDIAN_KEYS.forEach((k, i) => writeFileSync(join(dir, `guardian-${i + 1}.key`), `${k}\n`, { mode: 0o600 }));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('holds spoke-a while cursed, keeps spoke-b, drains spoke-a in order after the uncurse', async () => {
    const d = stack.deployment;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    const spokeB = d.chains.find((c) => c.name === 'spoke-b')!;
    const receiverA = spokeA.receiver as Address;
    const pubA = publicClientOf(spokeA);
    const [startA, startB] = [await balanceOn('spoke-a'), await balanceOn('spoke-b')];

    const cursed = await rwa(['curse', '--chain', 'spoke-a', '--guardian-key', 'guardian-3.key', '--json']);
    expect(cursed.code, cursed.stderr).toBe(0);
    expect(JSON.parse(cursed.stdout)).toMatchObject({ chainId: spokeA.chainId, cursed: true, epoch: 0 });
    expect(await pubA.readContract({ address: receiverA, abi: rwaReceiverAbi, functionName: 'cursed' })).toBe(true);

    const now = Math.floor(Date.now() / 1000);
    const amounts = [1_000_000n, 2_000_000n, 3_000_000n];
    const idsA: Hex[] = [];
    for (const [i, amount] of amounts.entries()) {
      const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, spokeA.chainId, `CURSE-A-${i}`, amount, now - 30 + i));
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      idsA.push((r.json as { id: Hex }).id);
    }
    const b = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, spokeB.chainId, 'CURSE-B-0', 5_000_000n, now - 20));
    expect(b.status, JSON.stringify(b.json)).toBe(201);

    // spoke-b receives; spoke-a's three are held and shown so.
    await waitFor(async () => (await balanceOn('spoke-b')) === startB + 5_000_000n, { what: 'the spoke-b settlement applied', timeoutMs: 60_000 });
    const held = await waitFor(async () => {
      const q = await queueOf(spokeA.chainId);
      return q?.cursed && q.held >= 3 ? q : undefined;
    }, { what: 'spoke-a shown cursed with its jobs held', timeoutMs: 30_000 });
    expect(held.blocked?.reason).toMatch(/^cursed/);
    expect((await queueOf(spokeB.chainId))?.cursed).toBe(false);
    // The gauges follow on the worker's next pass over the held chain.
    const gauges = await waitFor(async () => {
      const text = await (await fetch(`${stack.relayerUrl}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name}\\{chain="${spokeA.chainId}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
      const g = { cursed: value('relayer_chain_cursed'), held: value('relayer_held_jobs') };
      return g.held >= 3 ? g : undefined;
    }, { what: 'relayer_held_jobs counting the held jobs', timeoutMs: 10_000 });
    expect(gauges.cursed).toBe(1);
    expect(await balanceOn('spoke-a')).toBe(startA);

    // A lone guardian cannot lift it; two can.
    const alone = await rwa(['uncurse', '--chain', 'spoke-a', '--guardian-key', 'guardian-3.key']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/needs 2 distinct guardians/);
    const lifted = await rwa(['uncurse', '--chain', 'spoke-a', '--guardian-key', 'guardian-1.key', '--guardian-key', 'guardian-2.key', '--json']);
    expect(lifted.code, lifted.stderr).toBe(0);
    expect(JSON.parse(lifted.stdout)).toMatchObject({ cursed: false, liftedEpoch: 0 });

    const total = amounts.reduce((a, x) => a + x, 0n);
    await waitFor(async () => (await balanceOn('spoke-a')) === startA + total, { what: "spoke-a's backlog applied after the uncurse", timeoutMs: 60_000 });
    // In the oracle's order: the settlements applied on spoke-a carry the amounts as posted.
    const logs = await pubA.getContractEvents({ address: receiverA, abi: rwaReceiverAbi, eventName: 'SettlementApplied', fromBlock: 0n });
    const applied = logs.map((l) => l.args.amount).slice(-3);
    expect(applied).toEqual(amounts);
    for (const id of idsA) {
      const view = (await (await fetch(`${stack.relayerUrl}/v1/deliveries/${id}`)).json()) as { deliveries: { state: string; attempts: number }[] };
      expect(view.deliveries[0]).toMatchObject({ state: 'confirmed', attempts: 0 });
    }
    expect(((await (await fetch(`${stack.relayerUrl}/v1/dead-letters`)).json()) as { items: unknown[] }).items).toEqual([]);
    await waitFor(async () => (await queueOf(spokeA.chainId))?.cursed === false, { what: 'spoke-a shown open again', timeoutMs: 10_000 });
  });
});
