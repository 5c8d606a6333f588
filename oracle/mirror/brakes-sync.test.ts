import { beforeEach, describe, expect, it } from 'vitest';
import { keccak256, size, stringToBytes, type Hex } from 'viem';
import { decodeMessage } from '../../schemas/message.js';
import { DEV_CUSTODIAN_KEY } from '../../schemas/dev-keys.js';
import { NO_BRAKES_VALUES, type BrakesSnapshot, type BrakesValues } from '../../schemas/kinds/brakes-source.js';
import { signSettlement } from '../../clients/custodian.js';
import type { BrakesPort } from '../../core/chain/registry.js';
import { DID, DOMAIN, HASH, HUB, INVESTOR, NOW, SPOKE_A, SPOKE_B, makeRedemptions } from '../../testkit/oracle-redemption.js';
import type { AttestationRow } from '../store/attestations.js';
import { BrakesSync } from './brakes-sync.js';

// Unit test: hub registry and chains are in-memory fakes; store, committee keys, BrakesSync and the HTTP app are real.
let k: ReturnType<typeof makeRedemptions>;
/** The hub registry's brakes per chain (absent = none); `down` fails reads of those chains. */
let registryBrakes: Map<number, BrakesValues>;
let down: Set<number>;
let sync: BrakesSync;

const LINE = { mintCapacity: 1_000_000n, mintRefillPerSecond: 100n, burnCapacity: 0n, burnRefillPerSecond: 0n, largeAmount: 500_000n, largeThreshold: 3 };

beforeEach(() => {
  k = makeRedemptions();
  registryBrakes = new Map();
  down = new Set();
  const port: BrakesPort = {
    brakesOf: async (_h, chainId) => {
      if (down.has(Number(chainId))) throw new Error('rpc down');
      return registryBrakes.get(Number(chainId)) ?? NO_BRAKES_VALUES;
    },
  };
  sync = new BrakesSync({ ...k.deps, registry: k.deps.registry as never, brakes: port });
  // Subscriptions fit every chain's cap in these tests.
  Object.assign(k.deps.destinations, { holdingsState: async () => ({ configured: true, totalSupply: 0n, supplyCap: 10n ** 30n, paused: false, investorAllowed: true, investorBalance: 0n }) });
});

const chainsOf = (row: AttestationRow) => k.store.deliveriesOf(row.seq).map((d) => d.chainId);
const snapshotOf = (row: AttestationRow) => JSON.parse(row.request) as BrakesSnapshot;

