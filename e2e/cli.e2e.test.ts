import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestClient, http, keccak256, stringToBytes, toHex, type Address, type Hex } from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_NAV_PUBLISHER_KEY, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import { rwaDidRegistryAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { publicClientOf } from '../devnet/quorum.js';
import { waitFor } from '../testkit/wait.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, DEMO_INVESTOR } from '../devnet/demo.js';
import { inspectChains } from '../devnet/inspect.js';

/** Anvil's public test mnemonic: account #3 is the demo investor, the holder who redeems here. */
const HOLDER_KEY = toHex(mnemonicToAccount('test test test test test test test test test test test junk', { addressIndex: 3 }).getHdKey().privateKey!);
const ROOT = join(import.meta.dirname, '..');
const PASSWORD = 'e2e keystore password';

let stack: Stack;
let dir: string;

/** Runs `rwa` as a user would (the package bin, a child process) with the stack's URLs in the environment. */
function rwa(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', RWA_DEPLOYMENT: stack.deploymentPath, RWA_ORACLE_URL: stack.oracleUrl, RWA_RELAYER_URL: stack.relayerUrl };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(ROOT, 'cli', 'bin', 'rwa.mjs'), ...args], { cwd: dir, env: { ...base, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

const json = <T>(r: { stdout: string; stderr: string }): T => {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON: ${r.stdout}\nstderr: ${r.stderr}`);
  }
};

/** The demo investor's units on spoke-a, read in process (the CLI's own reading is checked once, in text). */
async function spokeABalance(): Promise<bigint> {
  const v = (await inspectChains(stack.deployment, DEMO_INVESTOR)).find((c) => c.name === 'spoke-a');
  if (!v) throw new Error('no spoke-a');
  return v.balance;
}

describe('rwa CLI against a devnet stack (child processes)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rwa-cli-e2e-'));
    stack = await startStack({ dataDir: join(dir, 'data'), logLevel: 'warn' });
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('imports keys into keystores, posts a settlement from one and sees it applied through status and holdings', async () => {
    // Light scrypt keeps the test fast; the default cost is the one geth writes.
    const custodian = await rwa(['keys', 'import', '--out', 'custodian.json', '--scrypt-n', '16384', '--json'], { RWA_PRIVATE_KEY: DEV_CUSTODIAN_KEY, RWA_KEYSTORE_PASSWORD: PASSWORD });
    expect(custodian.code, custodian.stderr).toBe(0);
    expect(existsSync(join(dir, 'custodian.json'))).toBe(true);
    const before = await spokeABalance();
    const post = await rwa(
      ['post', 'settlement', '--keystore', 'custodian.json', '--chainId', 'spoke-a', '--kind', 'subscription', '--settlementRef', 'CLI-SUB-1', '--investor', DEMO_INVESTOR, '--amount', '25000000', '--cashLegRef', keccak256(stringToBytes('wire CLI-SUB-1')), '--json'],
      { RWA_KEYSTORE_PASSWORD: PASSWORD },
    );
    expect(post.code, post.stderr).toBe(0);
    const { answer } = json<{ answer: { id: Hex; deliveries: { chainId: number }[] } }>(post);
    expect(answer.deliveries.map((d) => d.chainId)).toEqual([stack.deployment.chains.find((c) => c.name === 'spoke-a')!.chainId]);

    const status = await rwa(['status', answer.id, '--wait', '--timeout', '60', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const s = json<{ applied: boolean; attestation: { delivery: { state: string }[] }; deliveries: { state: string }[] }>(status);
    expect(s.applied).toBe(true);
    expect(s.attestation.delivery.map((d) => d.state)).toEqual(['applied']);

    const holdings = await rwa(['holdings', DEMO_INVESTOR]);
    expect(holdings.code, holdings.stderr).toBe(0);
    expect(holdings.stdout).toMatch(/spoke-a\s+\d+\s+holdings 25\b/);
    expect(await spokeABalance()).toBe(before + 25_000_000n);
  });

  it("exits 1 with the oracle's code and field when the oracle refuses the request", async () => {
    const r = await rwa(
      ['post', 'settlement', '--chainId', 'spoke-a', '--kind', 'subscription', '--settlementRef', 'CLI-SUB-OUT', '--investor', DEMO_INVESTOR, '--amount', '1', '--cashLegRef', keccak256(stringToBytes('x')), '--json'],
      { RWA_PRIVATE_KEY: DEV_OUTSIDER_KEY },
    );
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ error: { code: 'refused', reason: 'not_a_custodian', field: 'signature', status: 403 } });
    expect(r.stderr).toMatch(/403 not_a_custodian, field signature/);
  });

  it('requests a redemption as the holder and cancels it; a second cancel is refused by the chain', async () => {
    // The holder's key reaches its keystore through standard input.
    const holder = await rwa(['keys', 'import', '--out', 'holder.json', '--scrypt-n', '16384'], { RWA_KEYSTORE_PASSWORD: PASSWORD }, HOLDER_KEY);
    expect(holder.code, holder.stderr).toBe(0);
    expect(holder.stdout).toContain(DEMO_INVESTOR);
    const start = await spokeABalance();
    expect(start).toBeGreaterThanOrEqual(10_000_000n);
    const req = await rwa(['redeem', 'request', '--keystore', 'holder.json', '--chain', 'spoke-a', '--amount', '10000000', '--json'], { RWA_KEYSTORE_PASSWORD: PASSWORD });
    expect(req.code, req.stderr).toBe(0);
    const { requestId, owner } = json<{ requestId: string; owner: string }>(req);
    expect(owner).toBe(DEMO_INVESTOR);
    expect(await spokeABalance()).toBe(start - 10_000_000n);

    const cancel = await rwa(['redeem', 'cancel', '--keystore', 'holder.json', '--chain', 'spoke-a', '--requestId', requestId], { RWA_KEYSTORE_PASSWORD: PASSWORD });
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`request ${requestId} on spoke-a cancelled: 10000000 base units`));
    expect(await spokeABalance()).toBe(start);

    const again = await rwa(['redeem', 'cancel', '--keystore', 'holder.json', '--chain', 'spoke-a', '--requestId', requestId, '--json'], { RWA_KEYSTORE_PASSWORD: PASSWORD });
    expect(again.code).toBe(1);
    expect(json(again)).toMatchObject({ error: { code: 'refused', reason: 'RequestClosed' } });
  });

  it('posts a NAV read back per chain by rwa nav; the issuer sets a transport quorum and a redemption policy on the hub', async () => {
    const nav = await rwa(['post', 'nav', '--nav', '100370000'], { RWA_PRIVATE_KEY: DEV_NAV_PUBLISHER_KEY });
    expect(nav.code, nav.stderr).toBe(0);
    await waitFor(async () => (await inspectChains(stack.deployment, DEMO_INVESTOR)).every((v) => v.nav === 100_370_000n), { what: 'the NAV on every chain', timeoutMs: 60_000 });
    const read = await rwa(['nav', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(json<{ chains: { nav: string }[] }>(read).chains.map((c) => c.nav)).toEqual(stack.deployment.chains.map(() => '100370000'));

    const hub = stack.deployment.chains.find((c) => c.chainId === stack.deployment.hub.chainId)!;
    await createTestClient({ mode: 'anvil', transport: http(hub.rpcUrl) }).setBalance({ address: privateKeyToAccount(DEV_ISSUER_KEY).address, value: 10n ** 19n });
    const quorum = await rwa(['quorum', 'set', '--chain', 'spoke-a', '--k', '1', '--transports', 'cctp', '--wait', '--timeout', '60'], { RWA_PRIVATE_KEY: DEV_ISSUER_KEY });
    expect(quorum.code, quorum.stderr).toBe(0);
    const spokeA = stack.deployment.chains.find((c) => c.name === 'spoke-a')!;
    const didHash = stack.deployment.dids[0]!.didHash as Hex;
    expect(await publicClientOf(spokeA).readContract({ address: spokeA.receiver as Address, abi: rwaReceiverAbi, functionName: 'transportQuorumOf', args: [didHash] })).toEqual([1, 1]);

    const policy = await rwa(['policy', 'set', '--stageBBps', '200', '--instalments', '5', '--json'], { RWA_PRIVATE_KEY: DEV_ISSUER_KEY });
    expect(policy.code, policy.stderr).toBe(0);
    const onHub = await publicClientOf(hub).readContract({ address: stack.deployment.hub.registry as Address, abi: rwaDidRegistryAbi, functionName: 'redemptionPolicyOf', args: [didHash] });
    expect(onHub).toMatchObject({ stageBBps: 200, instalments: 5 });
    const outsider = await rwa(['policy', 'set', '--stageBBps', '250', '--json'], { RWA_PRIVATE_KEY: DEV_OUTSIDER_KEY });
    expect(outsider.code).toBe(1);
    expect(json(outsider)).toMatchObject({ error: { code: 'refused', reason: 'NotIssuer' } });
  });

  it("lists the relayer's dead letters and asks it to retry one with the operator token only", async () => {
    const dead = await rwa(['dead-letters', '--json']);
    expect(dead.code, dead.stderr).toBe(0);
    expect(json(dead)).toEqual({ items: [] });
    const wrong = await rwa(['retry', '1', '--json'], { RWA_RELAYER_TOKEN: 'x'.repeat(48) });
    expect(wrong.code).toBe(1);
    expect(json(wrong)).toMatchObject({ error: { reason: 'unauthorized', status: 401 } });
    const notDead = await rwa(['retry', '1', '--json'], { RWA_RELAYER_TOKEN: stack.relayerAdminToken });
    expect(notDead.code).toBe(1);
    expect(json(notDead)).toMatchObject({ error: { reason: 'not_dead', field: 'jobId', status: 404 } });
  });
});
