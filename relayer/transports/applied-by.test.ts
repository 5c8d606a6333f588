import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, defineChain, http, type Address, type Hex, type PublicClient } from 'viem';
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
import { Outbox, type NewJob } from '../store/outbox.js';
import { ChainWorker } from '../worker.js';
import { createMetrics } from '../metrics.js';
import { DEFAULT_BACKOFF, DID_WAIT_BACKOFF, PARK_BACKOFF } from '../retry.js';
import { CctpTransport } from './cctp.js';
import { appliedByReader, classifyInput } from './applied-by.js';

/**
 * A delivery is recognised by its message, not by its nonce: after an oracle store restore, a new attestation that
 * re-uses a nonce already used on chain must never be reported delivered.
 */
const DID = 'did:rwa:applied-by-test:fund' as DidString;
const committee = new Committee(DEV_COMMITTEE_KEYS);
const signers = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));

let anvil: AnvilChain;
let receiver: Address;
let pub: PublicClient;

const config = (name: string): AttestationMessage => ({
  kind: 'config', did: didHash(DID), nonce: 1n, threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6,
  heartbeat: 86_400, maxNavMoveBps: 500, signers, name, symbol: 'ABT', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
});

async function newJob(m: AttestationMessage, seq: number): Promise<NewJob> {
  const message = encodeMessage(m);
  const signatures = await committee.signFor(m, { chainId: BigInt(anvil.chainId), receiver }, signers, DEV_COMMITTEE_THRESHOLD);
  return { attestationId: attestationId(message), seq, did: DID, didHash: m.did, nonce: m.nonce.toString(), kind: m.kind, chainId: anvil.chainId, transport: 'cctp', receiver, quorumTransports: null, message, signatures };
}

describe('classifyInput', () => {
  const msg = `0x0103${'ab'.repeat(32)}${'00'.repeat(7)}01beef` as Hex;
  it.each([
    ['the whole message', `0x12345678${msg.slice(2)}00`, 'ours'],
    ['only its (did, nonce)', `0x12345678${msg.slice(2, 2 + 84)}cafe`, 'other'],
    ['neither', `0x12345678${'ab'.repeat(32)}`, undefined],
    ['the message off a byte boundary', `0x1${msg.slice(2)}0`, undefined],
  ] as const)('%s -> %s', (_n, input, expected) => {
    expect(classifyInput(input as Hex, msg)).toBe(expected);
  });

  // A settlement as a receiveBatch item: the DID once in the call, the item without it (packBatchItems).
  const did = 'ab'.repeat(32);
  const nonce = `${'00'.repeat(7)}05`;
  const settlement = `0x0101${did}${nonce}beef` as Hex;
  it.each([
    ['its item beside its DID', `0x12345678${did}${'00'.repeat(40)}0101${nonce}beef00`, 'ours'],
    ['another item of its DID at its nonce', `0x12345678${did}0101${nonce}cafe`, 'other'],
    ['a NAV item of its DID at its nonce', `0x12345678${did}0102${nonce}cafe`, 'other'],
    ['its item without its DID', `0x12345678${'cd'.repeat(32)}0101${nonce}beef`, undefined],
  ] as const)('batch item: %s -> %s', (_n, input, expected) => {
    expect(classifyInput(input as Hex, settlement)).toBe(expected);
  });
});

describe('appliedByReader on anvil', () => {
  beforeAll(async () => {
    anvil = await startAnvil('applied-by-test', 41_401);
    buildCcipArtifacts();
    receiver = await chainDeployer(anvil).deploy('RwaReceiver', devReceiverArgs(signers, DEV_COMMITTEE_THRESHOLD));
    const chain = defineChain({ id: anvil.chainId, name: 'applied-by-test', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } });
    pub = createPublicClient({ chain, transport: http(anvil.rpcUrl) }) as PublicClient;
  }, 300_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('confirms the applied message and dead-letters, with an alarm, another message re-using its nonce', async () => {
    const { db } = openDb(join(tmpdir(), `applied-by-${process.pid}-${Date.now()}.sqlite`), schema, join(import.meta.dirname, '..', 'store', 'migrations'));
    const outbox = new Outbox(db);
    const metrics = createMetrics();
    const transport = new CctpTransport({ name: 'applied-by-test', chainId: anvil.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }, ANVIL_RELAYER_KEY, 10_000);
    const worker = new ChainWorker({
      chainId: anvil.chainId, outbox, transports: new Map([['cctp', transport]]), inFlightPollMs: 5_000, disabled: new Set(),
      arrivals: async () => 0, appliedBy: appliedByReader(pub), policy: DEFAULT_BACKOFF, parkPolicy: PARK_BACKOFF, didWaitPolicy: DID_WAIT_BACKOFF,
      maxCcipExecutions: 5, metrics, logger: pino({ level: 'silent' }), now: Date.now, random: () => 0.5, idleMs: 10,
    });
    const before = await newJob(config('Before Restore Fund'), 1);
    outbox.ingest([before], 1, Date.now());
    await worker.process(outbox.head(anvil.chainId)!);
    expect(outbox.byAttestation(before.attestationId)[0]).toMatchObject({ state: 'confirmed' });

    // The oracle's store is restored from a backup older than nonce 1: it signs another message with nonce 1.
    const after = await newJob(config('After Restore Fund'), 2);
    outbox.ingest([after], 2, Date.now());
    const read = appliedByReader(pub);
    const [appliedJob] = outbox.byAttestation(before.attestationId);
    const [reusedJob] = outbox.byAttestation(after.attestationId);
    expect((await read(appliedJob!)).by).toBe('ours');
    expect((await read(reusedJob!)).by).toBe('other');

    await worker.process(outbox.head(anvil.chainId)!);
    const job = outbox.byAttestation(after.attestationId)[0]!;
    expect(job.state).toBe('dead');
    expect(job.lastError).toMatch(/^nonce 1 used on chain 41401 by another message \(tx 0x[0-9a-f]{64}\)$/);
    expect((await metrics.nonceConflicts.get()).values[0]?.value).toBe(1);
  }, 120_000);

  it("finds a delivery mined after the client last read the block number (no stale cached head)", async () => {
    const transport = new CctpTransport({ name: 'applied-by-test', chainId: anvil.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }, ANVIL_RELAYER_KEY, 10_000);
    const m: AttestationMessage = { ...config('Fresh Head Fund'), did: didHash('did:rwa:applied-by-test:fresh' as DidString) };
    const job = { ...(await newJob(m, 3)), id: 3, state: 'pending' as const, attempts: 0, nextAttemptAt: 0, txHash: null, txNonce: null, maxFeePerGas: null, maxPriorityFeePerGas: null, batchRoot: null, batchProof: null, batchSignatures: null, lastError: null, createdAt: 0, updatedAt: 0, confirmedAt: null, quorumTransports: null };
    const read = appliedByReader(pub);
    // The client's cached head (viem caches it for its polling interval) is now older than the delivery's block.
    await pub.getBlockNumber();
    const sent = await transport.submit(job);
    expect(await transport.waitForReceipt(sent.txHash)).toEqual({ status: 'success' });
    expect(await read(job)).toEqual({ by: 'ours', txHash: sent.txHash });
  }, 60_000);
});
