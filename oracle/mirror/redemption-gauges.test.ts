import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keccak256, stringToBytes } from 'viem';
import { DEV_CUSTODIAN_KEY } from '../../schemas/dev-keys.js';
import { signFulfilment } from '../../clients/custodian.js';
import { DID, DOMAIN, HASH, HUB, INVESTOR, NOW, SPOKE_A, SPOKE_B, makeRedemptions } from '../../testkit/oracle-redemption.js';
import { RedemptionGauges } from './redemption-gauges.js';

// Unit test: chains are the testkit's in-memory fakes; store, services and app are real.
let k: ReturnType<typeof makeRedemptions>;

const fulfil = async (ref: string, amount: string) => {
  const body = await signFulfilment(DEV_CUSTODIAN_KEY, DOMAIN, { did: DID, chainId: SPOKE_A, requestId: '1', settlementRef: ref, amount, cashLegRef: keccak256(stringToBytes(ref)), settledAt: NOW - 10 });
  return k.app.request('/v1/redemptions/fulfilments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
};
const gauge = async (name: 'redemptionQueueSize' | 'redemptionQueueAge', stage: string) => (await k.metrics[name].get()).values.find((v) => v.labels.did === DID && v.labels.stage === stage)?.value;

beforeEach(async () => {
  k = makeRedemptions();
  k.world.heads.set(HUB, 10n).set(SPOKE_A, 10n).set(SPOKE_B, 10n);
  k.world.supplies.set(HUB, 6_000n).set(SPOKE_A, 3_000n).set(SPOKE_B, 1_000n);
  k.world.requested.set(SPOKE_A, [{ did: HASH, requestId: 1n, owner: INVESTOR, amount: 100n, requestedAt: BigInt(NOW - 100), blockNumber: 5n, logIndex: 0 }]);
  // Accepted by the custodian (kind 13), so fulfilments may pay it.
  k.world.requests.set(`${SPOKE_A}:1`, { owner: INVESTOR, amount: 100n, fulfilled: 0n, requestedAt: BigInt(NOW - 100), cancelled: false, accepted: true });
  await k.requestWatcher.tick();
  k.world.allowances.set(`${SPOKE_A}:1`, 100n);
});

describe('RedemptionGauges', () => {
  it("recomputes a DID only when its requests, stage or redemption attestations moved; otherwise it only ages", async () => {
    const gauges = new RedemptionGauges({ store: k.store, redemptions: k.redemptions, metrics: k.metrics, now: () => k.clock.now });
    const reads = vi.spyOn(k.redemptions, 'requests');
    gauges.refresh();
    expect(gauges.recomputed).toBe(1);
    expect(await gauge('redemptionQueueSize', 'A')).toBe(1);
    expect(await gauge('redemptionQueueAge', 'A')).toBe(100);

    // Nothing changed: no request (nor its fulfilments) is read, the age still moves with the clock.
    reads.mockClear();
    k.clock.now = BigInt(NOW + 30);
    gauges.refresh();
    expect(gauges.recomputed).toBe(0);
    expect(reads).not.toHaveBeenCalled();
    expect(await gauge('redemptionQueueAge', 'A')).toBe(130);

    // A partial fulfilment moves the mark; a full one closes the request.
    expect((await fulfil('PAY-1', '40')).status).toBe(201);
    gauges.refresh();
    expect(gauges.recomputed).toBe(1);
    expect(await gauge('redemptionQueueSize', 'A')).toBe(1);
    expect((await fulfil('PAY-2', '60')).status).toBe(201);
    gauges.refresh();
    expect(gauges.recomputed).toBe(1);
    expect(await gauge('redemptionQueueSize', 'A')).toBe(0);
    expect(await gauge('redemptionQueueAge', 'A')).toBe(0);
  });
});
