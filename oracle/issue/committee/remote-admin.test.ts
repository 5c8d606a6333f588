import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { recoverTypedDataAddress, sliceHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { pino } from 'pino';
import { DEV_COMMITTEE_KEYS, DEV_OUTSIDER_KEY } from '../../../schemas/dev-keys.js';
import { attestationDomain, attestationTypes } from '../../../schemas/eip712.js';
import { attestationTypedMessage, decodeMessage } from '../../../schemas/message.js';
import { openDb } from '../../../common/sqlite.js';
import { KeyedMutex } from '../../../common/mutex.js';
import { attestationOf, configSnapshotOf, type AdminSource } from '../../../core/attestation.js';
import { AdminService } from '../../intake/admin-service.js';
import { createMetrics, type OracleMetrics } from '../../metrics.js';
import * as oracleSchema from '../../store/schema.js';
import { AttestationStore } from '../../store/attestations.js';
import { CHAINS, COMMITTEE, DID_HASH, HUB, NOW, REGISTRY, allowListBody, fakeChains, fakeRegistry, makeSigner, newWorld, pauseBody, reserveBody, tempDb, type World } from '../../../testkit/committee.js';
import { RemoteCommittee, type FetchLike } from './remote.js';
import { QuorumUnavailableError, type QuorumRequest } from '../../../core/committee-port.js';

// Unit test: the aggregator's AdminService asks real signers (SignerService + SQLite + hono, reached through
// app.request) over a simulated network; registry and chains are the testkit's in-memory fakes.
const URLS = ['http://signer-1.test', 'http://signer-2.test', 'http://signer-3.test'];
const OUTSIDER = privateKeyToAccount(DEV_OUTSIDER_KEY).address;
let world: World;
let peers: Map<string, Hono | 'down'>;
let metrics: OracleMetrics;
let store: AttestationStore;
let admin: AdminService;
let remote: RemoteCommittee;

const network: FetchLike = async (url, init) => {
  const peer = peers.get(new URL(url).origin);
  if (!peer || peer === 'down') throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
  return peer.request(url, init);
};

/** Who signed each 65-byte signature of a packed quorum for one chain. */
async function quorumOf(message: Hex, chainId: number, receiver: Address, packed: Hex): Promise<Address[]> {
  const typed = attestationTypedMessage(decodeMessage(message));
  const out: Address[] = [];
  for (let i = 0; i < (packed.length - 2) / 130; i++) {
    const signature = sliceHex(packed, i * 65, (i + 1) * 65);
    out.push(
      await recoverTypedDataAddress({ domain: attestationDomain(BigInt(chainId), receiver), types: attestationTypes, primaryType: typed.primaryType, message: typed.message, signature } as Parameters<
        typeof recoverTypedDataAddress
      >[0]),
    );
  }
  return out;
}

/** Every chain's stored quorum of an attestation, as signer sets. */
async function storedQuorums(seq: number, message: Hex): Promise<Address[][]> {
  return Promise.all(store.deliveriesOf(seq).map((d) => quorumOf(message, d.chainId, d.receiver as Address, d.signatures as Hex)));
}

const destinations = [CHAINS[0], CHAINS[1]].map((c) => ({ chainId: BigInt(c.chainId), receiver: c.receiver as Address }));

describe('RemoteCommittee with admin attestations', () => {
  beforeEach(() => {
    world = newWorld();
    metrics = createMetrics();
    peers = new Map(DEV_COMMITTEE_KEYS.map((k, i) => [URLS[i]!, makeSigner(k, world).app]));
    const { db } = openDb(tempDb('oracle-remote-admin-test'), oracleSchema, join(import.meta.dirname, '..', '..', 'store', 'migrations'));
    store = new AttestationStore(db);
    remote = new RemoteCommittee({ urls: URLS, timeoutMs: 2_000, metrics, logger: pino({ level: 'silent' }), fetch: network });
    admin = new AdminService({
      registry: { ...fakeRegistry(world), listDids: async () => [DID_HASH], ping: async () => true },
      registryAddress: REGISTRY,
      hubChainId: BigInt(HUB),
      holdings: fakeChains(world),
      committee: remote,
      governance: world.governance,
      store,
      metrics,
      logger: pino({ level: 'silent' }),
      lock: new KeyedMutex(),
      now: () => BigInt(NOW),
      maxFutureSkewSeconds: 300,
    });
  });

  it("signs a DID's first config by governance and a rotation by the previous set, which the new set leaves out", async () => {
    const [first] = await admin.syncRegistry();
    expect(first).toBeDefined();
    for (const q of await storedQuorums(first!.seq, first!.message as Hex)) {
      expect(q).toHaveLength(2);
      for (const s of q) expect(COMMITTEE).toContain(s);
    }

    // The registry rotates to member 1 and an outsider; the chains still hold the whole committee, so members
    // 1 and 3 (signer 2 is down) sign it, although member 3 is not in the new set.
    world.record = { ...world.record, signers: [COMMITTEE[0]!, OUTSIDER], threshold: 2 };
    peers.set(URLS[1]!, 'down');
    const [rotation] = await admin.syncRegistry();
    expect(rotation).toBeDefined();
    expect(decodeMessage(rotation!.message as Hex)).toMatchObject({ kind: 'config', nonce: 2n, signers: [COMMITTEE[0]!, OUTSIDER] });
    for (const q of await storedQuorums(rotation!.seq, rotation!.message as Hex)) expect(new Set(q)).toEqual(new Set([COMMITTEE[0]!, COMMITTEE[2]!]));
  });

  it('signs a pause, allow-list and reserve posted mid-rotation by the set the chains hold, not the registry\'s next set', async () => {
    await admin.syncRegistry();
    // The registry rotates (updateConfig) and no config attestation exists yet: every chain still verifies the
    // whole committee, threshold 2. The registry's next set (member 1 and an outsider) has one running signer.
    world.record = { ...world.record, signers: [COMMITTEE[0]!, OUTSIDER], threshold: 2 };
    world.supplies.set(31338, 1_000_000n);
    const pause = await admin.submitPause(await pauseBody({ ref: 'PAUSE-MID' }));
    const allow = await admin.submitAllowList(await allowListBody({ ref: 'ALLOW-MID' }));
    const reserve = await admin.submitReserve(await reserveBody({ reserve: '10000000' }));
    for (const r of [pause, allow, reserve]) {
      const quorums = await storedQuorums(r.attestation.seq, r.attestation.message as Hex);
      expect(quorums).toHaveLength(2);
      for (const q of quorums) {
        expect(q).toHaveLength(2);
        for (const s of q) expect(COMMITTEE).toContain(s);
      }
    }
  });

  it('signs allow-list, pause and reserve through the signers, each re-checked and signed as the aggregator stores it', async () => {
    world.supplies.set(31338, 1_000_000n);
    const allow = await admin.submitAllowList(await allowListBody());
    const pause = await admin.submitPause(await pauseBody());
    const reserve = await admin.submitReserve(await reserveBody({ reserve: '10000000' }));
    expect(decodeMessage(reserve.attestation.message as Hex)).toMatchObject({
      kind: 'reserve',
      caps: [
        { chainId: 31337n, cap: 4_500_000n },
        { chainId: 31338n, cap: 5_500_000n },
      ],
    });
    for (const r of [allow, pause, reserve]) {
      expect(r.created).toBe(true);
      const quorums = await storedQuorums(r.attestation.seq, r.attestation.message as Hex);
      expect(quorums).toHaveLength(2);
      for (const q of quorums) expect(q).toHaveLength(2);
    }
  });

  it('gets no quorum when the signers see a config other than the registry, or caps they cannot accept', async () => {
    const stale: AdminSource = { kind: 'config', request: { ...configSnapshotOf(world.record), maxNavMoveBps: 9_999 } };
    const config: QuorumRequest = { message: attestationOf(stale, DID_HASH, 1n), source: stale, destinations, signers: world.governance.signers, threshold: 2 };
    const refused = await remote.sign(config).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QuorumUnavailableError);
    expect((refused as Error).message).toMatch(/refused \(config_mismatch\)/);

    world.supplies.set(31337, 7_000_000n);
    const greedy: AdminSource = {
      kind: 'reserve',
      request: await reserveBody({ reserve: '10000000' }),
      caps: [
        { chainId: 31337, cap: '5000000', ceiling: '7000000' },
        { chainId: 31338, cap: '5000000', ceiling: '0' },
      ],
    };
    const reserve: QuorumRequest = { message: attestationOf(greedy, DID_HASH, 1n), source: greedy, destinations, signers: COMMITTEE, threshold: 2 };
    const below = await remote.sign(reserve).catch((e: unknown) => e);
    expect(below).toBeInstanceOf(QuorumUnavailableError);
    expect((below as Error).message).toMatch(/refused \(cap_below_supply\)/);
  });
});
