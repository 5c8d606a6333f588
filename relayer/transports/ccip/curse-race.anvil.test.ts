import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { concat, createPublicClient, createWalletClient, defineChain, http, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount, privateKeyToAddress, signTypedData } from 'viem/accounts';
import pino from 'pino';
import { rwaCcipSenderAbi, rwaReceiverAbi } from '../../../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, DEV_CURSE_GUARDIAN_KEYS, DEV_CURSE_GUARDIAN_THRESHOLD, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../../../schemas/dev-keys.js';
import { curseTypedData } from '../../../schemas/eip712.js';
import { didHash, type DidString } from '../../../schemas/ids.js';
import { attestationId, encodeMessage, type AttestationMessage, type SettlementMessage } from '../../../schemas/message.js';
import { Committee } from '../../../oracle/issue/committee/local.js';
import { startAnvil, type AnvilChain } from '../../../devnet/anvil.js';
import { buildCcipArtifacts, chainDeployer, connectCcipLane, deployCcipChain, deployRwaCcipAdapters, DEV_LOCAL_CCV_KEYS, DEV_LOCAL_CCV_THRESHOLD, LOCAL_COMMITTEE_VERSION_TAG, type CcipChain, type LaneEndpoint, type RwaCcipAdapters } from '../../../devnet/ccip-lane.js';
import { openDb } from '../../../common/sqlite.js';
import { tempDb } from '../../../testkit/committee.js';
import * as schema from '../../store/schema.js';
import { Outbox, type Job } from '../../store/outbox.js';
import { ChainWorker } from '../../worker.js';
import { createMetrics } from '../../metrics.js';
import { CurseFlag } from '../../curse.js';
import { DEFAULT_BACKOFF, DID_WAIT_BACKOFF, PARK_BACKOFF } from '../../retry.js';
import { appliedByReader } from '../applied-by.js';
import { quorumArrivals } from '../destination.js';
import type { Replacement, Submitted } from '../transport.js';
import { CcipTransport, type CcipLaneConfig } from './transport.js';
import { ccipChainSelector, readExecutionState } from './executor.js';

/**
 * Chain test (issue 24 review, finding 4): the real CCIP 2.0 contracts on two anvil chains, the relayer's worker with
 * the local-lane CCIP transport. The spoke's guardians curse it after the relayer sent the message on the hub and
 * before it executes it on the spoke's OffRamp: the receiver reverts ChainCursed inside the OffRamp, which records
 * the message FAILURE (CCIP's manual execution). The relayer must hold it as a cursed chain (no attempt, no park, no
 * dead letter) and, after the uncurse, execute the same message again: applied exactly once.
 */
const RECEIPT_TIMEOUT_MS = 30_000;
const DID = 'did:rwa:ccip-curse-race:fund' as DidString;
const HASH = didHash(DID);
const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

let hubChain: AnvilChain;
let spokeChain: AnvilChain;
let hub: CcipChain;
let spoke: CcipChain;
let adapters: RwaCcipAdapters;
let receiver: Address;

const committee = new Committee(DEV_COMMITTEE_KEYS);
const signers = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));

function clients(endpoint: LaneEndpoint) {
  const chain = defineChain({ id: endpoint.chainId, name: endpoint.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [endpoint.rpcUrl] } } });
  const transport = http(endpoint.rpcUrl, { retryCount: 0, timeout: 10_000 });
  return { pub: createPublicClient({ chain, transport, pollingInterval: 50 }), wallet: createWalletClient({ chain, transport, account: privateKeyToAccount(ANVIL_RELAYER_KEY) }) };
}

async function onSpoke(call: { functionName: 'receiveMessage' | 'curse' | 'uncurse'; args: readonly unknown[] }): Promise<void> {
  const { pub, wallet } = clients(spoke.endpoint);
  const hash = await wallet.writeContract({ address: receiver, abi: rwaReceiverAbi, ...call } as never);
  const r = await pub.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
  if (r.status !== 'success') throw new Error(`${call.functionName} reverted`);
}

async function deliverDirect(m: AttestationMessage): Promise<void> {
  const signatures = await committee.signFor(m, { chainId: BigInt(spoke.endpoint.chainId), receiver }, signers, DEV_COMMITTEE_THRESHOLD);
  await onSpoke({ functionName: 'receiveMessage', args: [encodeMessage(m), signatures] });
}

