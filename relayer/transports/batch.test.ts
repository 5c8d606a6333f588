import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createWalletClient, defineChain, http, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount, privateKeyToAddress } from 'viem/accounts';
import { rwaHoldingsAbi, rwaReceiverAbi } from '../../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, DEV_WORMHOLE_GUARDIAN_KEYS, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../schemas/ids.js';
import { encodeMessage, type AttestationMessage, type SettlementMessage } from '../../schemas/message.js';
import { Committee } from '../../oracle/issue/committee/local.js';
import { startAnvil, type AnvilChain } from '../../devnet/anvil.js';
import { buildCcipArtifacts, chainDeployer, connectCcipLane, deployCcipChain, deployRwaCcipAdapters, DEV_LOCAL_CCV_KEYS, DEV_LOCAL_CCV_THRESHOLD, LOCAL_COMMITTEE_VERSION_TAG, type CcipChain, type LaneEndpoint, type RwaCcipAdapters } from '../../devnet/ccip-lane.js';
import { deployWormholeAdapter, deployWormholeEmitter, LOCAL_WORMHOLE_EMITTER_CHAIN } from '../../devnet/deploy-wormhole.js';
import type { Job } from '../store/outbox.js';
import { pendingJob } from './testkit.js';
import { BatchError, batchParts } from './batch.js';
import { BatchTooLargeError } from './transport.js';
import { CcipTransport } from './ccip/transport.js';
import { ccipChainSelector } from './ccip/executor.js';
import { WormholeTransport } from './wormhole/transport.js';
import { decodeBatchPayload, encodeBatchPayload } from './wormhole/vaa.js';
import { NonceManager } from '../nonces.js';

/**
 * Chain test: several attestations in one delivery over CCIP (one CCIP message through the real CCIP 2.0 contracts)
 * and over Wormhole (one VAA, payload v2), by the real transports' submitBatch; a batch partly applied before; and a
 * batch under a transport quorum of 2 of {cctp, ccip, wormhole}. Two anvil chains; every wait has a deadline.
 */

const RECEIPT_TIMEOUT_MS = 30_000;
const DID = 'did:rwa:batch-chain-test:fund' as DidString;
const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

let hubChain: AnvilChain;
let spokeChain: AnvilChain;
let spoke: CcipChain;
let hub: CcipChain;
let ccip: RwaCcipAdapters;
let emitter: Address;
let wormholeAdapter: Address;
let receiver: Address;
let holdings: Address;
let nextNonce = 1n;
let nextJobId = 1;

const committee = new Committee(DEV_COMMITTEE_KEYS);
const committeeSigners = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
const did = didHash(DID);

function spokeClients() {
  const chain = defineChain({ id: spokeChain.chainId, name: 'spoke', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [spokeChain.rpcUrl] } } });
  const transport = http(spokeChain.rpcUrl, { retryCount: 0, timeout: 10_000 });
  return { pub: createPublicClient({ chain, transport, pollingInterval: 50 }), wallet: createWalletClient({ chain, transport, account: privateKeyToAccount(ANVIL_RELAYER_KEY) }) };
}

async function jobFor(m: AttestationMessage, transport: Job['transport']): Promise<Job> {
  const signatures = await committee.signFor(m, { chainId: BigInt(spokeChain.chainId), receiver }, committeeSigners, DEV_COMMITTEE_THRESHOLD);
  const message = encodeMessage(m);
  const id = nextJobId++;
  return pendingJob({ id, attestationId: keccak256(message), seq: id, did: DID, didHash: did, nonce: m.nonce.toString(), kind: m.kind, chainId: spokeChain.chainId, transport, receiver, message, signatures });
}

/** Applies an attestation on the spoke with a direct receiveMessage (the CCTP-style path). */
async function deliverDirect(m: AttestationMessage): Promise<void> {
  await deliverJob(await jobFor(m, 'cctp'));
}

async function deliverJob(job: Job): Promise<void> {
  const { pub, wallet } = spokeClients();
  const hash = await wallet.writeContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [job.message as Hex, job.signatures as Hex] });
  expect((await pub.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS })).status).toBe('success');
}

function subscription(amount: bigint): SettlementMessage {
  const nonce = nextNonce++;
  return { kind: 'settlement', did, nonce, settlementKind: 'subscription', settlementRef: keccak256(stringToBytes(`BATCH-SUB-${nonce}`)), investor: INVESTOR, amount, cashLegRef: keccak256(stringToBytes(`MT103 BATCH-SUB-${nonce}`)), settledAt: BigInt(Math.floor(Date.now() / 1000) - 3600), peerChainId: 0n };
}

async function batchOf(n: number, transport: Job['transport']): Promise<{ jobs: Job[]; total: bigint }> {
  const jobs: Job[] = [];
  let total = 0n;
  for (let i = 0; i < n; i++) {
    const amount = BigInt(i + 1) * 1_000_000n;
    jobs.push(await jobFor(subscription(amount), transport));
    total += amount;
  }
  return { jobs, total };
}

