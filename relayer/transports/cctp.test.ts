import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createTestClient, defineChain, http, TransactionReceiptNotFoundError, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaReceiverAbi } from '../../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../schemas/ids.js';
import { encodeMessage, attestationId, type AttestationMessage } from '../../schemas/message.js';
import { Committee } from '../../oracle/issue/committee/local.js';
import { startAnvil, type AnvilChain } from '../../devnet/anvil.js';
import { buildCcipArtifacts, chainDeployer } from '../../devnet/ccip-lane.js';
import { CctpTransport } from './cctp.js';
import { classifyError } from '../errors.js';
import type { Job } from '../store/outbox.js';
import { pendingJob } from './testkit.js';

/**
 * Chain test of the stuck-transaction path: anvil with automine off holds the relayer's delivery in its pool, the
 * transport replaces it (same nonce, escalated fees), one block is mined, and only the replacement exists on chain.
 */
const DID = 'did:rwa:cctp-transport-test:fund' as DidString;
const committee = new Committee(DEV_COMMITTEE_KEYS);
const signers = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));

let anvil: AnvilChain;
let receiver: Address;

function jobFor(m: AttestationMessage, signatures: Hex): Job {
  const message = encodeMessage(m);
  return pendingJob({ id: 1, attestationId: attestationId(message), seq: 1, did: DID, didHash: m.did, nonce: m.nonce.toString(), kind: m.kind, chainId: anvil.chainId, transport: 'cctp', receiver, message, signatures });
}

describe('CctpTransport on anvil', () => {
  beforeAll(async () => {
    anvil = await startAnvil('cctp-test', 41_101);
    buildCcipArtifacts();
    receiver = await chainDeployer(anvil).deploy('RwaReceiver', devReceiverArgs(signers, DEV_COMMITTEE_THRESHOLD));
  }, 300_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('replaces a stuck delivery with the same nonce and higher fees; only the replacement is mined', async () => {
    const chain = defineChain({ id: anvil.chainId, name: 'cctp-test', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } });
    const pub = createPublicClient({ chain, transport: http(anvil.rpcUrl) });
    const test = createTestClient({ chain, mode: 'anvil', transport: http(anvil.rpcUrl) });
    const relayer = privateKeyToAccount(ANVIL_RELAYER_KEY).address;
    const config: AttestationMessage = {
      kind: 'config', did: didHash(DID), nonce: 1n, threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6,
      heartbeat: 86_400, maxNavMoveBps: 500, signers, name: 'Stuck Tx Test Fund', symbol: 'STTF', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
    };
    const job = jobFor(config, await committee.signFor(config, { chainId: BigInt(anvil.chainId), receiver }, signers, DEV_COMMITTEE_THRESHOLD));
    const transport = new CctpTransport({ name: 'cctp-test', chainId: anvil.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }, ANVIL_RELAYER_KEY, 300);

    await test.setAutomine(false);
    const nonceBefore = await pub.getTransactionCount({ address: relayer });
    const first = await transport.submit(job);
    expect(first.nonce).toBe(nonceBefore);
    expect(await transport.waitForReceipt(first.txHash)).toEqual({ status: 'unknown' });
    expect(await transport.isApplied(job)).toBe(false);

    const second = await transport.submit(job, { nonce: first.nonce!, fees: first.fees! });
    expect(second.nonce).toBe(first.nonce);
    expect(second.txHash).not.toBe(first.txHash);
    expect(second.fees!.maxFeePerGas).toBeGreaterThan(first.fees!.maxFeePerGas);
    expect(second.fees!.maxPriorityFeePerGas).toBeGreaterThan(first.fees!.maxPriorityFeePerGas);

    await test.mine({ blocks: 1 });
    expect(await transport.waitForReceipt(second.txHash)).toEqual({ status: 'success' });
    await expect(pub.getTransactionReceipt({ hash: first.txHash })).rejects.toBeInstanceOf(TransactionReceiptNotFoundError);
    expect(await transport.isApplied(job)).toBe(true);
    expect(await pub.getTransactionCount({ address: relayer })).toBe(nonceBefore + 1);
    const state = await pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [didHash(DID)] });
    expect(state.threshold).toBe(DEV_COMMITTEE_THRESHOLD);
    await test.setAutomine(true);
  }, 120_000);

  it('names a revert that bubbles up from the holdings, so the worker retries it instead of dead-lettering', async () => {
    const settlement: AttestationMessage = {
      kind: 'settlement', did: didHash(DID), nonce: 2n, settlementKind: 'subscription', settlementRef: `0x${'01'.repeat(32)}`,
      investor: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', amount: 1_000n, cashLegRef: `0x${'02'.repeat(32)}`, settledAt: 1_700_000_000n, peerChainId: 0n,
    };
    const job = jobFor(settlement, await committee.signFor(settlement, { chainId: BigInt(anvil.chainId), receiver }, signers, DEV_COMMITTEE_THRESHOLD));
    const transport = new CctpTransport({ name: 'cctp-test', chainId: anvil.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }, ANVIL_RELAYER_KEY, 300);
    const err = await transport.simulate(job).catch((e: unknown) => e);
    expect(classifyError(err)).toEqual({ kind: 'wait-did', reason: 'reverted: NotAllowListed', revert: 'NotAllowListed' });
  }, 60_000);
});
