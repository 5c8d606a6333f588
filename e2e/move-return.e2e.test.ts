import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Address } from 'viem';
import { DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import { decodeMessage } from '../schemas/message.js';
import { refHash } from '../schemas/ids.js';
import { postJson, signAllowList, signMove, signPause, signReserve } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, custodianDomainOf, demoNav, demoSubscription, DEMO_INVESTORS } from '../devnet/demo.js';
import { inspectChains } from '../devnet/inspect.js';
import { expectSupplyConserved } from './lib/supply.js';
import { waitFor } from '../testkit/wait.js';

interface LegView {
  id: string;
  chainId: number;
  state: string;
}
interface MoveView {
  ref: string;
  state: string;
  reason: string | null;
  in: LegView | null;
  void: LegView | null;
  return: LegView | null;
}

// Short move timings so a refused move ends within the test: the in leg gets 12 s, the move 60 s.
const PATIENCE_MS = 12_000;
const DEADLINE_MS = 60_000;
const AMOUNT = 100_000_000n;

let stack: Stack;
let relayer: ChildProcess;
let oracle: ChildProcess;
let navStep = 0;

const exited = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));
const did = () => stack.deployment.dids[0]!.did;
const chain = (name: string) => stack.deployment.chains.find((c) => c.name === name)!;
const domain = () => custodianDomainOf(stack.deployment);
const created = async (path: string, body: unknown) => {
  const r = await postJson(`${stack.oracleUrl}${path}`, body);
  expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(201);
  return r.json;
};
const moveStatus = async (ref: string) => (await (await fetch(`${stack.oracleUrl}/v1/moves/${ref}?did=${encodeURIComponent(did())}`)).json()) as MoveView;
const balanceOn = async (investor: Address, name: string) => (await inspectChains(stack.deployment, investor)).find((v) => v.name === name)!.balance;
const allow = async (ref: string, account: Address, allowed: boolean) => created('/v1/allowlist', await signAllowList(DEV_ISSUER_KEY, domain(), { did: did(), ref, entries: [{ account, allowed }] }));
const pause = async (ref: string, paused: boolean) => created('/v1/pause', await signPause(DEV_ISSUER_KEY, domain(), { did: did(), ref, paused }));
const reserve = async (amount: bigint) => created('/v1/reserve', await signReserve(DEV_CUSTODIAN_KEY, domain(), { did: did(), reserve: amount.toString(), asOf: Math.floor(Date.now() / 1000) - 30 + navStep++ }));
const totalSupply = async () => (await inspectChains(stack.deployment, DEMO_INVESTORS[0]!)).reduce((t, v) => t + v.totalSupply, 0n);

/** Posts the move (hub -> `to`), with the refusal posted in the same relayer-stopped window, so both are accepted against today's chains and the chains see them in oracle order. */
async function moveWithRefusal(ref: string, investor: Address, to: string, refuse: { before?: () => Promise<unknown>; after?: () => Promise<unknown> }) {
  relayer.kill('SIGTERM');
  await exited(relayer);
  await refuse.before?.();
  await created('/v1/moves', await signMove(DEV_CUSTODIAN_KEY, domain(), { did: did(), ref, investor, amount: AMOUNT.toString(), fromChainId: chain('hub').chainId, toChainId: chain(to).chainId }));
  await refuse.after?.();
  relayer = await stack.startRelayer();
}

/** A NAV posted now reaches `to` promptly although the move's in leg is refused there (no queue held hostage). */
async function expectOtherDeliveriesOn(to: string) {
  const before = (await inspectChains(stack.deployment, DEMO_INVESTORS[0]!)).find((v) => v.name === to)!.navRound;
  const started = Date.now();
  await created('/v1/nav', await demoNav(stack.deployment, 100_000_000n + BigInt(navStep), Math.floor(Date.now() / 1000) - 20 + navStep++));
  await waitFor(async () => (await inspectChains(stack.deployment, DEMO_INVESTORS[0]!)).find((v) => v.name === to)!.navRound > before, { what: `a NAV applied on ${to}`, timeoutMs: 10_000 });
  return Date.now() - started;
}

