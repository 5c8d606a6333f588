import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, createWalletClient, defineChain, http, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount, privateKeyToAddress } from 'viem/accounts';
import { rwaCcipSenderAbi, rwaHoldingsAbi, rwaReceiverAbi } from '../../../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../../schemas/ids.js';
import { encodeMessage, type AttestationMessage, type SettlementMessage } from '../../../schemas/message.js';
import { Committee } from '../../../oracle/issue/committee/local.js';
import { startAnvil, type AnvilChain } from '../../../devnet/anvil.js';
import {
  buildCcipArtifacts,
  chainDeployer,
  connectCcipLane,
  deployCcipChain,
  deployRwaCcipAdapters,
  DEV_LOCAL_CCV_KEYS,
  DEV_LOCAL_CCV_THRESHOLD,
  LOCAL_COMMITTEE_VERSION_TAG,
  type CcipChain,
  type LaneEndpoint,
  type RwaCcipAdapters,
} from '../../../devnet/ccip-lane.js';
import { pendingJob } from '../testkit.js';
import { CcipTransport } from './transport.js';
import { buildCommitteeVerifierResults, ccipChainSelector, CcipExecutionFailedError, executeCcipMessage, parseCcipMessagesSent, parseExecutionOutcomes, readRequiredCcvs } from './executor.js';

/**
 * Chain test: two anvil chains, the real CCIP 2.0 contracts on each, one attestation hub -> spoke. The test plays
 * the off-chain roles with the executor's functions: parse CCIPMessageSent from the send receipt, sign as the local
 * CommitteeVerifier committee, call OffRamp.execute on the spoke. No mocks; every wait is a receipt with a deadline.
 */

const RECEIPT_TIMEOUT_MS = 30_000;
const RECEIVE_GAS = 300_000;
const DID = 'did:rwa:ccip-lane-test:fund' as DidString;
const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const AMOUNT = 1_000_000_000n; // 1,000 units at 6 decimals

let hubChain: AnvilChain;
let spokeChain: AnvilChain;
let hub: CcipChain;
let spoke: CcipChain;
let adapters: RwaCcipAdapters;
let receiver: Address;
let spokeEndpoint: LaneEndpoint;

const committee = new Committee(DEV_COMMITTEE_KEYS);
const committeeSigners = [...committee.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));

function clients(endpoint: LaneEndpoint, key: Hex) {
  const chain = defineChain({ id: endpoint.chainId, name: endpoint.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [endpoint.rpcUrl] } } });
  const transport = http(endpoint.rpcUrl, { retryCount: 0, timeout: 10_000 });
  return {
    pub: createPublicClient({ chain, transport, pollingInterval: 50 }),
    wallet: createWalletClient({ chain, transport, account: privateKeyToAccount(key) }),
  };
}

/** Applies an attestation on the spoke directly (the CCTP-style path), for the DID's set-up. */
async function deliverDirect(m: AttestationMessage, signerSet: readonly Address[]): Promise<void> {
  const { pub, wallet } = clients(spokeEndpoint, ANVIL_RELAYER_KEY);
  const signatures = await committee.signFor(m, { chainId: BigInt(spokeEndpoint.chainId), receiver }, signerSet, DEV_COMMITTEE_THRESHOLD);
  const hash = await wallet.writeContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [encodeMessage(m), signatures] });
  const r = await pub.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
  if (r.status !== 'success') throw new Error(`set-up attestation ${m.kind} reverted`);
}

