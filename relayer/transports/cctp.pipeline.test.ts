import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createTestClient, createWalletClient, defineChain, http, parseAbiItem, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import pino from 'pino';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../schemas/ids.js';
import { encodeMessage, attestationId, type AttestationMessage } from '../../schemas/message.js';
import { Committee } from '../../oracle/issue/committee/local.js';
import { startAnvil, type AnvilChain } from '../../devnet/anvil.js';
import { buildCcipArtifacts, chainDeployer } from '../../devnet/ccip-lane.js';
import { openDb } from '../../common/sqlite.js';
import * as schema from '../store/schema.js';
import { Outbox, type Job, type NewJob } from '../store/outbox.js';
import { ChainWorker } from '../worker.js';
import { createMetrics } from '../metrics.js';
import { DEFAULT_BACKOFF, DID_WAIT_BACKOFF, PARK_BACKOFF } from '../retry.js';
import { NonceManager } from '../nonces.js';
import { CctpTransport } from './cctp.js';
import { appliedByReader } from './applied-by.js';
import { quorumArrivals } from './destination.js';

/**
 * Chain tests of pipelined and batched CCTP-style delivery on anvil: batches of mixed kinds in per-DID order, a
 * batch cut by the block gas limit, a crash in the middle of a batch, and the local nonce tracker (many in flight, a
 * stuck one replaced, the node's pool lost, another sender using the account).
 */
const committee = new Committee(DEV_COMMITTEE_KEYS);
const signers = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
const relayer = privateKeyToAccount(ANVIL_RELAYER_KEY).address;

let anvil: AnvilChain;
let receiver: Address;
let pub: PublicClient;
let test: ReturnType<typeof createTestClient>;
let seq = 0;
let didCount = 0;

