import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createPublicClient, createWalletClient, defineChain, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi } from '../schemas/abi.js';
import { ANVIL_DEPLOYER_KEY, DEV_COMMITTEE_THRESHOLD, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_NAV_PUBLISHER_KEY, DEV_SIGNERS_VALID_UNTIL } from '../schemas/dev-keys.js';
import { didHash, type DidString } from '../schemas/ids.js';
import type { Deployment } from '../schemas/deployment.js';
import { postJson, signPause, signReserve } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { expectSupplyConserved } from './lib/supply.js';
import { bootstrapDemo, custodianDomainOf, demoNav, demoSubscription, DEMO_INVESTOR } from '../devnet/demo.js';
import { inspectChains } from '../devnet/inspect.js';
import { settledByChain } from '../devnet/relayer.js';
import { waitFor } from '../testkit/wait.js';

/**
 * Isolation per DID on a chain: DID A's settlement to spoke-a keeps reverting there (A was paused on the chains after
 * the settlement was signed; then A's cap exhausted by a lower reserve that applied before it), while DID B's NAV and
 * settlements to spoke-a are applied without waiting for it; the relayer's status shows A waiting, B never.
 */
let stack: Stack;
let relayer: ChildProcess;
/** The deployment seen as DID B (registered and bootstrapped in beforeAll). */
let b: Deployment;

const B_DID = 'did:rwa:demo:isolation-b';

/** Registers a second DID on the hub registry, as the demo DID is registered (same dev issuer, custodian, signers). */
async function registerDid(d: Deployment, did: string): Promise<Deployment> {
  const hub = d.chains.find((c) => c.chainId === d.hub.chainId)!;
  const chain = defineChain({ id: hub.chainId, name: hub.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [hub.rpcUrl] } } });
  const wallet = createWalletClient({ account: privateKeyToAccount(ANVIL_DEPLOYER_KEY), chain, transport: http(hub.rpcUrl) });
  const pub = createPublicClient({ chain, transport: http(hub.rpcUrl) });
  const hash = await wallet.writeContract({
    address: d.hub.registry as Address,
    abi: rwaDidRegistryAbi,
    functionName: 'registerDid',
    args: [
      {
        did,
        name: 'Isolation Test Fund B',
        symbol: 'ITFB',
        config: { issuer: privateKeyToAccount(DEV_ISSUER_KEY).address, navDecimals: 8, tokenDecimals: 6, threshold: DEV_COMMITTEE_THRESHOLD, heartbeat: 26 * 3600, maxNavMoveBps: 500 },
        custodians: [privateKeyToAccount(DEV_CUSTODIAN_KEY).address],
        navPublishers: [privateKeyToAccount(DEV_NAV_PUBLISHER_KEY).address],
        signers: d.governance.signers as Address[],
        chainIds: d.chains.map((c) => BigInt(c.chainId)),
        signersValidUntil: BigInt(DEV_SIGNERS_VALID_UNTIL),
      },
    ],
  });
  expect((await pub.waitForTransactionReceipt({ hash })).status).toBe('success');
  return { ...d, dids: [{ did, didHash: didHash(did as DidString) }] };
}

interface QueueView {
  chainId: number;
  blocked: { reason: string } | null;
  waiting: { attestationId: Hex; did: string; kind: string; lastError: string | null; attempts: number }[];
}

const queues = async (): Promise<QueueView[]> => ((await (await fetch(`${stack.relayerUrl}/v1/queues`)).json()) as { chains: QueueView[] }).chains;

const stopRelayer = async () => {
  relayer.kill('SIGTERM');
  await new Promise<void>((resolve) => (relayer.exitCode !== null || relayer.signalCode !== null ? resolve() : relayer.once('exit', () => resolve())));
};

