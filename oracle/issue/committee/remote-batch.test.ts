import { beforeEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { Address } from 'viem';
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
});
