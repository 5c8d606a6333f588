import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { pino } from 'pino';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_THRESHOLD, DEV_SIGNERS_VALID_UNTIL, devReceiverArgs } from '../schemas/dev-keys.js';
import { startAnvil, type AnvilChain } from '../devnet/anvil.js';
import { buildContracts, clients, committeeSigners, deliver, deploy, subscriptionOf } from '../testkit/anvil-chain.js';
import { CHAINS, DID_HASH, INVESTOR, NOW } from '../testkit/committee.js';
import { createMetrics } from './metrics.js';
import { NonceManager } from './nonces.js';
import { DrainKeeper } from './drain-keeper.js';

/**
 * Chain test: the real RwaReceiver (with limits' brakes) on anvil; the dev committee's attestations are applied
 * directly, then the drain keeper follows the queue events and drains what the mint bucket holds, in order, as time
 * passes (evm_increaseTime, explicit blocks: no sleep).
 */
const SPOKE = CHAINS.find((c) => c.chainId === 31338)!;
const CAPACITY = 1_000_000n;
/** One unit per second: the bucket refills only when the test moves the chain's clock. */
const REFILL = 1n;
const AMOUNT = 400_000n;

let anvil: AnvilChain;
let receiver: Address;
let nonce = 0n;

const subscribe = (ref: string) =>
  deliver(anvil, receiver, DID_HASH, ++nonce, subscriptionOf(ref, INVESTOR, AMOUNT, BigInt(NOW)));

const advance = async (seconds: bigint) => {
  const { pub } = clients(anvil);
  await pub.request({ method: 'evm_increaseTime', params: [`0x${seconds.toString(16)}`] } as never);
  await pub.request({ method: 'evm_mine', params: [] } as never);
};

describe('drain keeper against RwaReceiver brakes on anvil', () => {
  beforeAll(async () => {
    buildContracts();
    anvil = await startAnvil('drain-keeper', SPOKE.chainId);
    receiver = await deploy(anvil, 'RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD));
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'config', threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'Fund A', symbol: 'FA', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'reserve', reserve: 10n ** 12n, asOf: BigInt(NOW) - 100n, caps: [{ chainId: BigInt(SPOKE.chainId), cap: 10n ** 12n, ceiling: 0n }] });
    await deliver(anvil, receiver, DID_HASH, ++nonce, {
      kind: 'brakes',
      chainId: BigInt(SPOKE.chainId),
      mintCapacity: CAPACITY,
      mintRefillPerSecond: REFILL,
      burnCapacity: 0n,
      burnRefillPerSecond: 0n,
      largeAmount: 0n,
      largeThreshold: 0,
    });
  }, 300_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('waits while the head does not fit, then drains the queue in order as the bucket refills', async () => {
    const metrics = createMetrics();
    const keeper = new DrainKeeper(
      { chainId: SPOKE.chainId, name: SPOKE.name, rpcUrl: anvil.rpcUrl, receiver, confirmations: 0 },
      ANVIL_RELAYER_KEY,
      new NonceManager(),
      metrics,
      pino({ level: 'silent' }),
      { maxItems: 16, startBlock: 0n, maxSpan: 10_000n, nowSeconds: () => 0n },
    );
    // Four subscriptions of 400k into a bucket of 1M: two apply, two queue (the second behind the first).
    for (const ref of ['S1', 'S2', 'S3', 'S4']) await subscribe(ref);
    const queuedNonces = [nonce - 1n, nonce];
    const [head, tail] = await clients(anvil).pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'queuedOf', args: [DID_HASH, 0] });
    expect(tail - head).toBe(2n);

    // 200k left: the head (400k) does not fit for another 200,000 s; nothing is sent.
    // (The chain's clock follows the wall clock between blocks: a second or two may have refilled since S2 applied.)
    const waiting = await keeper.tick();
    expect(waiting).toMatchObject([{ did: DID_HASH.toLowerCase(), direction: 0, action: 'waiting', queued: 2 }]);
    const fitsIn = waiting[0]?.action === 'waiting' ? waiting[0].headFitsInSeconds : undefined;
    expect(fitsIn).toBeLessThanOrEqual(200_000n);
    expect(fitsIn).toBeGreaterThan(200_000n - 60n);
    expect((await metrics.drainCalls.get()).values).toEqual([]);
    expect((await metrics.brakesQueued.get()).values).toMatchObject([{ labels: { chain: String(SPOKE.chainId), direction: 'mint' }, value: 2 }]);

    // After 200,000 s the head fits, the second does not: one item drained.
    await advance(200_000n);
    const first = await keeper.tick();
    expect(first).toMatchObject([{ action: 'drained', items: 1 }]);

    // Enough for the last: drained too; then the queue is empty and nothing is left to look at.
    await advance(400_000n);
    expect(await keeper.tick()).toMatchObject([{ action: 'drained', items: 1 }]);
    expect(await keeper.tick()).toEqual([]);

    const applied = await clients(anvil).pub.getContractEvents({ address: receiver, abi: rwaReceiverAbi, eventName: 'QueuedSettlementApplied', fromBlock: 0n, strict: true });
    expect(applied.map((e) => [e.args.nonce, e.args.queueIndex])).toEqual([
      [queuedNonces[0], 0n],
      [queuedNonces[1], 1n],
    ]);
    expect((await metrics.drainCalls.get()).values).toMatchObject([{ labels: { chain: String(SPOKE.chainId), outcome: 'sent' }, value: 2 }]);
    expect(keeper.queued().get(`${DID_HASH.toLowerCase()}:0`)).toBe(0);
  });
});
