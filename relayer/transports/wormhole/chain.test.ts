import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, http, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaHoldingsAbi, rwaReceiverAbi, rwaWormholeReceiverAbi } from '../../../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, DEV_WORMHOLE_GUARDIAN_KEYS, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../../schemas/ids.js';
import { encodeMessage, type AttestationMessage, type SettlementMessage } from '../../../schemas/message.js';
import type { Job } from '../../store/outbox.js';
import { pendingJob } from '../testkit.js';
import { Committee } from '../../../oracle/issue/committee/local.js';
import { startAnvil, type AnvilChain } from '../../../devnet/anvil.js';
import { buildContracts } from '../../../devnet/deploy.js';
import { chainDeployer } from '../../../devnet/ccip-lane.js';
import { deployWormholeAdapter, deployWormholeEmitter, LOCAL_WORMHOLE_EMITTER_CHAIN } from '../../../devnet/deploy-wormhole.js';
import { CctpTransport } from '../cctp.js';
import { NonceManager } from '../../nonces.js';
import { WormholeTransport } from './transport.js';
import { classifyError } from '../../errors.js';

/**
 * Chain test: two anvil chains, RwaWormholeEmitter on the hub, RwaWormholeReceiver + RwaReceiver on the spoke, one
 * attestation delivered by the real WormholeTransport: publish on the hub, build and sign the VAA with the DEV-ONLY
 * guardian keys, receiveVaa on the spoke, applied by RwaReceiver. No mocks; every wait is a receipt with a deadline.
 */

const DID = 'did:rwa:wormhole-chain-test:fund' as DidString;
const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const AMOUNT = 1_000_000_000n;

let hubChain: AnvilChain;
let spokeChain: AnvilChain;
let receiver: Address;
let emitter: Address;
let adapter: Address;

const committee = new Committee(DEV_COMMITTEE_KEYS);
const committeeSigners = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
const endpoint = (c: AnvilChain) => ({ name: c.name, chainId: c.chainId, rpcUrl: c.rpcUrl, receiver, confirmations: 0 });

async function jobFor(m: AttestationMessage, id: number): Promise<Job> {
  const signatures = await committee.signFor(m, { chainId: BigInt(spokeChain.chainId), receiver }, committeeSigners, DEV_COMMITTEE_THRESHOLD);
  const message = encodeMessage(m);
  return pendingJob({ id, attestationId: keccak256(message), seq: id, did: DID, didHash: didHash(DID), nonce: m.nonce.toString(), kind: m.kind, chainId: spokeChain.chainId, transport: 'wormhole', receiver, message, signatures });
}

function transportTo(): WormholeTransport {
  return new WormholeTransport(
    {
      source: { chainId: hubChain.chainId, name: hubChain.name, rpcUrl: hubChain.rpcUrl, emitter, confirmations: 1 },
      destination: { ...endpoint(spokeChain), adapter, emitterChainId: LOCAL_WORMHOLE_EMITTER_CHAIN },
      guardianKeys: DEV_WORMHOLE_GUARDIAN_KEYS,
    },
    ANVIL_RELAYER_KEY,
    30_000,
    new NonceManager(),
  );
}

