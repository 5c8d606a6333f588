import { beforeEach, describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import pino from 'pino';
import { KeyedMutex } from '../../common/mutex.js';
import { DEV_COMMITTEE_KEYS } from '../../schemas/dev-keys.js';
import { didHash, type DidHash, type DidString } from '../../schemas/ids.js';
import { decodeMessage } from '../../schemas/message.js';
import { HASH, HUB, REGISTRY, SPOKE_A, makeRedemptions } from '../../testkit/oracle-redemption.js';
import { AdminService } from '../intake/admin-service.js';
import { PolicySync } from './policy-sync.js';
import { QuorumSync } from './quorum-sync.js';
import { Committee } from '../issue/committee/local.js';
import type { CommitteePort } from '../../core/committee-port.js';
import type { DidRecord, RegistryListPort, RegistryPort } from '../../core/chain/registry.js';

// Unit test: hub registry and chains are in-memory fakes; store, committee keys and the syncs are real. The bad DID
// comes first in the registry's list, so before per-DID isolation it stopped every DID after it.
const BAD_DID = 'did:rwa:test:bad';
const BAD = didHash(BAD_DID as DidString);
const CHAINS = [
  { name: 'hub', chainId: HUB, rpcUrl: 'http://x', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' as const, confirmations: 0 },
  { name: 'spoke-a', chainId: SPOKE_A, rpcUrl: 'http://y', receiver: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const, confirmations: 0 },
];

let k: ReturnType<typeof makeRedemptions>;
let clock: { ms: number };
/** How the bad DID fails: its registry read throws, or its record is one the oracle cannot attest. */
let bad: { read: 'throws' | DidRecord };
let reads: DidHash[];

const registry = (): RegistryPort & RegistryListPort => ({
  isCustodian: async () => false,
  isNavPublisher: async () => false,
  ping: async () => true,
  listDids: async () => [BAD, HASH],
  getDid: async (h) => {
    reads.push(h);
    if (h === HASH) return k.record;
    if (h !== BAD) return undefined;
    if (bad.read === 'throws') throw new Error('rpc: HTTP request failed (ECONNRESET)');
    return bad.read;
  },
});

const failures = async (loop: string) => (await k.metrics.registrySyncFailures.get()).values.find((v) => v.labels.loop === loop)?.value ?? 0;

beforeEach(() => {
  k = makeRedemptions();
  clock = { ms: 1_000_000 };
  bad = { read: 'throws' };
  reads = [];
});

/** Runs a pass, then checks the failing DID is skipped until its backoff passed, then tried again. */
async function expectBackoff(pass: () => Promise<unknown>) {
  reads = [];
  await pass();
  expect(reads).not.toContain(BAD);
  clock.ms += 30_000;
  await pass();
  expect(reads).toContain(BAD);
}

describe('registry loops isolate DIDs', () => {
  it('config: a DID whose name is over 255 bytes, or whose read fails, or that the committee will not sign, holds no other DID', async () => {
    let refuse = false;
    const committee = new Committee(DEV_COMMITTEE_KEYS);
    const picky: CommitteePort = {
      sign: async (req) => {
        if (refuse && req.message.did === BAD) throw new Error('quorum unavailable for this DID');
        return committee.sign(req);
      },
      describe: () => committee.describe(),
    };
    const admin = new AdminService({
      registry: registry(),
      registryAddress: REGISTRY,
      hubChainId: BigInt(HUB),
      holdings: { get: (id) => CHAINS.find((c) => c.chainId === id), holdingsState: async () => ({ configured: true, totalSupply: 0n, supplyCap: 0n, paused: false, investorAllowed: true, investorBalance: 0n }) },
      committee: picky,
      governance: { signers: k.record.signers, threshold: 2 },
      store: k.store,
      metrics: k.metrics,
      logger: pino({ level: 'silent' }),
      lock: new KeyedMutex(),
      now: () => BigInt(1_800_000_000),
      maxFutureSkewSeconds: 300,
      clockMs: () => clock.ms,
    });
    bad = { read: { ...k.record, did: BAD_DID, name: 'x'.repeat(300) } };
    const created = await admin.syncRegistry();
    expect(created.map((r) => [r.did, r.kind])).toEqual([[k.record.did, 'config']]);
    expect(await failures('config')).toBe(1);
    await expectBackoff(() => admin.syncRegistry());

    // The name fixed, the committee refusing: still only that DID fails; a config change of the good DID goes out.
    bad = { read: { ...k.record, did: BAD_DID, name: 'Bad Fund' } };
    refuse = true;
    k.record.name = 'Fund R renamed';
    clock.ms += 60_000;
    const [renamed, ...more] = await admin.syncRegistry();
    expect(more).toEqual([]);
    expect(renamed).toMatchObject({ did: k.record.did, kind: 'config' });
    expect(await failures('config')).toBe(3);

    // Once the DID can be signed, it gets its config.
    refuse = false;
    clock.ms += 60_000;
    expect((await admin.syncRegistry()).map((r) => r.did)).toEqual([BAD_DID]);
    expect((await k.metrics.registrySyncFailingDids.get()).values.find((v) => v.labels.loop === 'config')?.value).toBe(0);
  });

  it("policy: an RPC error on one DID does not hold another issuer's emergency flag", async () => {
    const sync = new PolicySync({ ...k.deps, registry: registry(), policies: { redemptionPolicyOf: async () => k.world.policy }, clockMs: () => clock.ms });
    k.world.policy = { stageBBps: 100, stageCBps: 300, instalments: 7, windowSeconds: 7 * 86_400, emergency: true };
    const [first, ...more] = await sync.sync();
    expect(more).toEqual([]);
    expect(first!.did).toBe(k.record.did);
    expect(decodeMessage(first!.message as Hex)).toMatchObject({ kind: 'redemptionPolicy', emergency: true });
    expect(await failures('policy')).toBe(1);
    await expectBackoff(() => sync.sync());
  });

  it('quorum: an RPC error on one DID does not hold the transport quorum of another', async () => {
    const sync = new QuorumSync({ ...k.deps, registry: registry(), quorums: { transportQuorumOf: async () => ({ k: 2, transports: 3 }) }, clockMs: () => clock.ms });
    const created = await sync.sync();
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((r) => r.did))).toEqual(new Set([k.record.did]));
    expect(await failures('quorum')).toBe(1);
    await expectBackoff(() => sync.sync());
  });
});

