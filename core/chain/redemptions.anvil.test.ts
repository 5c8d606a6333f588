import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaDidRegistryAbi, rwaReceiverAbi, rwaRedemptionsAbi } from '../../schemas/abi.js';
import { DEV_COMMITTEE_THRESHOLD, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../../schemas/dev-keys.js';
import { didHash, type DidString } from '../../schemas/ids.js';
import { startAnvil, type AnvilChain } from '../../devnet/anvil.js';
import { INVESTOR_KEY, buildContracts, deployRegistryWithDid, clients, committeeSigners as signers, deploy, deliver as deliverOn, mined as minedOn, type Unnumbered } from '../../testkit/anvil-chain.js';
import { Destinations } from './destinations.js';
import { RedemptionChains } from './redemptions.js';

/**
 * Chain test: the reader against the real RwaReceiver, RwaRedemptions and RwaDidRegistry on one anvil chain (the
 * hub). Set-up attestations are signed by the dev committee and applied directly; the investor (anvil account 3)
 * requests and cancels on the module itself. Every wait is a receipt with a deadline.
 */
const CHAIN_ID = 41_201;
const DID = 'did:rwa:redemptions-reader-test:fund' as DidString;
const HASH = didHash(DID);
const INVESTOR = privateKeyToAccount(INVESTOR_KEY).address;

let anvil: AnvilChain;
let receiver: Address;
let registry: Address;
let reader: RedemptionChains;
let nonce = 0n;

const mined = (hash: Hex) => minedOn(anvil, hash);
const deliver = (m: Unnumbered) => deliverOn(anvil, receiver, HASH, (nonce += 1n), m);

describe('RedemptionChains against RwaRedemptions on anvil', () => {
  beforeAll(async () => {
    anvil = await startAnvil('hub', CHAIN_ID);
    buildContracts();
    receiver = await deploy(anvil, 'RwaReceiver', devReceiverArgs(signers, DEV_COMMITTEE_THRESHOLD));
    registry = await deployRegistryWithDid(anvil, { did: DID, name: 'Reader Test Fund', symbol: 'RTF', custodians: [], chainIds: [CHAIN_ID] });
    reader = new RedemptionChains([{ name: 'hub', chainId: CHAIN_ID, rpcUrl: anvil.rpcUrl, receiver, confirmations: 1 }], { rpcUrl: anvil.rpcUrl, registry });
    const now = (await clients(anvil).pub.getBlock()).timestamp;
    await deliver({ kind: 'config', threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers, name: 'Reader Test Fund', symbol: 'RTF', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
    await deliver({ kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
    await deliver({ kind: 'reserve', reserve: 10n ** 12n, asOf: now, caps: [{ chainId: BigInt(CHAIN_ID), cap: 10n ** 12n, ceiling: 0n }] });
    await deliver({
      kind: 'settlement',
      settlementKind: 'subscription',
      settlementRef: keccak256(stringToBytes('SUB-1')),
      investor: INVESTOR,
      amount: 10_000n,
      cashLegRef: keccak256(stringToBytes('wire SUB-1')),
      settledAt: now,
      peerChainId: 0n,
    });
  }, 180_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('reads requests, cancellations, the allowance, the stage and the supply at a block; confirmations hold back the safe head', async () => {
    const module = await clients(anvil).pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'redemptions' });
    const investor = clients(anvil, INVESTOR_KEY).wallet;
    const block1 = await mined(await investor.writeContract({ address: module, abi: rwaRedemptionsAbi, functionName: 'requestRedeem', args: [HASH, 400n] }));
    const block2 = await mined(await investor.writeContract({ address: module, abi: rwaRedemptionsAbi, functionName: 'requestRedeem', args: [HASH, 100n] }));
    const block3 = await mined(await investor.writeContract({ address: module, abi: rwaRedemptionsAbi, functionName: 'cancelRedeem', args: [HASH, 2n] }));
    // The custodian accepts request 1 (kind 13): from then on it may be fulfilled and no longer cancelled.
    const block4 = await deliver({ kind: 'redemptionAcceptance', requestId: 1n, owner: INVESTOR, amount: 400n, acceptedAt: (await clients(anvil).pub.getBlock()).timestamp });

    expect(await reader.safeHead(CHAIN_ID)).toBe(block4 - 1n);
    expect(await reader.latestBlock(CHAIN_ID)).toBe(block4);
    const { requested, cancelled } = await reader.requestLogs(CHAIN_ID, 0n, block3);
    expect(requested.map((r) => [r.requestId, r.owner, r.amount, r.blockNumber])).toEqual([
      [1n, INVESTOR, 400n, block1],
      [2n, INVESTOR, 100n, block2],
    ]);
    expect(cancelled.map((c) => [c.requestId, c.blockNumber])).toEqual([[2n, block3]]);
    expect(await reader.requestLogAt(CHAIN_ID, HASH, 1n, block1)).toMatchObject({ requestId: 1n, amount: 400n, requestedAt: requested[0]!.requestedAt });
    expect(await reader.requestLogAt(CHAIN_ID, HASH, 1n, block2)).toBeUndefined();

    expect(await reader.requestOf(CHAIN_ID, HASH, 1n)).toMatchObject({ owner: INVESTOR, amount: 400n, fulfilled: 0n, cancelled: false, accepted: true });
    expect(await reader.requestOf(CHAIN_ID, HASH, 1n, block3)).toMatchObject({ accepted: false });
    expect(await reader.requestOf(CHAIN_ID, HASH, 2n)).toMatchObject({ cancelled: true });
    expect(await reader.requestOf(CHAIN_ID, HASH, 3n)).toBeUndefined();
    expect(await reader.redeemableNow(CHAIN_ID, HASH, 1n)).toBe(400n);
    // Pinned to a past block: the request as it was then (not there yet, then open, cancelled one block later).
    expect(await reader.requestOf(CHAIN_ID, HASH, 2n, block1)).toBeUndefined();
    expect(await reader.requestOf(CHAIN_ID, HASH, 2n, block2)).toMatchObject({ amount: 100n, cancelled: false });
    expect(await reader.requestOf(CHAIN_ID, HASH, 2n, block3)).toMatchObject({ cancelled: true });
    expect(await reader.redeemableNow(CHAIN_ID, HASH, 1n, block1 - 1n)).toBe(0n);
    expect(await reader.redeemableNow(CHAIN_ID, HASH, 1n, block1)).toBe(0n); // not accepted yet
    expect(await reader.redeemableNow(CHAIN_ID, HASH, 1n, block4)).toBe(400n);
    expect(await reader.stageOf(CHAIN_ID, HASH)).toMatchObject({ stage: 'A', stageSeq: 0n, reason: 'none' });
    // Locking moves units to the module: the supply is the same before and after the requests.
    expect(await reader.totalSupplyAt(CHAIN_ID, HASH, block1 - 1n)).toBe(10_000n);
    expect(await reader.totalSupplyAt(CHAIN_ID, HASH, block3)).toBe(10_000n);
    expect(await reader.totalSupplyAt(CHAIN_ID, HASH, 1n)).toBe(0n);
    expect(await reader.blockTimestamp(CHAIN_ID, block1)).toBe(requested[0]!.requestedAt);
  });

  it('reads the stage change a report causes and the allowance it leaves (stage C: nothing)', async () => {
    const [request] = (await reader.requestLogs(CHAIN_ID, 0n, await reader.safeHead(CHAIN_ID))).requested;
    // 400 of a 10,000 pool is 4%: past the default 3% of stage C.
    const at = await deliver({ kind: 'redemptionRequest', chainId: BigInt(CHAIN_ID), requestId: 1n, owner: INVESTOR, amount: 400n, requestedAt: request!.requestedAt, poolSupply: 10_000n });
    const [change] = await reader.stageLogs(CHAIN_ID, at, at, HASH);
    expect(change).toMatchObject({ did: HASH, stageSeq: 1n, stage: 'C', reason: 'threshold', dayRequested: 400n, poolSupply: 10_000n, blockNumber: at });
    expect(await reader.stageLogs(CHAIN_ID, at, at, keccak256(stringToBytes('other')) as typeof HASH)).toEqual([]);
    expect(await reader.stageOf(CHAIN_ID, HASH)).toMatchObject({ stage: 'C', stageSeq: 1n });
    expect(await reader.redeemableNow(CHAIN_ID, HASH, 1n)).toBe(0n);
    // Pinned to the block before the report: the allowance it had and the report's nonce not used yet.
    expect(await reader.redeemableNow(CHAIN_ID, HASH, 1n, at - 1n)).toBe(400n);
    expect(await reader.redeemableNow(CHAIN_ID, HASH, 1n, at)).toBe(0n);
    const destinations = new Destinations([{ name: 'hub', chainId: CHAIN_ID, rpcUrl: anvil.rpcUrl, receiver, confirmations: 1 }]);
    expect(await destinations.isApplied(CHAIN_ID, HASH, nonce, at - 1n)).toBe(false);
    expect(await destinations.isApplied(CHAIN_ID, HASH, nonce, at)).toBe(true);
    expect(await destinations.isApplied(CHAIN_ID, HASH, nonce)).toBe(true);
  });

  it("reads the registry's policy: the defaults until the issuer sets one", async () => {
    expect(await reader.redemptionPolicyOf(HASH)).toEqual({ stageBBps: 100, stageCBps: 300, instalments: 7, windowSeconds: 604_800, emergency: false });
    const { wallet } = clients(anvil);
    await mined(await wallet.writeContract({ address: registry, abi: rwaDidRegistryAbi, functionName: 'setRedemptionPolicy', args: [HASH, 200, 500, 4, 86_400, true] }));
    expect(await reader.redemptionPolicyOf(HASH)).toEqual({ stageBBps: 200, stageCBps: 500, instalments: 4, windowSeconds: 86_400, emergency: true });
  });
});