describe('CCIP 2.0 lane hub -> spoke on two anvil chains', () => {
  beforeAll(async () => {
    [hubChain, spokeChain] = await Promise.all([startAnvil('hub', 41_001), startAnvil('spoke', 41_002)]);
    buildCcipArtifacts();
    const hubEndpoint: LaneEndpoint = { name: 'hub', chainId: hubChain.chainId, rpcUrl: hubChain.rpcUrl, selector: ccipChainSelector(4_100_100_001n) };
    spokeEndpoint = { name: 'spoke', chainId: spokeChain.chainId, rpcUrl: spokeChain.rpcUrl, selector: ccipChainSelector(4_100_100_002n) };

    // The oracle side on the spoke: a receiver whose governance is the dev committee, the DID introduced, the investor
    // allow-listed and a reserve cap, all applied directly.
    receiver = await chainDeployer(spokeEndpoint).deploy('RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD));
    const did = didHash(DID);
    const spokePub = clients(spokeEndpoint, ANVIL_RELAYER_KEY).pub;
    const now = (await spokePub.getBlock()).timestamp;
    await deliverDirect(
      { kind: 'config', did, nonce: 1n, threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'CCIP Lane Test Fund', symbol: 'CLTF', signersValidUntil: DEV_SIGNERS_VALID_UNTIL },
      committeeSigners,
    );
    await deliverDirect({ kind: 'allowlist', did, nonce: 2n, entries: [{ account: INVESTOR, allowed: true }] }, committeeSigners);
    await deliverDirect({ kind: 'reserve', did, nonce: 3n, reserve: 10n ** 15n, asOf: now, caps: [{ chainId: BigInt(spokeEndpoint.chainId), cap: 10n ** 15n, ceiling: 0n }] }, committeeSigners);

    // The transport: CCIP on both chains, the lane, our sender and adapter.
    [hub, spoke] = await Promise.all([deployCcipChain(hubEndpoint), deployCcipChain(spokeEndpoint)]);
    await connectCcipLane(hub, spoke, { signers: DEV_LOCAL_CCV_KEYS.map((k) => privateKeyToAddress(k)), threshold: DEV_LOCAL_CCV_THRESHOLD });
    adapters = await deployRwaCcipAdapters(hub, spoke, receiver, { ccipReceiveGasLimit: RECEIVE_GAS });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([hubChain?.stop(), spokeChain?.stop()]);
  });

  it('applies a subscription sent through the hub Router and executed on the spoke OffRamp', async ({ annotate }) => {
    const did = didHash(DID);
    const settlement: SettlementMessage = {
      kind: 'settlement',
      did,
      nonce: 4n,
      settlementKind: 'subscription',
      settlementRef: keccak256(stringToBytes('CCIP-LANE-SUB-1')),
      investor: INVESTOR,
      amount: AMOUNT,
      cashLegRef: keccak256(stringToBytes('MT103 CCIP-LANE-SUB-1')),
      settledAt: BigInt(Math.floor(Date.now() / 1000) - 3600),
      peerChainId: 0n,
    };
    const message = encodeMessage(settlement);
    const signatures = await committee.signFor(settlement, { chainId: BigInt(spoke.endpoint.chainId), receiver }, committeeSigners, DEV_COMMITTEE_THRESHOLD);

    // Source: anyone pays the fee and sends through RwaCcipSender.
    const h = clients(hub.endpoint, ANVIL_RELAYER_KEY);
    const args = [spoke.contracts.selector, adapters.adapter, message, signatures] as const;
    const fee = await h.pub.readContract({ address: adapters.sender, abi: rwaCcipSenderAbi, functionName: 'getFee', args });
    const sendHash = await h.wallet.writeContract({ address: adapters.sender, abi: rwaCcipSenderAbi, functionName: 'send', args, value: fee });
    const sendReceipt = await h.pub.waitForTransactionReceipt({ hash: sendHash, timeout: RECEIPT_TIMEOUT_MS });
    expect(sendReceipt.status).toBe('success');

    // Executor: what did the OnRamp emit, which CCVs does the spoke want, sign as the committee, execute.
    const sent = parseCcipMessagesSent(sendReceipt.logs, hub.contracts.onRamp);
    expect(sent).toHaveLength(1);
    const [m] = sent;
    expect(m?.destChainSelector).toBe(spoke.contracts.selector);
    expect(m?.sender.toLowerCase()).toBe(adapters.sender.toLowerCase());

    const s = clients(spoke.endpoint, ANVIL_RELAYER_KEY);
    const ccvs = await readRequiredCcvs(s.pub, spoke.contracts.offRamp, m!.encodedMessage);
    expect(ccvs.required.map((a) => a.toLowerCase())).toEqual([spoke.contracts.ccv.toLowerCase()]);
    const verifierResults = await buildCommitteeVerifierResults({ versionTag: LOCAL_COMMITTEE_VERSION_TAG, messageId: m!.messageId, signerKeys: DEV_LOCAL_CCV_KEYS.slice(0, DEV_LOCAL_CCV_THRESHOLD) });
    const execHash = await executeCcipMessage(s.wallet, { offRamp: spoke.contracts.offRamp, encodedMessage: m!.encodedMessage, ccvs: ccvs.required, verifierResults: [verifierResults] });
    const execReceipt = await s.pub.waitForTransactionReceipt({ hash: execHash, timeout: RECEIPT_TIMEOUT_MS });
    expect(execReceipt.status).toBe('success');

    const outcomes = parseExecutionOutcomes(execReceipt.logs, spoke.contracts.offRamp);
    expect(outcomes).toEqual([{ messageId: m!.messageId, sourceChainSelector: hub.contracts.selector, messageNumber: 1n, state: 'SUCCESS', returnData: '0x' }]);

    // Applied on the spoke: holdings minted, nonce consumed.
    const state = await s.pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [did] });
    expect(await s.pub.readContract({ address: state.holdings, abi: rwaHoldingsAbi, functionName: 'balanceOf', args: [INVESTOR] })).toBe(AMOUNT);
    expect(await s.pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [did, 4n] })).toBe(true);

    await annotate(`OffRamp.execute gasUsed ${execReceipt.gasUsed} (tx, incl. intrinsic and calldata); send gasUsed ${sendReceipt.gasUsed}; fee ${fee} wei`);
  }, 120_000);

  it('on a live lane, reports a send nobody executed yet as in flight, and an execution that ended FAILURE as such', async () => {
    const did = didHash(DID);
    // Over the spoke's cap: the receiver reverts SupplyCapExceeded inside the OffRamp, which records FAILURE.
    const settlement: SettlementMessage = {
      kind: 'settlement',
      did,
      nonce: 5n,
      settlementKind: 'subscription',
      settlementRef: keccak256(stringToBytes('CCIP-LANE-SUB-OVER-CAP')),
      investor: INVESTOR,
      amount: 10n ** 16n,
      cashLegRef: keccak256(stringToBytes('MT103 CCIP-LANE-SUB-OVER-CAP')),
      settledAt: BigInt(Math.floor(Date.now() / 1000) - 3600),
      peerChainId: 0n,
    };
    const message = encodeMessage(settlement);
    const signatures = await committee.signFor(settlement, { chainId: BigInt(spoke.endpoint.chainId), receiver }, committeeSigners, DEV_COMMITTEE_THRESHOLD);
    const job = pendingJob({ id: 1, attestationId: keccak256(message), seq: 1, did: DID, didHash: did, nonce: '5', kind: 'settlement', chainId: spoke.endpoint.chainId, transport: 'ccip', receiver, message, signatures });
    const live = new CcipTransport(
      {
        source: { chainId: hub.endpoint.chainId, name: 'hub', rpcUrl: hub.endpoint.rpcUrl, sender: adapters.sender, confirmations: 0 },
        destination: { name: 'spoke', chainId: spoke.endpoint.chainId, rpcUrl: spoke.endpoint.rpcUrl, receiver, confirmations: 0, selector: BigInt(spoke.contracts.selector), adapter: adapters.adapter },
        roles: { mode: 'live', offRamp: spoke.contracts.offRamp },
      },
      ANVIL_RELAYER_KEY,
      500,
    );
    const sent = await live.submit(job);
    expect(await live.waitForReceipt(sent.txHash as Hex, job)).toMatchObject({ status: 'inFlight' });

    // Chainlink's executor (played here) executes it once; the receiver reverts, CCIP records FAILURE.
    const h = clients(hub.endpoint, ANVIL_RELAYER_KEY);
    const [m] = parseCcipMessagesSent((await h.pub.getTransactionReceipt({ hash: sent.txHash as Hex })).logs, hub.contracts.onRamp);
    const s = clients(spoke.endpoint, ANVIL_RELAYER_KEY);
    const ccvs = await readRequiredCcvs(s.pub, spoke.contracts.offRamp, m!.encodedMessage);
    const verifierResults = await buildCommitteeVerifierResults({ versionTag: LOCAL_COMMITTEE_VERSION_TAG, messageId: m!.messageId, signerKeys: DEV_LOCAL_CCV_KEYS.slice(0, DEV_LOCAL_CCV_THRESHOLD) });
    const exec = await s.pub.waitForTransactionReceipt({ hash: await executeCcipMessage(s.wallet, { offRamp: spoke.contracts.offRamp, encodedMessage: m!.encodedMessage, ccvs: ccvs.required, verifierResults: [verifierResults] }), timeout: RECEIPT_TIMEOUT_MS });
    expect(parseExecutionOutcomes(exec.logs, spoke.contracts.offRamp)[0]?.state).toBe('FAILURE');

    const failed = await live.waitForReceipt(sent.txHash as Hex, job).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(CcipExecutionFailedError);
    expect(failed).toMatchObject({ messageId: m!.messageId, state: 'FAILURE', retryable: true });
    expect(await s.pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [did, 5n] })).toBe(false);
  }, 120_000);
});
