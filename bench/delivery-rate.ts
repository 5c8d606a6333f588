/**
 * Deliveries per second to one chain mining a block every `--block-time` seconds (anvil interval mining), for the
 * chain worker as it was (one transaction in flight, no batches), pipelined one job per transaction, and pipelined
 * with batches. Each delivery is a NAV round of its own DID (so no per-DID order holds them back).
 * Usage: npx tsx bench/delivery-rate.ts [--block-time 2] [--before 20] [--pipelined 100] [--batched 300]
 */
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createPublicClient, createTestClient, defineChain, http, type Address, type PublicClient } from 'viem';
import { DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, DEV_SIGNERS_VALID_UNTIL, ANVIL_RELAYER_KEY, devReceiverArgs } from '../schemas/dev-keys.js';
import { didHash, type DidString } from '../schemas/ids.js';
import { attestationId, encodeMessage, type AttestationMessage } from '../schemas/message.js';
import { Committee } from '../oracle/issue/committee/local.js';
import { startAnvil } from '../devnet/anvil.js';
import { buildCcipArtifacts, chainDeployer } from '../devnet/ccip-lane.js';
import { openDb } from '../common/sqlite.js';
import * as schema from '../relayer/store/schema.js';
import { Outbox, type NewJob } from '../relayer/store/outbox.js';
import { ChainWorker } from '../relayer/worker.js';
import { createMetrics } from '../relayer/metrics.js';
import { DEFAULT_BACKOFF, DID_WAIT_BACKOFF, PARK_BACKOFF } from '../relayer/retry.js';
import { CctpTransport } from '../relayer/transports/cctp.js';
import { appliedByReader } from '../relayer/transports/applied-by.js';
import { quorumArrivals } from '../relayer/transports/destination.js';

const { values } = parseArgs({ options: { 'block-time': { type: 'string', default: '2' }, before: { type: 'string', default: '20' }, pipelined: { type: 'string', default: '100' }, batched: { type: 'string', default: '300' } } });
const blockTime = Number(values['block-time']);
const committee = new Committee(DEV_COMMITTEE_KEYS);
const signers = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
const anvil = await startAnvil('delivery-rate', 41_701);
let seq = 0;
try {
  buildCcipArtifacts();
  const receiver: Address = await chainDeployer(anvil).deploy('RwaReceiver', devReceiverArgs(signers, DEV_COMMITTEE_THRESHOLD));
  const chain = defineChain({ id: anvil.chainId, name: 'delivery-rate', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } });
  const pub = createPublicClient({ chain, transport: http(anvil.rpcUrl) }) as PublicClient;
  const test = createTestClient({ chain, mode: 'anvil', transport: http(anvil.rpcUrl) });
  const outbox = new Outbox(openDb(join(tmpdir(), `delivery-rate-${process.pid}.sqlite`), schema, join(import.meta.dirname, '..', 'relayer', 'store', 'migrations')).db);
  const job = async (m: AttestationMessage): Promise<NewJob> => {
    const message = encodeMessage(m);
    const signatures = await committee.signFor(m, { chainId: BigInt(anvil.chainId), receiver }, signers, DEV_COMMITTEE_THRESHOLD);
    return { attestationId: attestationId(message), seq: ++seq, did: m.did, didHash: m.did, nonce: m.nonce.toString(), kind: m.kind, chainId: anvil.chainId, transport: 'cctp', receiver, quorumTransports: null, message, signatures };
  };
  const run = async (pipeline: { maxInFlight: number; maxBatch: number }, jobs: NewJob[]) => {
    const worker = new ChainWorker({
      chainId: anvil.chainId, outbox, transports: new Map([['cctp', new CctpTransport({ name: 'delivery-rate', chainId: anvil.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }, ANVIL_RELAYER_KEY, 60_000)]]),
      inFlightPollMs: 5_000, disabled: new Set(), arrivals: quorumArrivals(pub), appliedBy: appliedByReader(pub), policy: DEFAULT_BACKOFF, parkPolicy: PARK_BACKOFF,
      didWaitPolicy: DID_WAIT_BACKOFF, maxCcipExecutions: 3, metrics: createMetrics(), logger: pino({ level: 'warn' }), now: Date.now, random: Math.random, idleMs: 50, pipeline,
    });
    const started = Date.now();
    outbox.ingest(jobs, seq, started);
    worker.start();
    while (outbox.depth(anvil.chainId) > 0) {
      if (Date.now() - started > 900_000) throw new Error('deliveries did not finish within 15 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    await worker.stop();
    const dead = outbox.deadLetters().length;
    return { seconds, rate: jobs.length / seconds, dead };
  };
  const dids = Array.from({ length: Math.max(Number(values.before), Number(values.pipelined), Number(values.batched)) }, (_, i) => didHash(`did:rwa:delivery-rate:${i}` as DidString));
  // Setup at automine: every DID configured (batched).
  const configs = await Promise.all(dids.map((did) => job({ kind: 'config', did, nonce: 1n, threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers, name: 'Rate', symbol: 'RT', signersValidUntil: DEV_SIGNERS_VALID_UNTIL })));
  await run({ maxInFlight: 8, maxBatch: 16 }, configs);
  let nonce = 1n;
  const navRound = async (n: number) => {
    nonce += 1n;
    const asOf = (await pub.getBlock()).timestamp - 3_600n + nonce;
    return Promise.all(dids.slice(0, n).map((did) => job({ kind: 'nav', did, nonce, nav: 100_000_000n, asOf })));
  };
  if (blockTime > 0) await test.setIntervalMining({ interval: blockTime });
  const rows: string[] = [];
  for (const [name, pipeline, n] of [
    ['before: 1 in flight, no batches', { maxInFlight: 1, maxBatch: 1 }, Number(values.before)],
    ['pipelined: 16 in flight, no batches', { maxInFlight: 16, maxBatch: 1 }, Number(values.pipelined)],
    ['pipelined and batched: 16 in flight, batches of 64', { maxInFlight: 16, maxBatch: 64 }, Number(values.batched)],
  ] as const) {
    const r = await run(pipeline, await navRound(n));
    rows.push(`| ${name} | ${n} | ${r.seconds.toFixed(1)} s | ${r.rate.toFixed(2)} /s | ${r.dead} |`);
  }
  process.stdout.write(`block time ${blockTime} s\n| worker | deliveries | took | deliveries/s | dead |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
} finally {
  await anvil.stop();
}
