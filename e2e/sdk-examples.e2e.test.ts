import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPublicClient, createTestClient, createWalletClient, formatUnits, http, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { rwaNavFeedAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_DEPLOYER_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import { postJson } from '../clients/custodian.js';
import { stopChild } from '../devnet/anvil.js';
import { submitDisclosure } from '../clients/redemptions.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, custodianDomainOf, DEMO_INVESTOR, demoNav, postDemoRound, waitForDemoRound } from '../devnet/demo.js';
import { didAssets, inspectChains } from '../devnet/inspect.js';
import { waitFor } from '../testkit/wait.js';

/**
 * The SDK's examples (examples/*.ts) run as child processes against a devnet after a settlement on every chain, a NAV
 * and a disclosure; each printed value is checked against what the chains answer to direct contract reads.
 */
const ROOT = join(import.meta.dirname, '..');
const run = promisify(execFile);
let stack: Stack;
const NAV = 100_120_000n;
const AMOUNTS = new Map([
  [31337, 1_000_000n],
  [31338, 2_500_000n],
  [31339, 7_000_000n],
]);
const DOC_HASH = keccak256(stringToBytes('audit report 2026'));
const DOC_URI = 'https://issuer.example/audit-2026.pdf';
let docAsOf: number;

/** Runs `tsx examples/<name>.ts <deployment> ...args` and parses its `key=value` lines. */
async function example(name: string, ...args: string[]): Promise<{ lines: Record<string, string>[]; code: number; stderr: string }> {
  const r = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join('examples', `${name}.ts`), stack.deploymentPath, ...args], { cwd: ROOT, timeout: 60_000 }).then(
    (ok) => ({ stdout: ok.stdout, code: 0, stderr: ok.stderr }),
    (err: { stdout?: string; stderr?: string; code?: number }) => ({ stdout: err.stdout ?? '', code: err.code ?? -1, stderr: err.stderr ?? '' }),
  );
  const lines = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => Object.fromEntries(l.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])));
  return { lines, code: r.code, stderr: r.stderr };
}

const client = (rpcUrl: string) => createPublicClient({ transport: http(rpcUrl) });
const didHash = () => stack.deployment.dids[0]!.didHash as Hex;