describe("relayer: one DID's reverting settlement never holds another DID's deliveries to the same chain", () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-isolation-')), logLevel: 'warn' });
    relayer = stack.relayer;
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
    b = await registerDid(stack.deployment, B_DID);
    await bootstrapDemo(b, stack.oracleUrl);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("applies B's NAV and settlement on spoke-a while A's settlement waits on A's pause, then A's after its resume", async () => {
    const a = stack.deployment;
    const spokeA = a.chains.find((c) => c.name === 'spoke-a')!;
    const domain = custodianDomainOf(a);
    const now = Math.floor(Date.now() / 1000);

    // With the relayer down: A's pause, then A's settlement (signed: the chains do not hold the pause yet), then B's
    // NAV and settlement. Per DID the relayer keeps oracle order, so A's settlement lands after A's pause: it reverts.
    await stopRelayer();
    const pause = await postJson(`${stack.oracleUrl}/v1/pause`, await signPause(DEV_ISSUER_KEY, domain, { did: a.dids[0]!.did, ref: 'ISO-PAUSE', paused: true }));
    expect(pause.status, JSON.stringify(pause.json)).toBe(201);
    const aSub = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(a, spokeA.chainId, 'ISO-A-1', 2_000_000n, now - 30));
    expect(aSub.status, JSON.stringify(aSub.json)).toBe(201);
    const aId = (aSub.json as { id: Hex }).id;
    const bNav = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(b, 100_000_000n, now - 20));
    expect(bNav.status, JSON.stringify(bNav.json)).toBe(201);
    const bSub = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(b, spokeA.chainId, 'ISO-B-1', 3_000_000n, now - 10));
    expect(bSub.status, JSON.stringify(bSub.json)).toBe(201);
    relayer = await stack.startRelayer();

    // B is applied on spoke-a while A's settlement keeps reverting there.
    const bApplied = await waitFor(
      async () => {
        const v = (await inspectChains(b, DEMO_INVESTOR)).find((x) => x.chainId === spokeA.chainId)!;
        return v.balance === 3_000_000n && v.nav === 100_000_000n ? v : undefined;
      },
      { what: "B's NAV and settlement applied on spoke-a", timeoutMs: 60_000 },
    );
    expect(bApplied.navRound).toBeGreaterThan(0n);
    const waiting = await waitFor(
      async () => (await queues()).find((q) => q.chainId === spokeA.chainId)?.waiting.find((w) => w.attestationId === aId && w.attempts >= 2),
      { what: "A's settlement waiting in the relayer's status", timeoutMs: 30_000 },
    );
    expect(waiting).toMatchObject({ did: a.dids[0]!.did, kind: 'settlement', lastError: 'reverted: AssetPaused' });
    expect((await queues()).find((q) => q.chainId === spokeA.chainId)?.blocked).toBeNull();
    expect((await inspectChains(a, DEMO_INVESTOR)).find((x) => x.chainId === spokeA.chainId)!.balance).toBe(0n);

    // A's issuer resumes A: the resume is not queued behind A's waiting settlement, which then applies.
    const resume = await postJson(`${stack.oracleUrl}/v1/pause`, await signPause(DEV_ISSUER_KEY, domain, { did: a.dids[0]!.did, ref: 'ISO-RESUME', paused: false }));
    expect(resume.status, JSON.stringify(resume.json)).toBe(201);
    const settled = await settledByChain(stack.relayerUrl, aId);
    expect(settled.get(spokeA.chainId)?.state).toBe('confirmed');
    expect((await inspectChains(a, DEMO_INVESTOR)).find((x) => x.chainId === spokeA.chainId)!.balance).toBe(2_000_000n);
    // Both DIDs' supplies add up (B is not in the stack's deployment file).
    await expectSupplyConserved({ ...a, dids: [...a.dids, ...b.dids] });
  });

  it("applies B's NAV and settlements on spoke-a while A's settlement keeps reverting SupplyCapExceeded under a lower reserve", async () => {
    const a = stack.deployment;
    const spokeA = a.chains.find((c) => c.name === 'spoke-a')!;
    const domain = custodianDomainOf(a);
    const did = a.dids[0]!.did;
    const spokeAOf = async (d: Deployment) => (await inspectChains(d, DEMO_INVESTOR)).find((x) => x.chainId === spokeA.chainId)!;
    const before = await spokeAOf(a);
    const bBefore = await spokeAOf(b);

    // A's subscription is signed while spoke-a still has cap headroom for it (the oracle reserves headroom and would
    // refuse it with 422 otherwise). A pause that lands first holds it on the chain (AssetPaused) ...
    await stopRelayer();
    const pause = await postJson(`${stack.oracleUrl}/v1/pause`, await signPause(DEV_ISSUER_KEY, domain, { did, ref: 'ISO-CAP-PAUSE', paused: true }));
    expect(pause.status, JSON.stringify(pause.json)).toBe(201);
    const aSub = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(a, spokeA.chainId, 'ISO-A-CAP', 1_000_000n, Math.floor(Date.now() / 1000) - 30));
    expect(aSub.status, JSON.stringify(aSub.json)).toBe(201);
    const aId = (aSub.json as { id: Hex }).id;
    relayer = await stack.startRelayer();
    await waitFor(
      async () => (await queues()).find((q) => q.chainId === spokeA.chainId)?.waiting.find((w) => w.attestationId === aId && w.lastError === 'reverted: AssetPaused'),
      { what: "A's settlement waiting on A's pause", timeoutMs: 30_000 },
    );

    // ... while the custodian reports a reserve down to the supply A has now: every chain's cap drops to its supply
    // (a reserve is not queued behind the DID's waiting settlement), then the issuer resumes A. Nothing is left of
    // spoke-a's cap for the signed subscription: it reverts SupplyCapExceeded from now on.
    const supply = (await inspectChains(a, DEMO_INVESTOR)).reduce((sum, v) => sum + v.totalSupply, 0n);
    const reserve = await postJson(`${stack.oracleUrl}/v1/reserve`, await signReserve(DEV_CUSTODIAN_KEY, domain, { did, reserve: supply.toString(), asOf: Math.floor(Date.now() / 1000) - 1 }));
    expect(reserve.status, JSON.stringify(reserve.json)).toBe(201);
    await waitFor(async () => (await spokeAOf(a)).supplyCap === before.totalSupply, { what: "A's lower reserve applied on spoke-a", timeoutMs: 30_000 });
    const resume = await postJson(`${stack.oracleUrl}/v1/pause`, await signPause(DEV_ISSUER_KEY, domain, { did, ref: 'ISO-CAP-RESUME', paused: false }));
    expect(resume.status, JSON.stringify(resume.json)).toBe(201);
    const capped = await waitFor(
      async () => (await queues()).find((q) => q.chainId === spokeA.chainId)?.waiting.find((w) => w.attestationId === aId && w.lastError === 'reverted: SupplyCapExceeded'),
      { what: "A's settlement reverting SupplyCapExceeded in the relayer's status", timeoutMs: 60_000 },
    );

    // B's NAV and two settlements to the same chain are applied meanwhile, without waiting for A's.
    const now = Math.floor(Date.now() / 1000);
    const bNav = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(b, 101_000_000n, now - 3));
    expect(bNav.status, JSON.stringify(bNav.json)).toBe(201);
    for (const [ref, amount] of [['ISO-B-CAP-1', 1_500_000n], ['ISO-B-CAP-2', 500_000n]] as const) {
      const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(b, spokeA.chainId, ref, amount, now - 2));
      expect(r.status, JSON.stringify(r.json)).toBe(201);
    }
    const bApplied = await waitFor(
      async () => {
        const v = await spokeAOf(b);
        return v.balance === bBefore.balance + 2_000_000n && v.nav === 101_000_000n ? v : undefined;
      },
      { what: "B's NAV and settlements applied on spoke-a", timeoutMs: 60_000 },
    );
    expect(bApplied.navRound).toBeGreaterThan(bBefore.navRound);

    // A's keeps reverting (attempts go on, the chain is not blocked), and the status names A's DID alone.
    const still = await waitFor(
      async () => (await queues()).find((q) => q.chainId === spokeA.chainId)?.waiting.find((w) => w.attestationId === aId && w.attempts > capped.attempts),
      { what: "A's settlement tried again", timeoutMs: 45_000 },
    );
    expect(still).toMatchObject({ did, kind: 'settlement', lastError: 'reverted: SupplyCapExceeded' });
    const q = (await queues()).find((x) => x.chainId === spokeA.chainId)!;
    expect(q.blocked).toBeNull();
    expect(q.waiting.map((w) => w.did)).toEqual([did]);
    const aNow = await spokeAOf(a);
    expect(aNow.balance).toBe(before.balance);
    expect(aNow.totalSupply).toBe(aNow.supplyCap);
  });
});
