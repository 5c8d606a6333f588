import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { createTestClient, createWalletClient, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi } from '../schemas/abi.js';
import { DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import { publicClientOf } from '../devnet/quorum.js';
import { postJson, signMove, signReserve } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { expectSupplyConserved } from './lib/supply.js';
import { bootstrapDemo, custodianDomainOf, demoNav, demoSubscription, DEMO_INVESTOR, DEMO_RESERVE } from '../devnet/demo.js';
import { inspectChains } from '../devnet/inspect.js';
import { waitFor } from '../testkit/wait.js';
import { stopChild } from '../devnet/anvil.js';
import type { FaultStep } from '../oracle/issue/fault.js';

// Fault injection on one stack (three anvil chains, three signer processes): the oracle SIGKILLs itself at a step
// of a signing round (ORACLE_FAULT, dev mode only), is restarted on the same store, and every request is retried.
type Kind = 'settlement' | 'nav' | 'reserve' | 'move';
type RoundKind = Kind | 'config';
interface FeedItem {
  id: string;
  did: string;
  nonce: string;
  kind: string;
  deliveries: { chainId: number }[];
}

let stack: Stack;
let dataDir: string;
let oracle: ChildProcess;
const NAV = 100_000_000n;
const base = Math.floor(Date.now() / 1000) - 3_000;
let seq = 0;

async function request(kind: Kind): Promise<{ path: string; body: unknown }> {
  const d = stack.deployment;
  const [, spokeA, spokeB] = d.chains;
  seq += 1;
  switch (kind) {
    case 'settlement':
      return { path: '/v1/settlements', body: await demoSubscription(d, spokeA!.chainId, `FAULT-SUB-${seq}`, 1_000_000n, base + seq) };
    case 'nav':
      return { path: '/v1/nav', body: await demoNav(d, NAV, base + seq) };
    case 'reserve':
      return { path: '/v1/reserve', body: await signReserve(DEV_CUSTODIAN_KEY, custodianDomainOf(d), { did: d.dids[0]!.did, reserve: (DEMO_RESERVE + BigInt(seq)).toString(), asOf: Math.floor(Date.now() / 1000) + seq }) };
    case 'move':
      return {
        path: '/v1/moves',
        body: await signMove(DEV_CUSTODIAN_KEY, custodianDomainOf(d), { did: d.dids[0]!.did, ref: `FAULT-MOVE-${seq}`, investor: DEMO_INVESTOR, amount: '1000', fromChainId: spokeA!.chainId, toChainId: spokeB!.chainId }),
      };
  }
}

/**
 * The issuer changes the DID's heartbeat on the hub registry (updateConfig, same signers): the oracle's registry sync
 * then runs a config round on its own, no custodian request involved.
 */
async function changeConfig(): Promise<void> {
  const d = stack.deployment;
  const hub = d.chains.find((c) => c.chainId === d.hub.chainId)!;
  const pub = publicClientOf(hub);
  const issuer = createWalletClient({ chain: pub.chain, transport: http(hub.rpcUrl), account: privateKeyToAccount(DEV_ISSUER_KEY) });
  await createTestClient({ chain: pub.chain, mode: 'anvil', transport: http(hub.rpcUrl) }).setBalance({ address: issuer.account.address, value: 10n ** 19n });
  const didHash = d.dids[0]!.didHash as Hex;
  const r = await pub.readContract({ address: d.hub.registry as Address, abi: rwaDidRegistryAbi, functionName: 'getDid', args: [didHash] });
  seq += 1;
  const hash = await issuer.writeContract({
    address: d.hub.registry as Address,
    abi: rwaDidRegistryAbi,
    functionName: 'updateConfig',
    args: [didHash, r.signers, r.config.threshold, 86_400 + seq, r.config.maxNavMoveBps, r.signersValidUntil],
  });
  expect((await pub.waitForTransactionReceipt({ hash })).status).toBe('success');
}

/** Restarts the oracle on the same store (the previous one stopped or dead), with an optional fault armed. */
async function restart(fault?: string): Promise<void> {
  await stopChild(oracle);
  oracle = await stack.startOracle({ ORACLE_SIGNER_TIMEOUT_MS: '1000', ORACLE_PROPOSAL_SWEEP_MS: '500', ...(fault ? { ORACLE_FAULT: fault } : {}) });
}

const post = (path: string, body: unknown) => postJson(`${stack.oracleUrl}${path}`, body);

async function feed(): Promise<FeedItem[]> {
  const page = (await (await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=500`)).json()) as { items: FeedItem[] };
  return page.items;
}

describe('signing rounds survive an aggregator killed at any step and signers that time out', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rwa-e2e-fault-'));
    stack = await startStack({ dataDir, logLevel: 'warn', signers: 3 });
    oracle = stack.oracle;
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
    // Units on spoke-a to move.
    const sub = await request('settlement');
    expect((await post(sub.path, sub.body)).status).toBe(201);
    await waitFor(async () => (await inspectChains(stack.deployment, DEMO_INVESTOR)).find((v) => v.name === 'spoke-a')!.balance > 0n, { what: 'units on spoke-a', timeoutMs: 60_000 });
  }, 180_000);
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a second oracle on the same store at once, non-zero, naming the store', async () => {
    const env = { ...process.env, ORACLE_DEPLOYMENT: stack.deploymentPath, ORACLE_DB: join(dataDir, 'oracle.sqlite'), ORACLE_DEV_MODE: '1', ORACLE_PORT: '0' };
    const second = spawn(process.execPath, ['--import', 'tsx', 'oracle/main.ts'], { cwd: join(import.meta.dirname, '..'), env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    second.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => second.kill('SIGKILL'), 30_000);
    const [code] = (await once(second, 'exit')) as [number | null];
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(stderr).toMatch(/another oracle instance holds .*oracle\.sqlite \(pid \d+/);
  });

  it('completes every killed round on retry, keeps every DID open, and signs no nonce twice', async () => {
    const cases: [FaultStep, RoundKind][] = [
      ['before_ask', 'settlement'],
      ['after_threshold', 'config'],
      ['after_one_signer', 'nav'],
      ['after_threshold', 'reserve'],
      ['before_answer', 'move'],
      ['after_threshold', 'settlement'],
      ['before_answer', 'nav'],
      ['before_ask', 'reserve'],
      ['before_answer', 'config'],
      ['after_one_signer', 'settlement'],
    ];
    const sent: { path: string; body: unknown }[] = [];
    // Consecutive cases differ in kind and each killed request is retried by the next incarnation: no round of the
    // armed kind is left open for that incarnation's boot sweep to die on before it is healthy.
    for (const [step, kind] of cases) {
      await restart(`${step}:${kind}`);
      const previous = sent.at(-1);
      if (previous) expect([200, 201]).toContain((await post(previous.path, previous.body)).status);
      if (kind === 'config') {
        // The registry sync's round dies (its completion is the next incarnation's boot sweep or sync).
        await changeConfig();
      } else {
        const r = await request(kind);
        sent.push(r);
        // The oracle dies in the middle of this request: no answer at all.
        await expect(post(r.path, r.body)).rejects.toThrow();
      }
      await waitFor(async () => oracle.signalCode === 'SIGKILL', { what: `the oracle killed at ${step}:${kind}`, timeoutMs: 30_000 });
    }

    // Signers time out: two of three hang (SIGSTOP) past the oracle's 1 s deadline; the round stays open.
    await restart();
    const hung = stack.signers.slice(1).map((s) => s.process);
    for (const p of hung) p.kill('SIGSTOP');
    const slow = await request('settlement');
    sent.push(slow);
    expect((await post(slow.path, slow.body)).status).toBe(503);
    for (const p of hung) p.kill('SIGCONT');

    // Every retried request gets its attestation (the sweep may have completed it first: 200), exactly once.
    const ids = new Set<string>();
    for (const r of sent) {
      const first = await post(r.path, r.body);
      expect([200, 201]).toContain(first.status);
      const again = await post(r.path, r.body);
      expect(again.status).toBe(200);
      const id = (first.json as { id?: string; out?: { id: string } }).id ?? (first.json as { out: { id: string } }).out.id;
      expect((again.json as { id?: string; out?: { id: string } }).id ?? (again.json as { out: { id: string } }).out.id).toBe(id);
      ids.add(id);
    }
    expect(ids.size).toBe(sent.length);

    // Both config rounds completed: the chains' config is the registry's latest (one config attestation per change).
    const configs = (await feed()).filter((i) => i.kind === 'config');
    expect(configs.length).toBe(3);

    // Every kind is still accepted for the DID.
    for (const kind of ['settlement', 'nav', 'reserve', 'move'] as const) {
      const r = await request(kind);
      const res = await post(r.path, r.body);
      expect(res.status, `${kind}: ${JSON.stringify(res.json)}`).toBe(201);
    }

    // One message per (DID, nonce) in the oracle and in every signer's equivocation record, and the same one.
    const items = await feed();
    const byNonce = new Map<string, string>();
    for (const i of items) {
      const key = `${i.did}:${i.nonce}`;
      expect(byNonce.has(key)).toBe(false);
      byNonce.set(key, i.id);
    }
    const didHash = stack.deployment.dids[0]!.didHash;
    const did = stack.deployment.dids[0]!.did;
    for (const file of readdirSync(dataDir).filter((f) => /^signer-.*\.sqlite$/.test(f))) {
      const db = new Database(join(dataDir, file), { readonly: true });
      const rows = db.prepare('SELECT nonce, message_hash AS id FROM signed_messages WHERE did_hash = ?').all(didHash) as { nonce: string; id: string }[];
      db.close();
      for (const row of rows) {
        const stored = byNonce.get(`${did}:${row.nonce}`);
        // A nonce the signers signed is either the oracle's attestation at that nonce or a round still open/closed.
        if (stored) expect(row.id).toBe(stored);
      }
    }
    const oracleDb = new Database(join(dataDir, 'oracle.sqlite'), { readonly: true });
    const proposals = oracleDb.prepare('SELECT did_hash AS didHash, nonce, id, state FROM proposals').all() as { didHash: string; nonce: number; id: string; state: string }[];
    oracleDb.close();
    for (const p of proposals.filter((x) => x.state === 'done')) expect(byNonce.get(`${did}:${p.nonce}`)).toBe(p.id);

    // Every chain applies every attestation (receivers mark each nonce once: never twice).
    await waitFor(
      async () => {
        for (const i of await feed()) {
          const status = (await (await fetch(`${stack.oracleUrl}/v1/attestations/${i.id}`)).json()) as { delivery: { state: string }[] };
          if (status.delivery.length !== i.deliveries.length || status.delivery.some((d) => d.state !== 'applied')) return false;
        }
        return true;
      },
      { what: 'every attestation applied on each of its chains', timeoutMs: 90_000 },
    );
  }, 240_000);
});
