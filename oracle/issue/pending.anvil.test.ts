import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { keccak256, type Address } from 'viem';
import { rwaReceiverAbi } from '../../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_THRESHOLD, DEV_SIGNERS_VALID_UNTIL, devReceiverArgs } from '../../schemas/dev-keys.js';
import { encodeMessage, type AttestationMessage } from '../../schemas/message.js';
import { startAnvil, type AnvilChain } from '../../devnet/anvil.js';
import { openDb } from '../../common/sqlite.js';
import * as schema from '../store/schema.js';
import { AttestationStore } from '../store/attestations.js';
import { PendingReservations } from './pending.js';
import { buildContracts, clients, committeeSigners, deliver, deploy, mined, subscriptionOf, type Unnumbered } from '../../testkit/anvil-chain.js';
import { CHAINS, DID, DID_HASH, INVESTOR, NOW } from '../../testkit/committee.js';
import { Destinations } from '../../core/chain/destinations.js';

/**
 * Chain test: the real RwaReceiver with a mint bucket; a subscription over it is queued (its nonce used, nothing
 * minted). Destinations.settlementState tells pending, queued and applied apart, and the oracle's reservations keep
 * counting the queued mint under the chain's cap until the drain applies it (issue 24 review, finding 1).
 */
const SPOKE = CHAINS.find((c) => c.chainId === 31338)!;
const CAPACITY = 1_000_000n;
const AMOUNT = 400_000n;

let anvil: AnvilChain;
let receiver: Address;
let nonce = 0n;
let store: AttestationStore;

const subscription = (ref: string): Unnumbered => subscriptionOf(ref, INVESTOR, AMOUNT, BigInt(NOW));

/** Stores the subscription as the oracle would (signed for SPOKE), applies it on chain, and returns its nonce. */
async function subscribe(ref: string): Promise<bigint> {
  const n = ++nonce;
  const m = subscription(ref);
  const message = encodeMessage({ ...m, did: DID_HASH, nonce: n } as AttestationMessage);
  store.insert(
    { id: keccak256(message), did: DID, didHash: DID_HASH, nonce: Number(n), kind: 'settlement', sourceRef: ref, requestHash: '0x', request: '{}', submitter: INVESTOR, message, createdAt: '2026-12-05T00:00:00.000Z' },
    [{ chainId: SPOKE.chainId, receiver, signatures: '[]' }],
  );
  await deliver(anvil, receiver, DID_HASH, n, m);
  return n;
}

describe('settlement state and reservations against RwaReceiver brakes on anvil', () => {
  beforeAll(async () => {
    buildContracts();
    anvil = await startAnvil('settlement-state', SPOKE.chainId);
    receiver = await deploy(anvil, 'RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD));
    store = new AttestationStore(openDb(':memory:', schema, join(import.meta.dirname, '..', 'store', 'migrations')).db);
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'config', threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'Fund A', symbol: 'FA', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'reserve', reserve: 10n ** 12n, asOf: BigInt(NOW) - 100n, caps: [{ chainId: BigInt(SPOKE.chainId), cap: 10n ** 12n, ceiling: 0n }] });
    // A mint bucket of 1M refilling one unit a second: it refills only when the test moves the chain's clock.
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'brakes', chainId: BigInt(SPOKE.chainId), mintCapacity: CAPACITY, mintRefillPerSecond: 1n, burnCapacity: 0n, burnRefillPerSecond: 0n, largeAmount: 0n, largeThreshold: 0 });
  }, 300_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('calls a queued settlement queued (not applied) and keeps reserving it under the cap until drained', async () => {
    const chains = new Destinations([{ name: SPOKE.name, chainId: SPOKE.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }]);
    const pending = new PendingReservations({ store, destinations: chains });
    const state = (n: bigint) => chains.settlementState(SPOKE.chainId, DID_HASH, n);

    const first = await subscribe('S1');
    // Nothing queued on the chain: applied without reading any log.
    expect(await state(first)).toBe('applied');
    const second = await subscribe('S2');
    const third = await subscribe('S3');
    // 1M bucket, 400k each: the third is queued. Its nonce is used all the same, which is what misled the oracle.
    expect(await chains.isApplied(SPOKE.chainId, DID_HASH, third)).toBe(true);
    expect(await state(third)).toBe('queued');
    expect(await state(second)).toBe('applied');
    expect(await state(nonce + 1n)).toBe('pending');
    // Blocks go by: a provider that answers narrow log ranges only is walked back range by range to the event.
    const { pub: chainPub } = clients(anvil);
    for (let i = 0; i < 7; i++) await chainPub.request({ method: 'evm_mine', params: [] } as never);
    const narrow = new Destinations([{ name: SPOKE.name, chainId: SPOKE.chainId, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 }], 2n);
    expect(await narrow.settlementState(SPOKE.chainId, DID_HASH, third)).toBe('queued');
    expect((await chains.holdingsState(SPOKE.chainId, DID_HASH)).totalSupply).toBe(2n * AMOUNT);
    // The oracle's reservation for a new subscription: the queued 400k still counts (the supply does not hold it).
    expect(await pending.settlements(DID, DID_HASH, SPOKE.chainId, INVESTOR)).toEqual({ reserved: { mint: AMOUNT, burn: 0n }, refined: true });

    // The bucket refills the head (200k more needed); anyone drains it.
    const { pub, wallet } = clients(anvil, ANVIL_RELAYER_KEY);
    await pub.request({ method: 'evm_increaseTime', params: ['0x30d40'] } as never); // 200,000 s
    await mined(anvil, await wallet.writeContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'drainQueued', args: [DID_HASH, 0, 1n] }));
    expect(await state(third)).toBe('applied');
    expect((await chains.holdingsState(SPOKE.chainId, DID_HASH)).totalSupply).toBe(3n * AMOUNT);
    expect(await pending.settlements(DID, DID_HASH, SPOKE.chainId, INVESTOR)).toEqual({ reserved: { mint: 0n, burn: 0n }, refined: true });
  }, 120_000);
});