describe('Wormhole transport hub -> spoke on two anvil chains', () => {
  beforeAll(async () => {
    [hubChain, spokeChain] = await Promise.all([startAnvil('hub', 41_101), startAnvil('spoke', 41_102)]);
    buildContracts();
    receiver = await chainDeployer(spokeChain).deploy('RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD));
    // The DID's set-up reaches the spoke directly (CCTP-style).
    const direct = new CctpTransport(endpoint(spokeChain), ANVIL_RELAYER_KEY, 30_000);
    const did = didHash(DID);
    const now = BigInt(Math.floor(Date.now() / 1000));
    const setup: AttestationMessage[] = [
      { kind: 'config', did, nonce: 1n, threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'Wormhole Chain Test Fund', symbol: 'WCTF', signersValidUntil: DEV_SIGNERS_VALID_UNTIL },
      { kind: 'allowlist', did, nonce: 2n, entries: [{ account: INVESTOR, allowed: true }] },
      { kind: 'reserve', did, nonce: 3n, reserve: 10n ** 15n, asOf: now, caps: [{ chainId: BigInt(spokeChain.chainId), cap: 10n ** 15n, ceiling: 0n }] },
    ];
    for (const [i, m] of setup.entries()) {
      const job = await jobFor(m, i + 1);
      const sent = await direct.submit(job);
      expect(await direct.waitForReceipt(sent.txHash)).toEqual({ status: 'success' });
    }
    emitter = await deployWormholeEmitter(hubChain);
    adapter = await deployWormholeAdapter(spokeChain, receiver, emitter);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([hubChain?.stop(), spokeChain?.stop()]);
  });

  it('publishes on the hub, signs the VAA as the guardian set and applies it on the spoke, once', async ({ annotate }) => {
    const settlement: SettlementMessage = {
      kind: 'settlement',
      did: didHash(DID),
      nonce: 4n,
      settlementKind: 'subscription',
      settlementRef: keccak256(stringToBytes('WORMHOLE-CHAIN-SUB-1')),
      investor: INVESTOR,
      amount: AMOUNT,
      cashLegRef: keccak256(stringToBytes('MT103 WORMHOLE-CHAIN-SUB-1')),
      settledAt: BigInt(Math.floor(Date.now() / 1000) - 3600),
      peerChainId: 0n,
    };
    const job = await jobFor(settlement, 4);
    const transport = transportTo();

    expect(await transport.isApplied(job)).toBe(false);
    await transport.simulate(job);
    const sent = await transport.submit(job);
    expect(await transport.waitForReceipt(sent.txHash, job)).toEqual({ status: 'success' });
    expect(await transport.isApplied(job)).toBe(true);

    const spoke = createPublicClient({ transport: http(spokeChain.rpcUrl) });
    const state = await spoke.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [didHash(DID)] });
    expect(await spoke.readContract({ address: state.holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [INVESTOR] })).toBe(AMOUNT);
    const [delivered] = await spoke.getContractEvents({ address: adapter, abi: rwaWormholeReceiverAbi, eventName: 'AttestationDelivered', fromBlock: 0n });
    expect(delivered?.args).toMatchObject({ emitterChainId: LOCAL_WORMHOLE_EMITTER_CHAIN, sequence: 0n, attestationId: job.attestationId });
    expect(await spoke.readContract({ address: adapter, abi: rwaWormholeReceiverAbi, functionName: 'isVaaConsumed', args: [delivered!.args.vaaHash as Hex] })).toBe(true);

    // A second pass over the same publication (a relayer restarted after delivering) sees the VAA consumed and
    // reports success without sending anything.
    const nonceBefore = await spoke.getTransactionCount({ address: privateKeyToAccount(ANVIL_RELAYER_KEY).address });
    expect(await transport.waitForReceipt(sent.txHash, job)).toEqual({ status: 'success' });
    expect(await spoke.getTransactionCount({ address: privateKeyToAccount(ANVIL_RELAYER_KEY).address })).toBe(nonceBefore);

    const receipt = await spoke.getTransactionReceipt({ hash: delivered!.transactionHash });
    await annotate(`receiveVaa gasUsed ${receipt.gasUsed} (tx, incl. intrinsic and calldata; guardians 3 of 4, oracle 2 of 3)`);
  }, 120_000);

  it('names the receiver’s own revert when the VAA cannot apply yet (retryable), and delivers the same VAA later', async () => {
    const stranger: Address = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';
    const settlement: SettlementMessage = {
      kind: 'settlement',
      did: didHash(DID),
      nonce: 5n,
      settlementKind: 'subscription',
      settlementRef: keccak256(stringToBytes('WORMHOLE-CHAIN-SUB-2')),
      investor: stranger,
      amount: AMOUNT,
      cashLegRef: keccak256(stringToBytes('MT103 WORMHOLE-CHAIN-SUB-2')),
      settledAt: BigInt(Math.floor(Date.now() / 1000) - 3600),
      peerChainId: 0n,
    };
    const job = await jobFor(settlement, 5);
    const transport = transportTo();
    // Published without the dry run: the investor is not allow-listed on the spoke yet.
    const sent = await transport.submit(job);
    const err = await transport.waitForReceipt(sent.txHash, job).then(() => undefined, (e: unknown) => e);
    expect(classifyError(err)).toMatchObject({ kind: 'wait-did', reason: 'reverted: NotAllowListed' });

    // The allow-list arrives; the next pass over the same publication delivers the same VAA (sequence 1).
    const direct = new CctpTransport(endpoint(spokeChain), ANVIL_RELAYER_KEY, 30_000);
    const allow = await jobFor({ kind: 'allowlist', did: didHash(DID), nonce: 6n, entries: [{ account: stranger, allowed: true }] }, 6);
    expect(await direct.waitForReceipt((await direct.submit(allow)).txHash)).toEqual({ status: 'success' });
    expect(await transport.waitForReceipt(sent.txHash, job)).toEqual({ status: 'success' });
    const spoke = createPublicClient({ transport: http(spokeChain.rpcUrl) });
    const events = await spoke.getContractEvents({ address: adapter, abi: rwaWormholeReceiverAbi, eventName: 'AttestationDelivered', fromBlock: 0n });
    expect(events.map((e) => e.args.sequence)).toEqual([0n, 1n]);
  }, 120_000);
});
