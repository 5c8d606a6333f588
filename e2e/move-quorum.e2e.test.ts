import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Address, Hex } from 'viem';
import { rwaReceiverAbi, rwaTransportQuorumAbi } from '../schemas/abi.js';
import { DEV_CUSTODIAN_KEY } from '../schemas/dev-keys.js';
import { refHash } from '../schemas/ids.js';
import { postJson, signMove } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { stopChild } from '../devnet/anvil.js';
import { bootstrapDemo, custodianDomainOf, demoNav, demoSubscription, DEMO_INVESTOR } from '../devnet/demo.js';
import { inspectChains } from '../devnet/inspect.js';
import { publicClientOf, requireTransportQuorum } from '../devnet/quorum.js';
import { relayerDeliveries } from '../devnet/relayer.js';
import { expectSupplyConserved } from './lib/supply.js';
import { waitFor } from '../testkit/wait.js';

interface MoveView {
  state: string;
  reason: string | null;
  in: { id: Hex; chainId: number; state: string } | null;
  void: { id: Hex; chainId: number } | null;
  return: { id: Hex; chainId: number } | null;
}

/**
 * A move's in leg that cannot reach the to-chain's transport quorum (issue 18, the fourth refusal). spoke-b requires
 * 2 of CCTP-style and Wormhole for the demo DID; the relayer runs with Wormhole disabled, so the in leg arrives once
 * (recorded, not applied). Past the in leg's patience the oracle voids the move on spoke-b (a void is not held by the
 * quorum, on chain or in the relayer's queue) and returns the units on the hub, within the move's deadline. Once
 * Wormhole is back, the in leg's second arrival reverts (the void consumed the move) and spoke-b's queue goes on.
 */
const PATIENCE_MS = 12_000;
const DEADLINE_MS = 60_000;
const AMOUNT = 100_000_000n;
const CCTP_AND_WORMHOLE = 1 | 4;

let stack: Stack;
let relayer: ChildProcess;

const chain = (name: string) => stack.deployment.chains.find((c) => c.name === name)!;
const did = () => stack.deployment.dids[0]!;
const balanceOn = async (name: string) => (await inspectChains(stack.deployment, DEMO_INVESTOR)).find((v) => v.name === name)!.balance;
const navRoundOn = async (name: string) => (await inspectChains(stack.deployment, DEMO_INVESTOR)).find((v) => v.name === name)!.navRound;
const moveStatus = async (ref: string) => (await (await fetch(`${stack.oracleUrl}/v1/moves/${ref}?did=${encodeURIComponent(did().did)}`)).json()) as MoveView;
const created = async (path: string, body: unknown) => {
  const r = await postJson(`${stack.oracleUrl}${path}`, body);
  expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(201);
  return r.json;
};
async function restartRelayer(disabled: string): Promise<void> {
  await stopChild(relayer);
  relayer = await stack.startRelayer({ RELAYER_DISABLED_TRANSPORTS: disabled });
}

