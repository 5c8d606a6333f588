import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { size, type Address, type Hex } from 'viem';
import { DEV_COMMITTEE_KEYS } from '../../../schemas/dev-keys.js';
import type { SignBatchResponse } from '../../../schemas/committee.js';
import { encodeMessage } from '../../../schemas/message.js';
import { settlementAttestation } from '../../../core/attestation.js';
import { buildBatchTree } from '../../../core/batch-tree.js';
import type { QuorumRequest } from '../../../core/committee-port.js';
import { CHAINS, COMMITTEE, DID_HASH, OPEN_HOLDINGS, makeSigner, newWorld, settlementBody, type World } from '../../../testkit/committee.js';
import { createMetrics } from '../../metrics.js';
import { Committee } from './local.js';
import { RemoteCommittee, type FetchLike } from './remote.js';
import { signRequestOf } from './accept.js';

// A settlement above its chain's large-amount line (kind 14) is signed by the line's threshold and never goes in a
// batch root: RwaReceiver.receiveBatch refuses it. Local keys, real signers (fake chains) and the real remote client.
const receiver = CHAINS.find((c) => c.chainId === 31338)!.receiver as Address;

async function request(ref: string, nonce: number, aboveLine = false): Promise<QuorumRequest> {
  const body = await settlementBody({ settlementRef: ref });
  return {
    message: settlementAttestation(body, DID_HASH, BigInt(nonce)),
    source: { kind: 'settlement', request: body },
    destinations: [{ chainId: 31338n, receiver }],
    signers: COMMITTEE,
    threshold: aboveLine ? 3 : 2,
    ...(aboveLine ? { aboveLine: true } : {}),
  };
}

describe('a settlement above the line in a signing round', () => {
  it('local committee: signed by the line threshold, left out of the root the others share', async () => {
    const reqs = [await request('A', 1), await request('BIG', 2, true), await request('B', 3)];
    const out = await new Committee(DEV_COMMITTEE_KEYS).signBatch(reqs);
    const packed = out.map((o) => (o.ok ? o.packed[0]! : undefined));
    expect(size(packed[1]!.signatures) / 65).toBe(3);
    expect(packed[1]!.batch).toBeUndefined();
    const root = buildBatchTree([reqs[0]!, reqs[2]!].map((r) => encodeMessage(r.message))).root;
    expect(packed[0]!.batch?.root).toBe(root);
    expect(packed[2]!.batch?.root).toBe(root);
  });

  it('asks signers with aboveLine on that item only', async () => {
    expect(signRequestOf(await request('BIG', 2, true))).toMatchObject({ aboveLine: true });
    expect(signRequestOf(await request('A', 1))).not.toHaveProperty('aboveLine');
  });

  describe('remote signers', () => {
    let world: World;
    let signers: ReturnType<typeof makeSigner>[];
    const URLS = ['http://s1.test', 'http://s2.test', 'http://s3.test'];
    const network: FetchLike = async (url, init) => signers[URLS.indexOf(new URL(url).origin)]!.app.request(url, init);

    beforeEach(() => {
      world = newWorld();
      world.holdings.set(31338, OPEN_HOLDINGS);
      signers = DEV_COMMITTEE_KEYS.map((k) => makeSigner(k, world));
    });

    it('a signer leaves an item marked aboveLine out of its roots', async () => {
      const reqs = [await request('A', 1), await request('BIG', 2, true), await request('B', 3)];
      const res = await signers[0]!.app.request('/v1/sign-batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: reqs.map(signRequestOf) }) });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as SignBatchResponse;
      expect(body.results.every((r) => 'signatures' in r)).toBe(true);
      expect(body.roots?.map((r) => r.items)).toEqual([[0, 2]]);
    });

    it('the aggregator packs the line threshold for it and seals only the others in a root', async () => {
      const metrics = createMetrics();
      const remote = new RemoteCommittee({ urls: URLS, timeoutMs: 5_000, metrics, logger: pino({ level: 'silent' }), fetch: network });
      const reqs = [await request('A', 1), await request('BIG', 2, true), await request('B', 3)];
      const out = await remote.signBatch!(reqs);
      const packed = out.map((o) => (o.ok ? o.packed[0]! : undefined));
      expect(size(packed[1]!.signatures as Hex) / 65).toBe(3);
      expect(packed[1]!.batch).toBeUndefined();
      expect(packed[0]!.batch?.root).toBeDefined();
      expect(packed[2]!.batch?.root).toBe(packed[0]!.batch?.root);
    });
  });
});
