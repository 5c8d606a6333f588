import { afterEach, describe, expect, it } from 'vitest';
import { recoverTypedDataAddress, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { custodianTypedData } from '../schemas/custodian-messages.js';
import { deploymentFile, fakeService, run, DID } from './testkit.js';

const KEY: Hex = `0x${'11'.repeat(32)}`;
const { path } = deploymentFile();
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

async function oracle(status: number, body: unknown) {
  const s = await fakeService(status, body);
  closers.push(s.close);
  return s;
}

describe('rwa post', () => {
  it('signs the request as EIP-712 in the custodian domain of the deployment and posts it to the kind route', async () => {
    const o = await oracle(201, { id: `0x${'ab'.repeat(32)}`, kind: 'nav', nonce: '7', deliveries: [{ chainId: 31337 }, { chainId: 31338 }] });
    const r = await run(['post', 'nav', '--nav', '100250000', '--asOf', '1700000000', '--oracle', o.url, '--json'], { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path });
    expect(r.code).toBe(0);
    expect(o.posted).toHaveLength(1);
    expect(o.posted[0]?.url).toBe('/v1/nav');
    const body = o.posted[0]?.body as { did: string; nav: string; asOf: number; signature: Hex };
    expect(body).toMatchObject({ did: DID, nav: '100250000', asOf: 1700000000 });
    const typed = custodianTypedData('NavReport', { hubChainId: 31337n, registry: `0x${'a1'.repeat(20)}` }, { did: body.did, nav: body.nav, asOf: body.asOf });
    expect(await recoverTypedDataAddress({ ...typed, signature: body.signature } as Parameters<typeof recoverTypedDataAddress>[0])).toBe(privateKeyToAccount(KEY).address);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 201, created: true, answer: { id: `0x${'ab'.repeat(32)}` } });
  });

  it('turns chain names into chain ids and allow-list entries into the request list', async () => {
    const o = await oracle(200, { id: `0x${'cd'.repeat(32)}`, kind: 'allowlist', nonce: '3', deliveries: [] });
    const a = `0x${'90'.repeat(20)}`;
    const b = `0x${'91'.repeat(20)}`;
    const r = await run(['post', 'allowlist', '--ref', 'A-1', '--entries', `${a}=true,${b}=false`, '--oracle', o.url], { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already signed/);
    expect(o.posted[0]?.body).toMatchObject({ did: DID, ref: 'A-1', entries: [{ account: a, allowed: true }, { account: b, allowed: false }] });
    const s = await oracle(201, { id: `0x${'ef'.repeat(32)}`, kind: 'settlement', nonce: '1', deliveries: [{ chainId: 31338 }] });
    const settled = await run(
      ['post', 'settlement', '--chainId', 'spoke-a', '--kind', 'subscription', '--settlementRef', 'S-1', '--investor', a, '--amount', '5', '--cashLegRef', `0x${'ee'.repeat(32)}`, '--oracle', s.url],
      { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path },
    );
    expect(settled.code).toBe(0);
    expect(s.posted[0]?.body).toMatchObject({ chainId: 31338, settledAt: expect.any(Number) });
  });

  it('turns --buckets kind:amount:haircutBps:daysToCash into the buy-back report and signs it as BuyBackReport', async () => {
    const o = await oracle(201, { id: `0x${'ab'.repeat(32)}`, kind: 'buybackReport', nonce: '9', deliveries: [{ chainId: 31337 }] });
    const r = await run(['post', 'buyback', '--poolCash', '2000', '--asOf', '1700000000', '--buckets', 'cash:780:0:0,tbill:3000:300:1', '--oracle', o.url], { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path });
    expect(r.code, r.stderr).toBe(0);
    expect(o.posted[0]?.url).toBe('/v1/buyback-reports');
    const body = o.posted[0]?.body as { did: string; poolCash: string; asOf: number; buckets: { kind: 'cash' | 'tbill' | 'other'; amount: string; haircutBps: number; daysToCash: number }[]; signature: Hex };
    expect(body).toMatchObject({ did: DID, poolCash: '2000', buckets: [{ kind: 'cash', amount: '780', haircutBps: 0, daysToCash: 0 }, { kind: 'tbill', amount: '3000', haircutBps: 300, daysToCash: 1 }] });
    const typed = custodianTypedData('BuyBackReport', { hubChainId: 31337n, registry: `0x${'a1'.repeat(20)}` }, { did: body.did, poolCash: body.poolCash, asOf: body.asOf, buckets: body.buckets });
    expect(await recoverTypedDataAddress({ ...typed, signature: body.signature } as Parameters<typeof recoverTypedDataAddress>[0])).toBe(privateKeyToAccount(KEY).address);
    const bad = await run(['post', 'buyback', '--poolCash', '1', '--buckets', 'cash:1', '--oracle', o.url], { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--buckets: expected kind:amount:haircutBps:daysToCash/);
  });

  it("exits 1 on a refusal, with the oracle's code and field (text and --json)", async () => {
    const o = await oracle(403, { error: { code: 'signer_not_publisher', message: 'signer is not the NAV publisher of the DID', field: 'signature' } });
    const r = await run(['post', 'nav', '--nav', '1', '--oracle', o.url], { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/POST \/v1\/nav refused \(403 signer_not_publisher, field signature\): signer is not the NAV publisher/);
    const j = await run(['post', 'nav', '--nav', '1', '--oracle', o.url, '--json'], { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path });
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toEqual({ error: { code: 'refused', reason: 'signer_not_publisher', field: 'signature', status: 403, message: expect.any(String) } });
  });

  it('exits 3 when the oracle cannot be reached or answers 503', async () => {
    const down = await run(['post', 'nav', '--nav', '1', '--oracle', 'http://127.0.0.1:1'], { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path });
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot reach http:\/\/127.0.0.1:1/);
    const o = await oracle(503, { error: { code: 'chain_unavailable', message: 'the hub or a chain could not be read; retry later' } });
    const busy = await run(['post', 'nav', '--nav', '1', '--oracle', o.url], { RWA_PRIVATE_KEY: KEY, RWA_DEPLOYMENT: path });
    expect(busy.code).toBe(3);
    expect(busy.stderr).toMatch(/chain_unavailable/);
  });
});

describe('rwa status, dead-letters, retry', () => {
  const id = `0x${'ab'.repeat(32)}`;

  it('shows the oracle state per chain beside the relayer jobs', async () => {
    const o = await oracle(200, { id, did: DID, kind: 'nav', nonce: '2', createdAt: '2026-01-01T00:00:00Z', delivery: [{ chainId: 31337, state: 'applied' }, { chainId: 31338, state: 'pending' }] });
    const rl = await oracle(200, { attestationId: id, deliveries: [{ chainId: 31338, transport: 'wormhole', state: 'submitted', txHash: '0x12', attempts: 1 }] });
    const r = await run(['status', id, '--oracle', o.url, '--relayer', rl.url], { RWA_DEPLOYMENT: path });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hub\s+31337\s+applied\s+no relayer job yet/);
    expect(r.stdout).toMatch(/spoke-a\s+31338\s+pending\s+wormhole submitted tx 0x12/);
    const j = await run(['status', id, '--oracle', o.url, '--relayer', rl.url, '--json'], { RWA_DEPLOYMENT: path });
    expect(JSON.parse(j.stdout)).toMatchObject({ applied: false, deliveries: [{ transport: 'wormhole' }] });
  });

  it('exits 1 with unknown_attestation for an id the oracle never signed, and 2 for a malformed id', async () => {
    const o = await oracle(404, { error: { code: 'unknown_attestation', message: `no attestation ${id}`, field: 'id' } });
    const r = await run(['status', id, '--oracle', o.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown_attestation, field id/);
    expect((await run(['status', '0x12'])).code).toBe(2);
  });

  it('lists dead letters and retries one with the bearer token from RWA_RELAYER_TOKEN only', async () => {
    const rl = await oracle(200, { items: [{ jobId: 4, attestationId: id, chainId: 31338, transport: 'cctp', attempts: 5, lastError: 'UnknownDid' }] });
    const list = await run(['dead-letters', '--relayer', rl.url]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/job 4\s+chain 31338\s+cctp/);
    expect((await run(['retry', '4', '--relayer', rl.url])).stderr).toMatch(/set RWA_RELAYER_TOKEN/);
    const ok = await oracle(200, { jobId: 4, state: 'pending' });
    const r = await run(['retry', '4', '--relayer', ok.url], { RWA_RELAYER_TOKEN: 't'.repeat(32) });
    expect(r.code).toBe(0);
    expect(ok.posted[0]).toMatchObject({ url: '/v1/dead-letters/4/retry', headers: { authorization: `Bearer ${'t'.repeat(32)}` } });
    const no = await oracle(404, { error: { code: 'not_dead', message: 'job 4 is not a dead letter', field: 'jobId' } });
    const refused = await run(['retry', '4', '--relayer', no.url], { RWA_RELAYER_TOKEN: 't'.repeat(32) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not_dead/);
  });
});

describe('rwa commands that read or write chains', () => {
  it('exit 3 naming the chain when its RPC cannot be reached, and 2 for a bad investor or chain', async () => {
    const holdings = await run(['holdings', `0x${'90'.repeat(20)}`], { RWA_DEPLOYMENT: path });
    expect(holdings.code).toBe(3);
    expect(holdings.stderr).toMatch(/reading holdings on (hub|spoke-a)/);
    const redeem = await run(['redeem', 'request', '--chain', 'spoke-a', '--amount', '5'], { RWA_DEPLOYMENT: path, RWA_PRIVATE_KEY: KEY });
    expect(redeem.code).toBe(3);
    expect(redeem.stderr).toMatch(/on spoke-a/);
    expect((await run(['holdings', '0x1234'], { RWA_DEPLOYMENT: path })).stderr).toMatch(/<investor>: not an address/);
    expect((await run(['redeem', 'cancel', '--chain', 'mars', '--requestId', '1'], { RWA_DEPLOYMENT: path, RWA_PRIVATE_KEY: KEY })).stderr).toMatch(/--chain: no chain mars/);
    expect((await run(['quorum', 'set', '--chain', 'spoke-a', '--k', '1', '--transports', 'carrier-pigeon'], { RWA_DEPLOYMENT: path, RWA_PRIVATE_KEY: KEY })).stderr).toMatch(/unknown transport carrier-pigeon/);
    expect((await run(['policy', 'set'], { RWA_DEPLOYMENT: path, RWA_PRIVATE_KEY: KEY })).stderr).toMatch(/nothing to set/);
  });
});