describe('a move whose in leg cannot reach the to-chain’s transport quorum comes back (three chains)', () => {
  beforeAll(async () => {
    stack = await startStack({
      dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-move-quorum-')),
      logLevel: process.env.E2E_LOG_LEVEL ?? 'warn',
      ...(process.env.E2E_LOG_LEVEL ? { output: 'inherit' as const } : {}),
      wormholeSpokes: ['spoke-b'],
      oracleEnv: { ORACLE_MOVE_SYNC_MS: '250', ORACLE_MOVE_IN_PATIENCE_MS: String(PATIENCE_MS), ORACLE_MOVE_DEADLINE_MS: String(DEADLINE_MS) },
    });
    relayer = stack.relayer;
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
    await created('/v1/settlements', await demoSubscription(stack.deployment, chain('hub').chainId, 'E2E-MQ-SUB', 1_000_000_000n, Math.floor(Date.now() / 1000)));
    await waitFor(async () => (await balanceOn('hub')) === 1_000_000_000n, { what: 'the subscription on the hub', timeoutMs: 60_000 });
    await requireTransportQuorum(stack.deployment, did().didHash as Hex, chain('spoke-b'), 2, CCTP_AND_WORMHOLE);
  }, 240_000);
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment, { moveDeadlineSeconds: DEADLINE_MS / 1000 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('Wormhole down: the in leg arrives once of two, the move is voided on spoke-b and returned on the hub in time', async () => {
    const spokeB = chain('spoke-b');
    const pubB = publicClientOf(spokeB);
    const receiverB = spokeB.receiver as Address;
    const [hubBefore, spokeBBefore] = [await balanceOn('hub'), await balanceOn('spoke-b')];
    await restartRelayer('wormhole');

    const started = Date.now();
    await created('/v1/moves', await signMove(DEV_CUSTODIAN_KEY, custodianDomainOf(stack.deployment), { did: did().did, ref: 'E2E-MQ-1', investor: DEMO_INVESTOR, amount: AMOUNT.toString(), fromChainId: chain('hub').chainId, toChainId: spokeB.chainId }));
    // A NAV behind the in leg: its spoke-b leg needs the quorum too (and waits), the other chains get it at once.
    await waitFor(async () => (await moveStatus('E2E-MQ-1')).in ?? undefined, { what: 'the in leg signed', timeoutMs: PATIENCE_MS });
    const [hubRound, spokeARound, spokeBRound] = [await navRoundOn('hub'), await navRoundOn('spoke-a'), await navRoundOn('spoke-b')];
    await created('/v1/nav', await demoNav(stack.deployment, 100_300_000n, Math.floor(Date.now() / 1000) - 5));
    await waitFor(async () => (await navRoundOn('hub')) > hubRound && (await navRoundOn('spoke-a')) > spokeARound, { what: 'the NAV on the hub and spoke-a', timeoutMs: 10_000 });

    // The oracle sees why the in leg does not apply: one arrival of the two spoke-b requires (the reason stays with the
    // move once it is voided).
    const waiting = await waitFor(async () => {
      const s = await moveStatus('E2E-MQ-1');
      return s.in && s.reason === 'transport quorum unmet on the to-chain: 1 of 2 arrivals (cctp)' ? s : undefined;
    }, { what: 'the in leg recorded on spoke-b, its quorum unmet', timeoutMs: DEADLINE_MS });
    const gate = await pubB.readContract({ address: receiverB, abi: rwaReceiverAbi, functionName: 'transportQuorum' });
    expect(await pubB.readContract({ address: gate, abi: rwaTransportQuorumAbi, functionName: 'arrivalsOf', args: [waiting.in!.id] })).toEqual([1, false]);

    const done = await waitFor(async () => {
      const s = await moveStatus('E2E-MQ-1');
      return s.state === 'returned' ? s : undefined;
    }, { what: 'move E2E-MQ-1 returned', timeoutMs: DEADLINE_MS });
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
    expect(done.reason).toBe('transport quorum unmet on the to-chain: 1 of 2 arrivals (cctp)');
    expect(done.void?.chainId).toBe(spokeB.chainId);
    expect(done.return?.chainId).toBe(chain('hub').chainId);
    expect(await balanceOn('hub')).toBe(hubBefore);
    expect(await balanceOn('spoke-b')).toBe(spokeBBefore);
    const didHash = did().didHash as Hex;
    expect(await pubB.readContract({ address: receiverB, abi: rwaReceiverAbi, functionName: 'moveOutcomeOf', args: [didHash, refHash('E2E-MQ-1')] })).toBe(2); // MOVE_VOIDED

    // Wormhole back: the in leg's second arrival reverts (the move is voided there) and is dead-lettered; the NAV that
    // waited behind it on spoke-b applies; the investor's units stay on the hub.
    await restartRelayer('');
    await waitFor(async () => (await navRoundOn('spoke-b')) > spokeBRound, { what: 'the NAV on spoke-b', timeoutMs: 60_000 });
    const inJobs = await waitFor(async () => {
      const jobs = await relayerDeliveries(stack.relayerUrl, waiting.in!.id);
      return jobs.find((j) => j.transport === 'wormhole')?.state === 'dead' && jobs;
    }, { what: 'the in leg’s Wormhole job dead-lettered', timeoutMs: 60_000 });
    expect(inJobs.find((j) => j.transport === 'cctp')?.state).toBe('confirmed');
    expect(await pubB.readContract({ address: gate, abi: rwaTransportQuorumAbi, functionName: 'arrivalsOf', args: [waiting.in!.id] })).toEqual([1, false]);
    expect(await balanceOn('spoke-b')).toBe(spokeBBefore);
    expect(await balanceOn('hub')).toBe(hubBefore);
  }, 180_000);
});