const balance = () => spokeClients().pub.readContract({ address: holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [INVESTOR] });

function ccipTransport(): CcipTransport {
  return new CcipTransport(
    {
      source: { chainId: hub.endpoint.chainId, name: 'hub', rpcUrl: hub.endpoint.rpcUrl, sender: ccip.sender, confirmations: 0 },
      destination: { name: 'spoke', chainId: spoke.endpoint.chainId, rpcUrl: spoke.endpoint.rpcUrl, receiver, confirmations: 0, selector: BigInt(spoke.contracts.selector), adapter: ccip.adapter },
      roles: { mode: 'local', onRamp: hub.contracts.onRamp, offRamp: spoke.contracts.offRamp, verifierKeys: DEV_LOCAL_CCV_KEYS, versionTag: LOCAL_COMMITTEE_VERSION_TAG },
    },
    ANVIL_RELAYER_KEY,
    RECEIPT_TIMEOUT_MS,
    new NonceManager(),
  );
}

function wormholeTransport(): WormholeTransport {
  return new WormholeTransport(
    {
      source: { chainId: hubChain.chainId, name: 'hub', rpcUrl: hubChain.rpcUrl, emitter, confirmations: 1 },
      destination: { name: 'spoke', chainId: spokeChain.chainId, rpcUrl: spokeChain.rpcUrl, receiver, confirmations: 0, adapter: wormholeAdapter, emitterChainId: LOCAL_WORMHOLE_EMITTER_CHAIN },
      guardianKeys: DEV_WORMHOLE_GUARDIAN_KEYS,
    },
    ANVIL_RELAYER_KEY,
    RECEIPT_TIMEOUT_MS,
    new NonceManager(),
  );
}

describe('batched delivery', () => {
  it('checks a batch has one destination and one transport', async () => {
    expect(() => batchParts([])).toThrow(BatchError);
    const fields = { attestationId: '0x01', seq: 1, did: DID, didHash: did, nonce: '1', kind: 'settlement', message: '0x01', signatures: '0x02' } as const;
    const a = pendingJob({ ...fields, id: 1, chainId: 1, receiver: '0x0000000000000000000000000000000000000001', transport: 'ccip' });
    const b = pendingJob({ ...fields, id: 2, chainId: 2, receiver: '0x0000000000000000000000000000000000000001', transport: 'ccip' });
    expect(() => batchParts([a, b])).toThrow(/job 2 is for chain 2/);
    expect(() => batchParts([a, { ...a, id: 3, transport: 'wormhole' }])).toThrow(BatchError);
    expect(batchParts([a, { ...a, id: 4 }]).messages).toHaveLength(2);
  });

  it('round-trips a Wormhole batch payload (v2)', () => {
    const p = encodeBatchPayload(31_337n, ['0x0101', '0x02'], ['0xaa', '0xbbcc']);
    expect(p.slice(0, 4)).toBe('0x02');
    expect(decodeBatchPayload(p)).toEqual({ destinationChainId: 31_337n, messages: ['0x0101', '0x02'], signatures: ['0xaa', '0xbbcc'] });
  });
});