beforeAll(async () => {
  stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-sdk-')), logLevel: 'warn' });
  const d = stack.deployment;
  await bootstrapDemo(d, stack.oracleUrl);
  const now = Math.floor(Date.now() / 1000);
  await postDemoRound(d, stack.oracleUrl, 'SDK', AMOUNTS, NAV, now);
  docAsOf = now - 30;
  const disclosure = await submitDisclosure({ url: stack.oracleUrl }, DEV_ISSUER_KEY, custodianDomainOf(d), { did: d.dids[0]!.did, docKind: 'auditReport', docHash: DOC_HASH, uri: DOC_URI, asOf: docAsOf });
  if (disclosure.status !== 201) throw new Error(`disclosure refused: ${disclosure.status} ${JSON.stringify(disclosure.json)}`);
  await waitForDemoRound(d, AMOUNTS, NAV, 90_000);
  await waitFor(
    async () => {
      const anchored = await Promise.all(
        d.chains.map(async (c) => {
          const module = await client(c.rpcUrl).readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'redemptions' });
          return (await client(c.rpcUrl).readContract({ address: module, abi: rwaRedemptionsAbi, functionName: 'disclosureOf', args: [didHash(), 3] })).asOf;
        }),
      );
      return anchored.every((a) => a === BigInt(docAsOf));
    },
    { what: 'the disclosure anchored on every chain', timeoutMs: 60_000 },
  );
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('SDK examples on a devnet', () => {
  it('read-nav prints each chain NAV, round, as-of and freshness as the feeds answer them', async () => {
    const { lines, code } = await example('read-nav');
    expect(code).toBe(0);
    expect(lines.map((l) => Number(l.chain))).toEqual(stack.deployment.chains.map((c) => c.chainId));
    const direct = await inspectChains(stack.deployment, DEMO_INVESTOR);
    for (const [i, c] of stack.deployment.chains.entries()) {
      const assets = await didAssets(client(c.rpcUrl), c.receiver as Address, didHash());
      const pub = client(c.rpcUrl);
      const [decimals, heartbeat, stale] = await Promise.all([
        pub.readContract({ address: assets!.navFeed, abi: rwaNavFeedAbi, functionName: 'decimals' }),
        pub.readContract({ address: assets!.navFeed, abi: rwaNavFeedAbi, functionName: 's_heartbeat' }),
        pub.readContract({ address: assets!.navFeed, abi: rwaNavFeedAbi, functionName: 'isStale' }),
      ]);
      expect(lines[i]).toMatchObject({
        answer: String(direct[i]!.nav),
        nav: formatUnits(NAV, decimals),
        decimals: String(decimals),
        round: String(direct[i]!.navRound),
        asOf: String(direct[i]!.navAsOf),
        heartbeat: String(heartbeat),
        nextDueBy: String(direct[i]!.navAsOf! + BigInt(heartbeat)),
        stale: String(stale),
        paused: 'false',
        stage: 'A',
        doNotUse: String(stale),
      });
      expect(lines[i]!.answer).toBe(String(NAV));
    }
  });

  it('holdings prints the investor units and supply against the cap on every chain', async () => {
    const { lines, code } = await example('holdings', DEMO_INVESTOR);
    expect(code).toBe(0);
    const direct = await inspectChains(stack.deployment, DEMO_INVESTOR);
    for (const [i, v] of direct.entries()) {
      expect(lines[i]).toMatchObject({ chain: String(v.chainId), balance: String(v.balance), allowed: String(v.investorAllowed), supply: String(v.totalSupply), cap: String(v.supplyCap), headroom: String(v.supplyCap - v.totalSupply), overCap: 'false' });
      expect(v.balance).toBe(AMOUNTS.get(v.chainId));
    }
    expect(lines[direct.length]).toMatchObject({
      total: 'all',
      supply: String(direct.reduce((s, v) => s + v.totalSupply, 0n)),
      cap: String(direct.reduce((s, v) => s + v.supplyCap, 0n)),
      balance: String([...AMOUNTS.values()].reduce((s, a) => s + a, 0n)),
    });
  });

  it('consistency says the DID is the same on every chain once the NAV applied everywhere', async () => {
    const { lines, code } = await example('consistency');
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({ consistent: 'true', chains: stack.deployment.chains.map((c) => c.chainId).join(','), unreachable: '-' });
    const direct = await inspectChains(stack.deployment, DEMO_INVESTOR);
    for (const [i, v] of direct.entries()) expect(lines[i + 1]).toMatchObject({ chain: String(v.chainId), round: String(v.navRound), answer: String(v.nav), paused: 'false', stage: 'A' });
    expect(lines.some((l) => 'differs' in l)).toBe(false);
  });

  it('redemption prints the stage and the anchored disclosure with its URI from the event', async () => {
    const { lines, code } = await example('redemption');
    expect(code).toBe(0);
    for (const c of stack.deployment.chains) {
      const mine = lines.filter((l) => l.chain === String(c.chainId));
      expect(mine[0]).toMatchObject({ stage: 'A', halted: 'false' });
      expect(mine[1]).toMatchObject({ docKind: 'auditReport', docHash: DOC_HASH, asOf: String(docAsOf), uri: DOC_URI });
    }
  });

  it('an example names the unknown DID it was given and exits 1', async () => {
    const { code, stderr, lines } = await example('read-nav', 'did:rwa:nobody:here');
    expect(code).toBe(1);
    expect(lines).toEqual([]);
    expect(stderr).toContain('error=unknown_did did=did:rwa:nobody:here');
  });

  // Last: it stops the relayer, so the stack delivers nothing more.
  it('consistency names the NAV fields that differ while a NAV has reached only the hub, with each chain value', async () => {
    const d = stack.deployment;
    await stopChild(stack.relayer);
    const next = NAV + 10_000n;
    const posted = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(d, next, Math.floor(Date.now() / 1000)));
    expect(posted.status).toBe(201);
    const att = posted.json as { message: Hex; deliveries: { chainId: number; receiver: Address; signatures: Hex }[] };
    const hub = d.chains[0]!;
    const toHub = att.deliveries.find((x) => x.chainId === hub.chainId)!;
    const wallet = createWalletClient({ account: privateKeyToAccount(ANVIL_DEPLOYER_KEY), transport: http(hub.rpcUrl) });
    const hash = await wallet.writeContract({ address: toHub.receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [att.message, toHub.signatures], chain: null });
    expect((await client(hub.rpcUrl).waitForTransactionReceipt({ hash, pollingInterval: 50 })).status).toBe('success');

    const { lines, code } = await example('consistency');
    expect(code).toBe(3);
    expect(lines[0]).toMatchObject({ consistent: 'false' });
    const direct = await inspectChains(d, DEMO_INVESTOR);
    expect(direct.map((v) => v.nav)).toEqual([next, NAV, NAV]);
    const differs = Object.fromEntries(lines.filter((l) => 'differs' in l).map((l) => [l.differs, l]));
    expect(Object.keys(differs)).toEqual(['navRound', 'navAnswer', 'navAsOf']);
    expect(differs.navRound).toMatchObject({ group: 'nav', values: direct.map((v) => `${v.chainId}:${v.navRound}`).join(',') });
    expect(differs.navAnswer?.values).toBe(direct.map((v) => `${v.chainId}:${v.nav}`).join(','));
    expect(differs.navAsOf?.values).toBe(direct.map((v) => `${v.chainId}:${v.navAsOf}`).join(','));
  });

  it('read-nav flags the NAV of a chain whose clock passed asOf + heartbeat as stale and not to be used, as the feed does', async () => {
    const spoke = stack.deployment.chains[2]!;
    const pub = client(spoke.rpcUrl);
    const assets = await didAssets(pub, spoke.receiver as Address, didHash());
    const [, , , asOf] = await pub.readContract({ address: assets!.navFeed, abi: rwaNavFeedAbi, functionName: 'latestRoundData' });
    const heartbeat = BigInt(await pub.readContract({ address: assets!.navFeed, abi: rwaNavFeedAbi, functionName: 's_heartbeat' }));
    const block = await pub.getBlock({ blockTag: 'latest' });
    const test = createTestClient({ mode: 'anvil', transport: http(spoke.rpcUrl) });
    await test.increaseTime({ seconds: Number(asOf + heartbeat + 1n - block.timestamp) });
    await test.mine({ blocks: 1 });
    expect(await pub.readContract({ address: assets!.navFeed, abi: rwaNavFeedAbi, functionName: 'isStale' })).toBe(true);

    const { lines, code } = await example('read-nav');
    expect(code).toBe(0);
    const byChain = new Map(lines.map((l) => [Number(l.chain), l]));
    expect(byChain.get(spoke.chainId)).toMatchObject({ stale: 'true', doNotUse: 'true', reasons: 'stale', nextDueBy: String(asOf + heartbeat) });
    for (const c of stack.deployment.chains.slice(0, 2)) expect(byChain.get(c.chainId)).toMatchObject({ stale: 'false', doNotUse: 'false', reasons: '-' });
  });
});