const newDid = () => didHash(`did:rwa:pipeline-test:fund-${++didCount}` as DidString);
const config = (did: Hex, nonce = 1n): AttestationMessage => ({
  kind: 'config', did: did as ReturnType<typeof didHash>, nonce, threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6,
  heartbeat: 86_400, maxNavMoveBps: 500, signers, name: 'Pipeline Test Fund', symbol: 'PTF', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
});
const nav = (did: Hex, nonce: bigint, asOf: bigint): AttestationMessage => ({ kind: 'nav', did: did as ReturnType<typeof didHash>, nonce, nav: 100_000_000n, asOf });
const allow = (did: Hex, nonce: bigint): AttestationMessage => ({ kind: 'allowlist', did: did as ReturnType<typeof didHash>, nonce, entries: [{ account: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', allowed: true }] });

async function newJob(m: AttestationMessage): Promise<NewJob> {
  const message = encodeMessage(m);
  const signatures = await committee.signFor(m, { chainId: BigInt(anvil.chainId), receiver }, signers, DEV_COMMITTEE_THRESHOLD);
  return { attestationId: attestationId(message), seq: ++seq, did: `did:${m.did.slice(0, 10)}`, didHash: m.did, nonce: m.nonce.toString(), kind: m.kind, chainId: anvil.chainId, transport: 'cctp', receiver, quorumTransports: null, message, signatures };
}
const asJob = (j: NewJob, id: number): Job => ({ ...j, id, state: 'pending', attempts: 0, nextAttemptAt: 0, txHash: null, txNonce: null, maxFeePerGas: null, maxPriorityFeePerGas: null, batchRoot: null, batchProof: null, batchSignatures: null, lastError: null, createdAt: 0, updatedAt: 0, confirmedAt: null, quorumTransports: null });

function transport(nonces = new NonceManager(), receiptTimeoutMs = 30_000) {
  return new CctpTransport({ name: 'pipeline-test', chainId: anvil.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }, ANVIL_RELAYER_KEY, receiptTimeoutMs, nonces);
}

/** A worker with the real outbox (temp SQLite), transport and chain readers; `outbox` to share a store across a restart. */
function relayerOn(opts: { outbox?: Outbox; maxBatch?: number; t?: CctpTransport } = {}) {
  const outbox = opts.outbox ?? new Outbox(openDb(join(tmpdir(), `pipeline-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, '..', 'store', 'migrations')).db);
  const t = opts.t ?? transport();
  const worker = new ChainWorker({
    chainId: anvil.chainId, outbox, transports: new Map([['cctp', t]]), inFlightPollMs: 5_000, disabled: new Set(),
    arrivals: quorumArrivals(pub), appliedBy: appliedByReader(pub), policy: DEFAULT_BACKOFF, parkPolicy: PARK_BACKOFF, didWaitPolicy: DID_WAIT_BACKOFF,
    maxCcipExecutions: 3, metrics: createMetrics(), logger: pino({ level: 'silent' }), now: Date.now, random: () => 0.5, idleMs: 10,
    pipeline: { maxInFlight: 8, maxBatch: opts.maxBatch ?? 64 },
  });
  const pass = async () => {
    worker.tick();
    await worker.idle();
  };
  return { outbox, worker, pass, t };
}

const used = (did: Hex, nonce: bigint) => pub.readContract({ address: receiver, abi: [parseAbiItem('function isNonceUsed(bytes32,uint64) view returns (bool)')], functionName: 'isNonceUsed', args: [did, nonce] });
const countLogs = async (event: string, did: Hex) => (await pub.getLogs({ address: receiver, event: parseAbiItem(event) as never, args: { did } as never, fromBlock: 0n })).length;

describe('pipelined and batched CCTP-style delivery on anvil', () => {
  beforeAll(async () => {
    anvil = await startAnvil('pipeline-test', 41_601);
    buildCcipArtifacts();
    receiver = await chainDeployer(anvil).deploy('RwaReceiver', devReceiverArgs(signers, DEV_COMMITTEE_THRESHOLD));
    const chain = defineChain({ id: anvil.chainId, name: 'pipeline-test', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } });
    pub = createPublicClient({ chain, transport: http(anvil.rpcUrl), pollingInterval: 50 }) as PublicClient;
    test = createTestClient({ chain, mode: 'anvil', transport: http(anvil.rpcUrl) });
  }, 600_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('delivers mixed kinds of several DIDs in batches, each DID in its order (config, then allow-list, then NAV)', async () => {
    const r = relayerOn();
    const dids = [newDid(), newDid(), newDid()];
    const asOf = (await pub.getBlock()).timestamp - 60n;
    const jobs = [...dids.map((d) => config(d)), ...dids.map((d) => allow(d, 2n)), ...dids.map((d) => nav(d, 3n, asOf))];
    r.outbox.ingest(await Promise.all(jobs.map(newJob)), seq, Date.now());
    for (let i = 0; i < 3; i++) await r.pass();
    const rows = r.outbox.unfinished(anvil.chainId, 100);
    expect(rows).toEqual([]);
    const byKind = (k: string) => new Set(dids.map((d) => r.outbox.byAttestation(attestationId(encodeMessage(jobs.find((m) => m.kind === k && m.did === d)!)))[0]!.txHash));
    // One transaction per pass: the configs together, then the allow-lists, then the NAVs.
    expect([byKind('config').size, byKind('allowlist').size, byKind('nav').size]).toEqual([1, 1, 1]);
    for (const d of dids) for (const n of [1n, 2n, 3n]) expect(await used(d, n)).toBe(true);
    const blocks = await Promise.all(['config', 'allowlist', 'nav'].map(async (k) => (await pub.getTransactionReceipt({ hash: [...byKind(k)][0] as Hex })).blockNumber));
    expect(blocks[0]! < blocks[1]! && blocks[1]! < blocks[2]!).toBe(true);
  }, 120_000);

  it('cuts a batch the block gas limit cannot hold; every item is applied in transactions that fit', async () => {
    const r = relayerOn();
    const probe = asJob(await newJob(config(newDid())), 1_000);
    const one = await pub.estimateContractGas({ address: receiver, abi: [parseAbiItem('function receiveMessages(bytes[],bytes[])')], functionName: 'receiveMessages', args: [[probe.message as Hex], [probe.signatures as Hex]], account: relayer });
    const limit = (one * 35n) / 10n / 8n * 10n; // 80% of it holds about 3.5 configs
    const before = (await pub.getBlock()).gasLimit;
    await test.setBlockGasLimit({ gasLimit: limit });
    await test.mine({ blocks: 1 });
    try {
      const dids = Array.from({ length: 7 }, newDid);
      r.outbox.ingest(await Promise.all(dids.map((d) => newJob(config(d)))), seq, Date.now());
      for (let i = 0; i < 6 && r.outbox.depth(anvil.chainId) > 0; i++) await r.pass();
      expect(r.outbox.unfinished(anvil.chainId, 10).map((j) => j.lastError)).toEqual([]);
      for (const d of dids) expect(await used(d, 1n)).toBe(true);
      const txs = new Set(dids.map((d) => r.outbox.byAttestation(attestationId(encodeMessage(config(d))))[0]!.txHash as Hex));
      expect(txs.size).toBeGreaterThanOrEqual(3);
      for (const h of txs) expect((await pub.getTransactionReceipt({ hash: h })).gasUsed).toBeLessThanOrEqual(limit);
    } finally {
      await test.setBlockGasLimit({ gasLimit: before });
      await test.mine({ blocks: 1 });
    }
  }, 120_000);

  it('completes a batch after a crash in its middle, applying nothing twice', async () => {
    const dids = [newDid(), newDid(), newDid(), newDid()];
    const setupJobs = await Promise.all(dids.map((d) => newJob(config(d))));
    const warm = relayerOn();
    warm.outbox.ingest(setupJobs, seq, Date.now());
    await warm.pass();
    const asOf = (await pub.getBlock()).timestamp - 60n;
    const navJobs = await Promise.all(dids.map((d) => newJob(nav(d, 2n, asOf))));
    // Before the crash: the relayer sent the batch (the node holds it) but died before recording it.
    await test.setAutomine(false);
    try {
      const before = relayerOn();
      before.outbox.ingest(navJobs, seq, Date.now());
      const lost = await before.t.submitBatch(before.outbox.unfinished(anvil.chainId, 10));
      // The restart: a new process on the same store, the chain mining every second meanwhile.
      const after = relayerOn({ outbox: before.outbox });
      await test.setIntervalMining({ interval: 1 });
      await after.pass();
      expect(after.outbox.depth(anvil.chainId)).toBe(0);
      const receipt = await pub.getTransactionReceipt({ hash: lost.txHash });
      expect(receipt.status).toBe('success');
      for (const d of dids) {
        expect(await countLogs('event NavApplied(bytes32 indexed did, uint64 indexed nonce, uint80 roundId, uint256 nav, uint64 asOf)', d)).toBe(1);
      }
      // Whichever landed second skipped every item.
      const skipped = await Promise.all(dids.map((d) => countLogs('event BatchItemSkipped(bytes32 indexed did, uint64 indexed nonce, uint256 index)', d)));
      expect(skipped.every((n) => n <= 1)).toBe(true);
    } finally {
      await test.setIntervalMining({ interval: 0 });
      await test.setAutomine(true);
    }
  }, 120_000);

  it('at 2-s blocks keeps many single deliveries in flight: they share blocks instead of one per block', async () => {
    const dids = Array.from({ length: 6 }, newDid);
    const setup = relayerOn();
    setup.outbox.ingest(await Promise.all(dids.map((d) => newJob(config(d)))), seq, Date.now());
    await setup.pass();
    const asOf = (await pub.getBlock()).timestamp - 60n;
    const r = relayerOn({ maxBatch: 1 });
    const navs = await Promise.all(dids.map((d) => newJob(nav(d, 2n, asOf))));
    r.outbox.ingest(navs, seq, Date.now());
    await test.setAutomine(false);
    await test.setIntervalMining({ interval: 2 });
    try {
      await r.pass();
    } finally {
      await test.setIntervalMining({ interval: 0 });
      await test.setAutomine(true);
    }
    expect(r.outbox.depth(anvil.chainId)).toBe(0);
    const hashes = new Set(navs.map((j) => r.outbox.byAttestation(j.attestationId)[0]!.txHash as Hex));
    expect(hashes.size).toBe(6);
    const blocks = new Set(await Promise.all([...hashes].map(async (h) => (await pub.getTransactionReceipt({ hash: h })).blockNumber)));
    expect(blocks.size).toBeLessThanOrEqual(2);
  }, 120_000);

  describe('the local nonce tracker', () => {
    it('keeps many deliveries in flight on consecutive nonces, reading the node once; a stuck one is replaced in place', async () => {
      const nonces = new NonceManager();
      const t = transport(nonces, 300);
      const jobs = await Promise.all([1, 2, 3].map(async (i) => asJob(await newJob(config(newDid())), 2_000 + i)));
      await test.setAutomine(false);
      try {
        const start = await pub.getTransactionCount({ address: relayer, blockTag: 'pending' });
        const sent = [];
        for (const j of jobs) sent.push(await t.submit(j));
        expect(sent.map((s) => s.nonce)).toEqual([start, start + 1, start + 2]);
        expect(nonces.reads).toBe(1);
        expect(await t.waitForReceipt(sent[1]!.txHash)).toEqual({ status: 'unknown' });
        const replaced = await t.submit(jobs[1]!, { nonce: sent[1]!.nonce!, fees: sent[1]!.fees!, txHash: sent[1]!.txHash });
        expect(replaced.nonce).toBe(start + 1);
        await test.mine({ blocks: 1 });
        for (const j of jobs) expect(await t.isApplied(j)).toBe(true);
        expect(await pub.getTransactionCount({ address: relayer })).toBe(start + 3);
      } finally {
        await test.setAutomine(true);
      }
    }, 60_000);

    it('sends again on its own nonce what the node lost (a restart emptied its pool), filling the gap', async () => {
      const nonces = new NonceManager();
      const t = transport(nonces, 300);
      const jobs = await Promise.all([1, 2, 3].map(async (i) => asJob(await newJob(config(newDid())), 3_000 + i)));
      await test.setAutomine(false);
      try {
        const start = await pub.getTransactionCount({ address: relayer, blockTag: 'pending' });
        const sent = [];
        for (const j of jobs) sent.push(await t.submit(j));
        // The middle one is lost: a gap holds the third.
        await test.dropTransaction({ hash: sent[1]!.txHash });
        const again = await t.submit(jobs[1]!, { nonce: sent[1]!.nonce!, fees: sent[1]!.fees!, txHash: sent[1]!.txHash });
        expect(again.nonce).toBe(start + 1);
        // The node may have dropped the third with it: followed the same way, it is replaced or sent again in place.
        expect((await t.submit(jobs[2]!, { nonce: sent[2]!.nonce!, fees: sent[2]!.fees!, txHash: sent[2]!.txHash })).nonce).toBe(start + 2);
        await test.mine({ blocks: 1 });
        for (const j of jobs) expect(await t.isApplied(j)).toBe(true);
        // All of them lost: each is sent again on its own nonce.
        const more = await Promise.all([1, 2].map(async (i) => asJob(await newJob(config(newDid())), 3_100 + i)));
        const first = [await t.submit(more[0]!), await t.submit(more[1]!)];
        for (const f of first) await test.dropTransaction({ hash: f.txHash });
        const resent = [];
        for (const [i, j] of more.entries()) resent.push(await t.submit(j, { nonce: first[i]!.nonce!, fees: first[i]!.fees!, txHash: first[i]!.txHash }));
        expect(resent.map((s) => s.nonce)).toEqual(first.map((s) => s.nonce));
        await test.mine({ blocks: 1 });
        for (const j of more) expect(await t.isApplied(j)).toBe(true);
      } finally {
        await test.setAutomine(true);
      }
    }, 60_000);

    it('fills a gap below a stuck delivery (its earlier nonce never reached the node): the stuck ones mine as they are', async () => {
      const nonces = new NonceManager();
      const t = transport(nonces, 300);
      const jobs = await Promise.all([1, 2, 3].map(async (i) => asJob(await newJob(config(newDid())), 3_500 + i)));
      await test.setAutomine(false);
      try {
        const start = await pub.getTransactionCount({ address: relayer, blockTag: 'pending' });
        const sent = [];
        for (const j of jobs) sent.push(await t.submit(j));
        // The first is lost and its job settled another way, so nobody sends on its nonce again: a gap holds the rest.
        await test.dropTransaction({ hash: sent[0]!.txHash });
        expect(await pub.getTransactionCount({ address: relayer, blockTag: 'pending' })).toBe(start);
        const followed = await t.submit(jobs[1]!, { nonce: sent[1]!.nonce!, fees: sent[1]!.fees!, txHash: sent[1]!.txHash });
        expect(followed.nonce).toBe(start + 1);
        // The gap is filled: the node's pending count passes the stuck one.
        expect(await pub.getTransactionCount({ address: relayer, blockTag: 'pending' })).toBe(start + 2);
        // The node may have dropped the third with the first: followed the same way, it stays on its nonce.
        expect((await t.submit(jobs[2]!, { nonce: sent[2]!.nonce!, fees: sent[2]!.fees!, txHash: sent[2]!.txHash })).nonce).toBe(start + 2);
        await test.mine({ blocks: 1 });
        expect(await t.isApplied(jobs[0]!)).toBe(false);
        expect(await t.isApplied(jobs[1]!)).toBe(true);
        expect(await t.isApplied(jobs[2]!)).toBe(true);
        expect(await pub.getTransactionCount({ address: relayer })).toBe(start + 3);
        // The tracker reads the node again after a fill: the next send goes after the stuck ones.
        const next = await t.submit(await asJob(await newJob(config(newDid())), 3_600));
        expect(next.nonce).toBe(start + 3);
      } finally {
        await test.setAutomine(true);
      }
    }, 60_000);

    it('reads the node again when another sender used the account (nonce too low) and sends on', async () => {
      const nonces = new NonceManager();
      const t = transport(nonces);
      const [a, b] = await Promise.all([1, 2].map(async (i) => asJob(await newJob(config(newDid())), 4_000 + i)));
      await t.submit(a!);
      const other = createWalletClient({ account: privateKeyToAccount(ANVIL_RELAYER_KEY), chain: pub.chain, transport: http(anvil.rpcUrl) });
      await other.sendTransaction({ to: relayer, value: 0n, chain: null });
      const sent = await t.submit(b!);
      expect(nonces.reads).toBe(2);
      expect(await t.waitForReceipt(sent.txHash)).toEqual({ status: 'success' });
      expect(sent.nonce).toBe((await pub.getTransactionCount({ address: relayer })) - 1);
    }, 60_000);
  });
});