/** The guardians' signatures over the receiver's current epoch: one for a curse, a quorum (ascending) for an uncurse. */
async function guardians(primaryType: 'Curse' | 'Uncurse'): Promise<Hex> {
  const epoch = await clients(spoke.endpoint).pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'curseEpoch' });
  const typed = curseTypedData(primaryType, BigInt(spoke.endpoint.chainId), receiver, epoch);
  const keys = [...DEV_CURSE_GUARDIAN_KEYS].sort((a, b) => (BigInt(privateKeyToAddress(a)) < BigInt(privateKeyToAddress(b)) ? -1 : 1));
  const count = primaryType === 'Curse' ? 1 : DEV_CURSE_GUARDIAN_THRESHOLD;
  return concat(await Promise.all(keys.slice(0, count).map((privateKey) => signTypedData({ ...typed, privateKey }))));
}

/** The local-lane transport, with the spoke cursed right after the hub send (the race the worker's flag read cannot see). */
class CursedAfterSend extends CcipTransport {
  curseNextSend = false;
  override async submit(job: Job, replace?: Replacement): Promise<Submitted> {
    const sent = await super.submit(job, replace);
    if (this.curseNextSend) {
      this.curseNextSend = false;
      await onSpoke({ functionName: 'curse', args: [await guardians('Curse')] });
    }
    return sent;
  }
}