describe('BrakesSync', () => {
  it('sends nothing while no chain of the DID has brakes', async () => {
    expect(await sync.sync()).toEqual([]);
    expect(k.store.ofKind(k.record.did, 'brakes')).toEqual([]);
  });

  it('sends one kind-14 attestation per change, to the chain of the brakes only, and none again on the next pass', async () => {
    registryBrakes.set(SPOKE_A, LINE);
    const [first, ...more] = await sync.sync();
    expect(more).toEqual([]);
    expect(first!.kind).toBe('brakes');
    expect(decodeMessage(first!.message as Hex)).toEqual({ kind: 'brakes', did: HASH, nonce: BigInt(first!.nonce), chainId: BigInt(SPOKE_A), ...LINE });
    expect(chainsOf(first!)).toEqual([SPOKE_A]);
    expect(snapshotOf(first!)).toMatchObject({ did: k.record.did, chainId: SPOKE_A, revision: 1, mintCapacity: '1000000', largeAmount: '500000', largeThreshold: 3 });
    expect(await sync.sync()).toEqual([]);

    // Two chains change in one pass: one attestation each, each to its own chain, each with its own revision.
    registryBrakes.set(SPOKE_A, { ...LINE, mintCapacity: 2_000_000n });
    registryBrakes.set(SPOKE_B, { ...NO_BRAKES_VALUES, burnCapacity: 10n, burnRefillPerSecond: 1n });
    const next = await sync.sync();
    expect(next.map((r) => [chainsOf(r), decodeMessage(r.message as Hex)])).toMatchObject([
      [[SPOKE_A], { chainId: BigInt(SPOKE_A), mintCapacity: 2_000_000n }],
      [[SPOKE_B], { chainId: BigInt(SPOKE_B), burnCapacity: 10n, burnRefillPerSecond: 1n }],
    ]);
    expect(next.map((r) => snapshotOf(r).revision)).toEqual([2, 1]);
    // Every change is a new attestation at a higher nonce of the DID (the receiver keeps the newest).
    expect(next[0]!.nonce).toBeGreaterThan(first!.nonce);
    expect(await sync.sync()).toEqual([]);
    expect(k.store.ofKind(k.record.did, 'brakes')).toHaveLength(3);
  });

  it('sends the way back to no brakes, and brakes set again after a change, as new revisions', async () => {
    registryBrakes.set(HUB, LINE);
    await sync.sync();
    registryBrakes.delete(HUB);
    const [lifted] = await sync.sync();
    expect(decodeMessage(lifted!.message as Hex)).toMatchObject({ chainId: BigInt(HUB), ...NO_BRAKES_VALUES });
    expect(snapshotOf(lifted!).revision).toBe(2);
    registryBrakes.set(HUB, LINE);
    const [again] = await sync.sync();
    expect(snapshotOf(again!)).toMatchObject({ revision: 3, largeAmount: '500000' });
    expect(await sync.sync()).toEqual([]);
  });

  it('counts a chain whose brakes cannot be read, goes on with the others, and retries it next pass', async () => {
    registryBrakes.set(SPOKE_A, LINE);
    registryBrakes.set(SPOKE_B, LINE);
    down.add(SPOKE_A);
    expect((await sync.sync()).map(chainsOf)).toEqual([[SPOKE_B]]);
    expect(await k.metrics.watcherFailures.get()).toMatchObject({ values: [expect.objectContaining({ labels: { watcher: 'brakes', chain: String(SPOKE_A) }, value: 1 })] });
    down.clear();
    expect((await sync.sync()).map(chainsOf)).toEqual([[SPOKE_A]]);
  });

  it('after a round left open (no quorum), completes that same proposal: one attestation, revision 1, its nonce', async () => {
    registryBrakes.set(SPOKE_A, LINE);
    const signers = k.record.signers;
    k.record.signers = [];
    expect(await sync.sync()).toEqual([]);
    const open = k.store.proposals.open();
    expect(open).toHaveLength(1);
    k.record.signers = signers;
    // A new BrakesSync: what a restarted oracle builds from the same store.
    const restarted = new BrakesSync({ ...k.deps, registry: k.deps.registry as never, brakes: { brakesOf: async (_h, chainId) => registryBrakes.get(Number(chainId)) ?? NO_BRAKES_VALUES } });
    const [row] = await restarted.sync();
    expect(row!.nonce).toBe(open[0]!.nonce);
    expect(snapshotOf(row!).revision).toBe(1);
    expect(k.store.ofKind(k.record.did, 'brakes')).toHaveLength(1);
  });
});

describe("amount-scaled quorum on the oracle (the chain's attested line)", () => {
  const post = async (settlementRef: string, amount: bigint, chainId = SPOKE_A) => {
    const body = await signSettlement(DEV_CUSTODIAN_KEY, DOMAIN, {
      did: DID,
      chainId,
      kind: 'subscription',
      settlementRef,
      investor: INVESTOR,
      amount: amount.toString(),
      cashLegRef: keccak256(stringToBytes(settlementRef)),
      settledAt: NOW - 60,
    });
    const res = await k.app.request('/v1/settlements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    return k.store.getById(id)!.deliveries;
  };
  /** Signatures packed for a delivery: 65 bytes each. */
  const count = (signatures: string) => size(signatures as Hex) / 65;

  it('signs a settlement above the line with the line threshold, one at or below it with the DID threshold', async () => {
    registryBrakes.set(SPOKE_A, LINE);
    await sync.sync();
    const [above] = await post('ABOVE-1', LINE.largeAmount + 1n);
    expect(above!.chainId).toBe(SPOKE_A);
    expect(count(above!.signatures)).toBe(3);
    const [at] = await post('AT-1', LINE.largeAmount);
    expect(count(at!.signatures)).toBe(2);
    // Another chain's line does not count: SPOKE_B has none.
    const [other] = await post('OTHER-1', LINE.largeAmount * 10n, SPOKE_B);
    expect(count(other!.signatures)).toBe(2);
    expect((await k.metrics.aboveLine.get()).values).toMatchObject([{ labels: { chain: String(SPOKE_A) }, value: 1 }]);
  });

  it('keeps the line threshold for a proposal completed later by the sweep path (stored with it)', async () => {
    registryBrakes.set(SPOKE_A, LINE);
    await sync.sync();
    const signers = k.record.signers;
    k.record.signers = signers.slice(0, 2);
    const body = await signSettlement(DEV_CUSTODIAN_KEY, DOMAIN, {
      did: DID, chainId: SPOKE_A, kind: 'subscription', settlementRef: 'LATE-1', investor: INVESTOR, amount: '900000', cashLegRef: keccak256(stringToBytes('late')), settledAt: NOW - 60,
    });
    const post503 = await k.app.request('/v1/settlements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(post503.status).toBe(503);
    k.record.signers = signers;
    const res = await k.app.request('/v1/settlements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(count(k.store.getById(id)!.deliveries[0]!.signatures)).toBe(3);
  });
});