async function expectReturned(ref: string, investor: Address, to: string, hubBefore: bigint, toBefore: bigint) {
  const started = Date.now();
  const done = await waitFor(async () => {
    const s = await moveStatus(ref);
    return s.state === 'returned' ? s : undefined;
  }, { what: `move ${ref} returned`, timeoutMs: DEADLINE_MS });
  expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
  expect(done.void?.chainId).toBe(chain(to).chainId);
  expect(done.return?.chainId).toBe(chain('hub').chainId);
  expect(done.reason).toBeTruthy();
  expect(await balanceOn(investor, 'hub')).toBe(hubBefore);
  expect(await balanceOn(investor, to)).toBe(toBefore);
  return done;
}

describe('a move whose to-chain refuses after acceptance comes back to the from-chain (three chains, 3 signers)', () => {
  beforeAll(async () => {
    stack = await startStack({
      dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-move-return-')),
      logLevel: process.env.E2E_LOG_LEVEL ?? 'warn',
      ...(process.env.E2E_LOG_LEVEL ? { output: 'inherit' as const } : {}),
      signers: 3,
      oracleEnv: { ORACLE_MOVE_SYNC_MS: '250', ORACLE_MOVE_IN_PATIENCE_MS: String(PATIENCE_MS), ORACLE_MOVE_DEADLINE_MS: String(DEADLINE_MS) },
    });
    relayer = stack.relayer;
    oracle = stack.oracle;
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
    const now = Math.floor(Date.now() / 1000);
    for (const [i, investor] of DEMO_INVESTORS.entries()) await created('/v1/settlements', await demoSubscription(stack.deployment, chain('hub').chainId, `E2E-RET-SUB-${i}`, 1_000_000_000n, now, investor));
    await waitFor(async () => (await Promise.all(DEMO_INVESTORS.map((inv) => balanceOn(inv, 'hub')))).every((b) => b === 1_000_000_000n), { what: 'subscriptions on the hub', timeoutMs: 60_000 });
  }, 240_000);
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment, { moveDeadlineSeconds: DEADLINE_MS / 1000 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('investor removed from the allow-list on the to-chain: returned; the chain’s NAV went through meanwhile', async () => {
    const investor = DEMO_INVESTORS[1]!;
    const [hub, toBefore] = [await balanceOn(investor, 'hub'), await balanceOn(investor, 'spoke-a')];
    await moveWithRefusal('E2E-RET-ALLOW', investor, 'spoke-a', { before: () => allow('E2E-RET-ALLOW-OFF', investor, false) });
    expect(await expectOtherDeliveriesOn('spoke-a')).toBeLessThan(10_000);
    const done = await expectReturned('E2E-RET-ALLOW', investor, 'spoke-a', hub, toBefore);
    expect(done.in?.state ?? 'none').not.toBe('applied');
    await allow('E2E-RET-ALLOW-ON', investor, true);
  }, 120_000);

  it('cap on the to-chain lowered below the amount: returned', async () => {
    const investor = DEMO_INVESTORS[0]!;
    const [hub, toBefore] = [await balanceOn(investor, 'hub'), await balanceOn(investor, 'spoke-b')];
    // A reserve equal to today's supply: every chain's cap becomes its supply, so no mint fits on spoke-b.
    const supply = await totalSupply();
    await moveWithRefusal('E2E-RET-CAP', investor, 'spoke-b', { before: () => reserve(supply) });
    expect(await expectOtherDeliveriesOn('spoke-b')).toBeLessThan(10_000);
    await expectReturned('E2E-RET-CAP', investor, 'spoke-b', hub, toBefore);
    await reserve(supply * 2n);
    // The next moves need mint room again: wait until the raised caps are applied on every chain (the oracle checks a
    // mint against the cap in force there), not only signed.
    await waitFor(async () => (await inspectChains(stack.deployment, DEMO_INVESTORS[0]!)).every((v) => v.supplyCap > v.totalSupply), { what: 'the raised reserve applied on every chain', timeoutMs: 30_000 });
  }, 120_000);

  it('DID paused after the move was accepted: voided on the to-chain, returned once resumed', async () => {
    const investor = DEMO_INVESTORS[0]!;
    const [hub, toBefore] = [await balanceOn(investor, 'hub'), await balanceOn(investor, 'spoke-a')];
    await moveWithRefusal('E2E-RET-PAUSE', investor, 'spoke-a', { after: () => pause('E2E-RET-PAUSE-ON', true) });
    // The void applies on a paused chain (it moves no value); the return mint waits for the issuer's resume.
    await waitFor(async () => ['return_signed', 'returned'].includes((await moveStatus('E2E-RET-PAUSE')).state), { what: 'the void applied on spoke-a', timeoutMs: DEADLINE_MS });
    await pause('E2E-RET-PAUSE-OFF', false);
    await expectReturned('E2E-RET-PAUSE', investor, 'spoke-a', hub, toBefore);
  }, 120_000);

  it('the refusal lifted before the in leg’s patience ran out: arrived, never returned', async () => {
    const investor = DEMO_INVESTORS[2]!;
    const [hub, toBefore] = [await balanceOn(investor, 'hub'), await balanceOn(investor, 'spoke-a')];
    await moveWithRefusal('E2E-RET-LIFT', investor, 'spoke-a', { before: () => allow('E2E-RET-LIFT-OFF', investor, false) });
    await waitFor(async () => !(await inspectChains(stack.deployment, investor)).find((v) => v.name === 'spoke-a')!.investorAllowed, { what: 'the removal on spoke-a', timeoutMs: 10_000 });
    await allow('E2E-RET-LIFT-ON', investor, true);
    const done = await waitFor(async () => {
      const s = await moveStatus('E2E-RET-LIFT');
      return s.state === 'arrived' ? s : undefined;
    }, { what: 'move arrived', timeoutMs: DEADLINE_MS });
    expect(done.return).toBeNull();
    expect(await balanceOn(investor, 'hub')).toBe(hub - AMOUNT);
    expect(await balanceOn(investor, 'spoke-a')).toBe(toBefore + AMOUNT);
  }, 120_000);

  it('the oracle killed (SIGKILL) after the out leg applied: after a restart the move finishes exactly once', async () => {
    const investor = DEMO_INVESTORS[1]!;
    const [hub, toBefore] = [await balanceOn(investor, 'hub'), await balanceOn(investor, 'spoke-a')];
    await moveWithRefusal('E2E-RET-KILL', investor, 'spoke-a', { before: () => allow('E2E-RET-KILL-OFF', investor, false) });
    await waitFor(async () => (await balanceOn(investor, 'hub')) === hub - AMOUNT, { what: 'the out leg applied on the hub', timeoutMs: 20_000 });
    const before = await moveStatus('E2E-RET-KILL');
    expect(before.return).toBeNull();
    oracle.kill('SIGKILL');
    await exited(oracle);
    oracle = await stack.startOracle();
    await expectReturned('E2E-RET-KILL', investor, 'spoke-a', hub, toBefore);
    // Exactly one void and one return for the move in the feed; the in leg never applied.
    const feed = (await (await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=500`)).json()) as { items: { kind: string; message: `0x${string}` }[] };
    const ends = feed.items.map((i) => decodeMessage(i.message)).filter((m) => (m.kind === 'moveVoid' || m.kind === 'moveReturn') && m.moveRef === refHash('E2E-RET-KILL'));
    expect(ends.map((m) => m.kind).sort()).toEqual(['moveReturn', 'moveVoid']);
    const status = await moveStatus('E2E-RET-KILL');
    expect(status.in?.state ?? 'none').not.toBe('applied');
    await allow('E2E-RET-KILL-ON', investor, true);
  }, 120_000);
});