describe('a CCIP delivery racing a curse on two anvil chains', () => {
  beforeAll(async () => {
    [hubChain, spokeChain] = await Promise.all([startAnvil('curse-race-hub', 41_011), startAnvil('curse-race-spoke', 41_012)]);
    buildCcipArtifacts();
    const hubEndpoint: LaneEndpoint = { name: 'hub', chainId: hubChain.chainId, rpcUrl: hubChain.rpcUrl, selector: ccipChainSelector(4_100_110_001n) };
    const spokeEndpoint: LaneEndpoint = { name: 'spoke', chainId: spokeChain.chainId, rpcUrl: spokeChain.rpcUrl, selector: ccipChainSelector(4_100_110_002n) };
    receiver = await chainDeployer(spokeEndpoint).deploy('RwaReceiver', devReceiverArgs(signers, DEV_COMMITTEE_THRESHOLD));
    [hub, spoke] = await Promise.all([deployCcipChain(hubEndpoint), deployCcipChain(spokeEndpoint)]);
    const now = (await clients(spoke.endpoint).pub.getBlock()).timestamp;
    await deliverDirect({ kind: 'config', did: HASH, nonce: 1n, threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers, name: 'Curse Race Fund', symbol: 'CRF', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
    await deliverDirect({ kind: 'allowlist', did: HASH, nonce: 2n, entries: [{ account: INVESTOR, allowed: true }] });
    await deliverDirect({ kind: 'reserve', did: HASH, nonce: 3n, reserve: 10n ** 15n, asOf: now, caps: [{ chainId: BigInt(spoke.endpoint.chainId), cap: 10n ** 15n, ceiling: 0n }] });
    await connectCcipLane(hub, spoke, { signers: DEV_LOCAL_CCV_KEYS.map((k) => privateKeyToAddress(k)), threshold: DEV_LOCAL_CCV_THRESHOLD });
    adapters = await deployRwaCcipAdapters(hub, spoke, receiver, { ccipReceiveGasLimit: 300_000 });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([hubChain?.stop(), spokeChain?.stop()]);
  });

  it('holds a message the OffRamp failed with ChainCursed, and executes it again after the uncurse: applied once, never dead', async () => {
    const settlement: SettlementMessage = {
      kind: 'settlement', did: HASH, nonce: 4n, settlementKind: 'subscription', settlementRef: keccak256(stringToBytes('RACE-1')), investor: INVESTOR,
      amount: 1_000_000n, cashLegRef: keccak256(stringToBytes('cash RACE-1')), settledAt: BigInt(Math.floor(Date.now() / 1000) - 3600), peerChainId: 0n,
    };
    const message = encodeMessage(settlement);
    const signatures = await committee.signFor(settlement, { chainId: BigInt(spoke.endpoint.chainId), receiver }, signers, DEV_COMMITTEE_THRESHOLD);
    const outbox = new Outbox(openDb(tempDb('ccip-curse-race'), schema, join(import.meta.dirname, '..', '..', 'store', 'migrations')).db);
    outbox.ingest([{ attestationId: attestationId(message), seq: 4, did: DID, didHash: HASH, nonce: '4', kind: 'settlement', chainId: spoke.endpoint.chainId, transport: 'ccip', receiver, quorumTransports: null, message, signatures }], 4, 0);

    const lane: CcipLaneConfig = {
      source: { chainId: hub.endpoint.chainId, name: 'hub', rpcUrl: hub.endpoint.rpcUrl, sender: adapters.sender, confirmations: 0 },
      destination: { name: 'spoke', chainId: spoke.endpoint.chainId, rpcUrl: spoke.endpoint.rpcUrl, receiver, confirmations: 0, selector: BigInt(spoke.contracts.selector), adapter: adapters.adapter },
      roles: { mode: 'local', onRamp: hub.contracts.onRamp, offRamp: spoke.contracts.offRamp, verifierKeys: DEV_LOCAL_CCV_KEYS.slice(0, DEV_LOCAL_CCV_THRESHOLD), versionTag: LOCAL_COMMITTEE_VERSION_TAG },
    };
    const transport = new CursedAfterSend(lane, ANVIL_RELAYER_KEY, RECEIPT_TIMEOUT_MS);
    transport.curseNextSend = true;
    let now = 1_000_000;
    const { pub } = clients(spoke.endpoint);
    const metrics = createMetrics();
    // The flag read before every pass, never cached here (ttl 0), so each pass sees the chain as it is.
    const curse = new CurseFlag(() => pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'cursed' }), 0, () => now, (err) => { throw err; });
    const worker = new ChainWorker({
      chainId: spoke.endpoint.chainId, outbox, transports: new Map([['ccip', transport]]), inFlightPollMs: 5_000, disabled: new Set(), curse,
      arrivals: quorumArrivals(pub), appliedBy: appliedByReader(pub), policy: DEFAULT_BACKOFF, parkPolicy: PARK_BACKOFF, didWaitPolicy: DID_WAIT_BACKOFF,
      maxCcipExecutions: 3, metrics, logger: pino({ level: 'silent' }), now: () => now, random: () => 0.5, idleMs: 10,
    });
    const job = () => outbox.byAttestation(attestationId(message))[0]!;
    const pass = async () => {
      if (!(await worker.cursed())) worker.tick();
      await worker.idle();
    };
    const cursedGauge = async () => (await metrics.chainCursed.get()).values.find((v) => v.labels.chain === String(spoke.endpoint.chainId))?.value;

    // Sent on the hub, cursed, executed: the OffRamp records FAILURE. Held as a cursed chain, on its source send.
    await pass();
    const sourceTx = job().txHash;
    expect(sourceTx).toMatch(/^0x/);
    const sends = () => clients(hub.endpoint).pub.getContractEvents({ address: adapters.sender, abi: rwaCcipSenderAbi, eventName: 'AttestationSent', fromBlock: 0n, strict: true });
    const messageId = (await sends())[0]!.args.messageId;
    expect(await readExecutionState(pub, spoke.contracts.offRamp, messageId)).toBe('FAILURE');
    expect(job()).toMatchObject({ state: 'submitted', attempts: 0, txHash: sourceTx });
    expect(job().lastError).toMatch(/^cursed/);
    expect(await cursedGauge()).toBe(1);

    // Still cursed, however long: nothing is touched, nothing counted, parked or dead.
    for (let i = 0; i < 8; i++) {
      now += 60_000;
      await pass();
    }
    expect(job()).toMatchObject({ state: 'submitted', attempts: 0, txHash: sourceTx });
    expect(outbox.deadLetters()).toEqual([]);

    // Uncursed by a quorum of guardians: the same CCIP message is executed again (manual execution), not re-sent.
    await onSpoke({ functionName: 'uncurse', args: [await guardians('Uncurse')] });
    now += 60_000;
    await pass();
    expect(job()).toMatchObject({ state: 'confirmed', txHash: sourceTx });
    expect(await readExecutionState(pub, spoke.contracts.offRamp, messageId)).toBe('SUCCESS');
    const applied = await pub.getContractEvents({ address: receiver, abi: rwaReceiverAbi, eventName: 'SettlementApplied', args: { did: HASH }, fromBlock: 0n, strict: true });
    expect(applied.map((e) => e.args.nonce)).toEqual([4n]);
    expect((await sends()).map((e) => e.args.messageId)).toEqual([messageId]);
    expect(outbox.deadLetters()).toEqual([]);
    expect(await cursedGauge()).toBe(0);
  }, 180_000);
});
