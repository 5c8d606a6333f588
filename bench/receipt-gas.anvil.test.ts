import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { encodeMessage, type AttestationMessage } from '../schemas/message.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_THRESHOLD, DEV_SIGNERS_VALID_UNTIL, devReceiverArgs } from '../schemas/dev-keys.js';
import { startAnvil, type AnvilChain } from '../devnet/anvil.js';
import { buildContracts, clients, committee, committeeSigners, deliver, deploy, subscriptionOf, type Unnumbered } from '../testkit/anvil-chain.js';
import { CHAINS, DID_HASH, INVESTOR, NOW } from '../testkit/committee.js';

/**
 * Issue 24's gas point on a real chain: the receipt gas the relayer pays for a 2-of-3 subscription to an existing
 * holder (nonce word in use), without brakes and with every brake configured (a mint rate limit and an amount line),
 * against the issue's 77,450 + 10% = 85,195. Forge asserts the same budget from execution gas
 * (BrakesGasTest); this reads the receipts anvil gives.
 */
const SPOKE = CHAINS.find((c) => c.chainId === 31338)!;
const BUDGET = 85_195n;

let anvil: AnvilChain;
let receiver: Address;
let nonce = 0n;

const subscription = (ref: string): Unnumbered => subscriptionOf(ref, INVESTOR, 1_000n, BigInt(NOW));

/** Delivers one attestation as the relayer does (receiveMessage) and returns its receipt's gasUsed. */
async function receiptGas(m: Unnumbered): Promise<bigint> {
  const message = { ...m, did: DID_HASH, nonce: ++nonce } as AttestationMessage;
  const signatures = await committee.signFor(message, { chainId: BigInt(anvil.chainId), receiver }, committeeSigners, DEV_COMMITTEE_THRESHOLD);
  const { wallet, pub } = clients(anvil, ANVIL_RELAYER_KEY);
  const hash = await wallet.writeContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [encodeMessage(message), signatures] });
  const receipt = await pub.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe('success');
  return receipt.gasUsed;
}

describe('receipt gas of a settlement with every brake configured (anvil)', () => {
  beforeAll(async () => {
    buildContracts();
    anvil = await startAnvil('receipt-gas', SPOKE.chainId);
    receiver = await deploy(anvil, 'RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD));
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'config', threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'Fund A', symbol: 'FA', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
    await deliver(anvil, receiver, DID_HASH, ++nonce, { kind: 'reserve', reserve: 10n ** 15n, asOf: BigInt(NOW) - 100n, caps: [{ chainId: BigInt(SPOKE.chainId), cap: 10n ** 15n, ceiling: 0n }] });
  }, 300_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('stays within 10% of 77,450 with a rate limit and an amount line', async () => {
    await receiptGas(subscription('warm-up')); // the investor holds units and the nonce word is in use
    const plain = await receiptGas(subscription('plain'));
    await receiptGas({
      kind: 'brakes',
      chainId: BigInt(SPOKE.chainId),
      mintCapacity: 10n ** 12n,
      mintRefillPerSecond: 10n ** 6n,
      burnCapacity: 10n ** 12n,
      burnRefillPerSecond: 10n ** 6n,
      largeAmount: 10n ** 9n,
      largeThreshold: 3,
    });
    await receiptGas(subscription('braked warm-up')); // the bucket has been written once, as on a live chain
    const braked = await receiptGas(subscription('braked'));
    console.log(`receipt gas, 2-of-3 subscription to an existing holder: no brakes ${plain}, every brake ${braked} (budget ${BUDGET})`);
    expect(braked).toBeGreaterThan(plain); // the brakes did run
    expect(braked).toBeLessThanOrEqual(BUDGET);
  }, 120_000);
});
