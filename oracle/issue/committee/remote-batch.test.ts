import { beforeEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { Address } from 'viem';
import { encodeMessage } from '../../../schemas/message.js';
import type { SignBatchResponse } from '../../../schemas/committee.js';
import { buildBatchTree, verifyBatchProof } from '../../../core/batch-tree.js';
import { pino } from 'pino';
import { DEV_COMMITTEE_KEYS } from '../../../schemas/dev-keys.js';
import { settlementAttestation } from '../../../core/attestation.js';
import { createMetrics, type OracleMetrics } from '../../metrics.js';
import { CHAINS, COMMITTEE, DID_HASH, OPEN_HOLDINGS, makeSigner, newWorld, settlementBody, type World } from '../../../testkit/committee.js';
import { RemoteCommittee, type FetchLike } from './remote.js';
import type { QuorumRequest } from '../../../core/committee-port.js';

// Unit test: real signer apps (SignerService + SQLite) reached through app.request; the network is simulated.
const URLS = ['http://signer-1.test', 'http://signer-2.test', 'http://signer-3.test'];
let world: World;
let peers: Map<string, Hono | 'down'>;
let metrics: OracleMetrics;
let paths: string[];

const network: FetchLike = async (url, init) => {
  paths.push(new URL(url).pathname);
  const peer = peers.get(new URL(url).origin);
  if (!peer || peer === 'down') throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
  return peer.request(url, init);
};

const committee = () => new RemoteCommittee({ urls: URLS, timeoutMs: 2_000, metrics, logger: pino({ level: 'silent' }), fetch: network });
const receiver = CHAINS.find((c) => c.chainId === 31338)!.receiver as Address;

async function request(nonce: number, ref = `RB-${nonce}`): Promise<QuorumRequest> {
  const body = await settlementBody({ settlementRef: ref });
  return { message: settlementAttestation(body, DID_HASH, BigInt(nonce)), source: { kind: 'settlement', request: body }, destinations: [{ chainId: 31338n, receiver }], signers: COMMITTEE, threshold: 2 };
}

/** A signer app that answers every batch with `status` and `body`. */
const rogue = (status: number, body: unknown) => {
  const app = new Hono();
  app.post('/v1/sign-batch', (c) => c.json(body as object, status as 200));
  return app;
};

beforeEach(() => {
  world = newWorld();
  world.holdings.set(31338, OPEN_HOLDINGS);
  metrics = createMetrics();
  paths = [];
  peers = new Map(DEV_COMMITTEE_KEYS.slice(0, 3).map((k, i) => [URLS[i]!, makeSigner(k, world).app]));
});

describe('RemoteCommittee.signBatch', () => {
  it('asks each signer once for the whole batch and packs each proposal its own quorum', async () => {
    peers.set(URLS[2]!, 'down');
    const reqs = await Promise.all([1, 2, 3].map((n) => request(n)));
    const out = await committee().signBatch(reqs);
    expect(paths).toEqual(Array(3).fill('/v1/sign-batch'));
    expect(out.map((o) => o.ok)).toEqual([true, true, true]);
    for (const o of out) if (o.ok) expect(o.packed).toMatchObject([{ chainId: 31338, receiver }]);
    for (const o of out) if (o.ok) expect((o.packed[0]!.signatures.length - 2) / 130).toBe(2);
  });

  it('fails only the proposal every signer refused for good (impossible), not its batch-mates', async () => {
    // Nonce 2 is already signed for another message by every signer: equivocation, for that item alone.
    const other = await request(2, 'RB-OTHER');
    await committee().signBatch([other]);
    const reqs = [await request(1), await request(2), await request(3)];
    const out = await committee().signBatch(reqs);
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = out[1]!;
    if (failed.ok) throw new Error('expected a refusal');
    expect(failed.error.impossible).toBe(true);
    expect(failed.error.refusals).toEqual(['equivocation', 'equivocation', 'equivocation']);
  });

  it('takes a whole batch refused or answered with the wrong number of results as no answer, not a verdict', async () => {
    peers.set(URLS[0]!, rogue(400, { error: { code: 'invalid_body', message: 'no' } }));
    peers.set(URLS[1]!, rogue(200, { signer: COMMITTEE[1], results: [] }));
    const out = await committee().signBatch([await request(1), await request(2)]);
    for (const o of out) {
      expect(o.ok).toBe(false);
      if (!o.ok) {
        expect(o.error.impossible).toBe(false);
        expect(o.error.message).toMatch(/refused 400 invalid_body/);
        expect(o.error.message).toMatch(/bad_response: 0 results for 2 items/);
      }
    }
  });

  it('gives each proposal its proof against the one root of its chain, over the items the quorum signed (a refused one out)', async () => {
    await committee().signBatch([await request(2, 'RB-OTHER')]);
    const reqs = [await request(1), await request(2), await request(3)];
    const out = await committee().signBatch(reqs);
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    const tree = buildBatchTree([reqs[0]!, reqs[2]!].map((r) => encodeMessage(r.message)));
    for (const [k, i] of [0, 2].entries()) {
      const o = out[i]!;
      if (!o.ok) throw new Error('expected signatures');
      expect(o.packed[0]!.batch).toEqual({ root: tree.root, proof: tree.proofs[k], signatures: expect.stringMatching(/^0x[0-9a-f]{260}$/) });
      expect(verifyBatchProof(tree.root, encodeMessage(reqs[i]!.message), o.packed[0]!.batch!.proof)).toBe(true);
    }
    expect((await metrics.batchRoots.get()).values).toMatchObject([{ labels: { outcome: 'sealed' }, value: 1 }]);
  });

  it('succeeds without a root when the signers signed different roots: each message still has its own quorum', async () => {
    peers.set(URLS[2]!, 'down');
    // Signer 2 alone holds another message at nonce 2: it leaves item 2 out of its root, signer 1 does not.
    const two = await request(2, 'RB-OTHER');
    await (peers.get(URLS[1]!) as Hono).request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'settlement', request: two.source.request, nonce: '2', chainIds: [31338] }) });
    const out = await committee().signBatch([await request(1), await request(2), await request(3)]);
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    for (const o of out) if (o.ok) expect(o.packed[0]!.batch).toBeUndefined();
    expect((await metrics.batchRoots.get()).values).toMatchObject([{ labels: { outcome: 'no_quorum' }, value: 1 }]);
  });

  it('rejects a root the oracle cannot rebuild from the messages it proposed', async () => {
    peers.set(URLS[2]!, 'down');
    const honest = peers.get(URLS[1]!) as Hono;
    const tampering = new Hono();
    tampering.post('/v1/sign-batch', async (c) => {
      const res = await honest.request('/v1/sign-batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: await c.req.text() });
      const body = (await res.json()) as SignBatchResponse;
      // Claims its root covers the first two items only: the oracle's tree over those has another root.
      return c.json({ ...body, roots: body.roots!.map((r) => ({ ...r, items: [0, 1] })) });
    });
    peers.set(URLS[1]!, tampering);
    const out = await committee().signBatch([await request(1), await request(2), await request(3)]);
    expect(out.map((o) => o.ok)).toEqual([true, true, true]);
    for (const o of out) if (o.ok) expect(o.packed[0]!.batch).toBeUndefined();
    expect((await metrics.signaturesRejected.get()).values).toMatchObject([{ labels: { signer: URLS[1], reason: 'root_root_mismatch' }, value: 1 }]);
    expect(((await metrics.batchRoots.get()).values[0]!.labels as { outcome: string }).outcome).toBe('no_quorum');
  });
});