describe('batched delivery over CCIP and Wormhole on two anvil chains', () => {
  beforeAll(async () => {
    [hubChain, spokeChain] = await Promise.all([startAnvil('hub', 41_201), startAnvil('spoke', 41_202)]);
    buildCcipArtifacts();
    const hubEndpoint: LaneEndpoint = { name: 'hub', chainId: hubChain.chainId, rpcUrl: hubChain.rpcUrl, selector: ccipChainSelector(4_100_200_001n) };
    const spokeEndpoint: LaneEndpoint = { name: 'spoke', chainId: spokeChain.chainId, rpcUrl: spokeChain.rpcUrl, selector: ccipChainSelector(4_100_200_002n) };
    receiver = await chainDeployer(spokeEndpoint).deploy('RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD));
    const now = (await spokeClients().pub.getBlock()).timestamp;
    await deliverDirect({ kind: 'config', did, nonce: nextNonce++, threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'Batch Chain Test Fund', symbol: 'BCTF', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
    await deliverDirect({ kind: 'allowlist', did, nonce: nextNonce++, entries: [{ account: INVESTOR, allowed: true }] });
    await deliverDirect({ kind: 'reserve', did, nonce: nextNonce++, reserve: 10n ** 15n, asOf: now, caps: [{ chainId: BigInt(spokeChain.chainId), cap: 10n ** 15n, ceiling: 0n }] });
    holdings = (await spokeClients().pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [did] })).holdings;

    [hub, spoke] = await Promise.all([deployCcipChain(hubEndpoint), deployCcipChain(spokeEndpoint)]);
    await connectCcipLane(hub, spoke, { signers: DEV_LOCAL_CCV_KEYS.map((k) => privateKeyToAddress(k)), threshold: DEV_LOCAL_CCV_THRESHOLD });
    ccip = await deployRwaCcipAdapters(hub, spoke, receiver, { ccipReceiveGasLimit: 2_500_000 });
    emitter = await deployWormholeEmitter(hubEndpoint);
    wormholeAdapter = await deployWormholeAdapter(spokeEndpoint, receiver, emitter);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([hubChain?.stop(), spokeChain?.stop()]);
  });

  it('applies 8 attestations sent in one CCIP message, once each', async () => {
    const t = ccipTransport();
    const { jobs, total } = await batchOf(8, 'ccip');
    const before = await balance();
    await t.simulateBatch(jobs);
    const sent = await t.submitBatch(jobs);
    expect(await t.waitForReceipt(sent.txHash, jobs[0]!)).toEqual({ status: 'success' });
    for (const j of jobs) expect(await t.isApplied(j)).toBe(true);
    expect((await balance()) - before).toBe(total);
  });

  it('refuses a CCIP batch past the execution gas limit the sender gives each message, naming how many items fit', async () => {
    const t = ccipTransport();
    const { jobs } = await batchOf(100, 'ccip');
    const err = await t.simulateBatch(jobs).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BatchTooLargeError);
    const tooLarge = err as BatchTooLargeError;
    expect(tooLarge.usableGas).toBe(2_000_000n);
    expect(tooLarge.estimate).toBeGreaterThan(tooLarge.usableGas);
    expect(tooLarge.fits).toBeGreaterThan(0);
    expect(tooLarge.fits).toBeLessThan(100);
    // Cut as the worker cuts it (to what fits, then by halves when the lane's data or per-message gas bound refuses
    // the fee quote) until it passes; what passes is delivered whole.
    let part = jobs.slice(0, tooLarge.fits);
    for (;;) {
      const cut = await t.simulateBatch(part).then(() => undefined, (e: unknown) => e);
      if (cut === undefined) break;
      expect(cut).toBeInstanceOf(BatchTooLargeError);
      part = part.slice(0, (cut as BatchTooLargeError).fits);
    }
    expect(part.length).toBeGreaterThan(1);
    const before = await balance();
    const sent = await t.submitBatch(part);
    expect(await t.waitForReceipt(sent.txHash, part[0]!)).toEqual({ status: 'success' });
    for (const j of part) expect(await t.isApplied(j)).toBe(true);
    expect(await balance()).toBeGreaterThan(before);
  }, 120_000);

  it('applies 8 attestations published in one VAA; a batch partly applied before completes', async () => {
    const t = wormholeTransport();
    const { jobs, total } = await batchOf(8, 'wormhole');
    const before = await balance();
    // Two items reach the chain first another way (a crash after a partial delivery, another relayer).
    await deliverJob(jobs[2]!);
    await deliverJob(jobs[5]!);
    await t.simulateBatch(jobs);
    const sent = await t.submitBatch(jobs);
    expect(await t.waitForReceipt(sent.txHash, jobs[7]!)).toEqual({ status: 'success' });
    for (const j of jobs) expect(await t.isApplied(j)).toBe(true);
    expect((await balance()) - before).toBe(total);
  });

  it('under a transport quorum of 2 of 3, a batch over CCIP then over Wormhole applies each attestation once', async () => {
    await deliverDirect({ kind: 'transportQuorum', did, nonce: nextNonce++, chainId: BigInt(spokeChain.chainId), k: 2, transports: 7 });
    const { jobs: viaCcip, total } = await batchOf(5, 'ccip');
    const viaWormhole = viaCcip.map((j) => ({ ...j, id: nextJobId++, transport: 'wormhole' as const }));
    const before = await balance();

    const c = ccipTransport();
    const sentC = await c.submitBatch(viaCcip);
    expect(await c.waitForReceipt(sentC.txHash, viaCcip[0]!)).toEqual({ status: 'success' });
    expect(await balance()).toBe(before);
    for (const j of viaCcip) expect(await c.isApplied(j)).toBe(false);

    const w = wormholeTransport();
    await w.simulateBatch(viaWormhole);
    const sentW = await w.submitBatch(viaWormhole);
    expect(await w.waitForReceipt(sentW.txHash, viaWormhole[0]!)).toEqual({ status: 'success' });
    for (const j of viaWormhole) expect(await w.isApplied(j)).toBe(true);
    expect((await balance()) - before).toBe(total);

    // The same batch again over CCIP: skipped on chain, nothing applies twice.
    const again = await c.submitBatch(viaCcip);
    expect(await c.waitForReceipt(again.txHash, viaCcip[0]!)).toEqual({ status: 'success' });
    expect((await balance()) - before).toBe(total);
  });
});

