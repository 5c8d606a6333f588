import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseError, ContractFunctionRevertedError, createTestClient, http, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { rwaReceiverAbi } from '../../schemas/abi.js';
import { DEV_COMMITTEE_THRESHOLD, devReceiverArgs } from '../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../schemas/ids.js';
import { encodeMessage, type AttestationMessage } from '../../schemas/message.js';
import { startAnvil, type AnvilChain } from '../../devnet/anvil.js';
import { Destinations } from '../../core/chain/destinations.js';
import { Committee } from '../issue/committee/local.js';
import { apply, buildContracts, clients, committee, committeeSigners, deliver, deploy, type Unnumbered } from '../../testkit/anvil-chain.js';
import { GOVERNANCE_KEY } from './signer-expiry.js';

/**
 * Chain test of signer sets that expire (issue 24, point 4) on a real receiver: the DID's set (the dev committee) ends
 * a day after it is configured; anvil's clock is moved past it (evm_increaseTime), and every delivery is refused with
 * SignerSetExpired until a config signed by governance (a separate key set) lands; then the refused settlement applies.
 */
const CHAIN_ID = 31_338;
const DID = didHash('did:rwa:test:expiry' as DidString);
const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const governance = new Committee([1, 2, 3].map((i) => keccak256(stringToBytes(`expiry test governance ${i}`))));
const governanceSigners = [...governance.addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
const YEAR = 365 * 86_400;

let anvil: AnvilChain;
let receiver: Address;

async function chainNow(): Promise<number> {
  return Number((await clients(anvil).pub.getBlock()).timestamp);
}

/** Signed by governance (a first config, or one after the DID's set ended). */
async function deliverByGovernance(nonce: bigint, m: Unnumbered): Promise<bigint> {
  const message = { ...m, did: DID, nonce } as AttestationMessage;
  const signatures = await governance.signFor(message, { chainId: BigInt(CHAIN_ID), receiver }, governanceSigners, 2);
  return apply(anvil, receiver, encodeMessage(message), signatures);
}

const config = (signersValidUntil: number): Unnumbered => ({
  kind: 'config', threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500,
  signers: committeeSigners, name: 'Expiry Test Fund', symbol: 'ETF', signersValidUntil,
});
const subscription = (ref: string): Unnumbered => ({
  kind: 'settlement', settlementKind: 'subscription', settlementRef: keccak256(stringToBytes(ref)), investor: INVESTOR, amount: 1_000n,
  cashLegRef: keccak256(stringToBytes(`cash ${ref}`)), settledAt: 1n, peerChainId: 0n,
});

/** The custom error a call reverts with, by name and arguments. */
async function revertOf(call: Promise<unknown>): Promise<{ name: string; args: readonly unknown[] }> {
  try {
    await call;
  } catch (err) {
    const reverted = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    if (reverted instanceof ContractFunctionRevertedError && reverted.data) return { name: reverted.data.errorName, args: reverted.data.args ?? [] };
    throw err;
  }
  throw new Error('the call did not revert');
}

async function simulate(nonce: bigint, m: Unnumbered, by: Committee, signers: readonly Address[]): Promise<unknown> {
  const message = { ...m, did: DID, nonce } as AttestationMessage;
  const signatures: Hex = await by.signFor(message, { chainId: BigInt(CHAIN_ID), receiver }, signers, 2);
  return clients(anvil).pub.simulateContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [encodeMessage(message), signatures] });
}

const balance = async (): Promise<bigint> => {
  const state = await clients(anvil).pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [DID] });
  return clients(anvil).pub.readContract({ address: state.holdings, abi: [{ type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ type: 'address' }], outputs: [{ type: 'uint256' }] }] as const, functionName: 'balanceOf', args: [INVESTOR] });
};

describe('a DID whose signer set ends, on anvil', () => {
  beforeAll(async () => {
    buildContracts();
    anvil = await startAnvil('signer-expiry', CHAIN_ID);
    receiver = await deploy(anvil, 'RwaReceiver', devReceiverArgs(governanceSigners, 2, BigInt((await chainNow()) + 10 * YEAR)));
  }, 300_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('refuses every delivery past the end until a governance config lands, then applies them', async () => {
    const end = (await chainNow()) + 86_400;
    await deliverByGovernance(1n, config(end));
    await deliver(anvil, receiver, DID, 2n, { kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
    await deliver(anvil, receiver, DID, 3n, { kind: 'reserve', reserve: 10n ** 12n, asOf: BigInt(await chainNow()), caps: [{ chainId: BigInt(CHAIN_ID), cap: 10n ** 12n, ceiling: 0n }] });
    await deliver(anvil, receiver, DID, 4n, subscription('before the end'));
    expect(await balance()).toBe(1_000n);
    const destinations = new Destinations([{ name: 'spoke', chainId: CHAIN_ID, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }]);
    expect(await destinations.signersValidUntilOf(CHAIN_ID, DID)).toBe(end);
    expect(await destinations.signersValidUntilOf(CHAIN_ID, GOVERNANCE_KEY)).toBeGreaterThan(end);

    // Past the end: the settlement, and a config the DID's own (expired) set signs, are refused.
    const test = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) });
    await test.increaseTime({ seconds: 2 * 86_400 });
    await test.mine({ blocks: 1 });
    expect(await revertOf(simulate(5n, subscription('after the end'), committee, committeeSigners))).toEqual({ name: 'SignerSetExpired', args: [DID, BigInt(end)] });
    const renewed = (await chainNow()) + YEAR;
    expect((await revertOf(simulate(6n, config(renewed), committee, committeeSigners))).name).toBe('UnauthorizedSigner');
    expect(await balance()).toBe(1_000n);

    // Governance renews the set; the refused settlement now applies.
    await deliverByGovernance(6n, config(renewed));
    expect(await destinations.signersValidUntilOf(CHAIN_ID, DID)).toBe(renewed);
    await deliver(anvil, receiver, DID, 5n, subscription('after the end'));
    expect(await balance()).toBe(2_000n);
  }, 120_000);
});
