import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pad, type Hex, type PublicClient } from 'viem';
import { ANVIL_RELAYER_KEY } from '../../schemas/dev-keys.js';
import type { Job } from '../store/outbox.js';
import { chainClients, isAppliedOn, RPC_BATCH_MAX_PARAMS, RPC_BATCH_SIZE } from './destination.js';
import { appliedByReader } from './applied-by.js';

/** Issue 21 (throughput): the JSON-RPC round trips of a batch's reads. */
type RpcRequest = { id: number; method: string; params: unknown[] };

/** A unit-test double of a node: answers eth_call with "used" for odd nonces, and counts HTTP requests. */
let server: Server;
let url: string;
const httpRequests: RpcRequest[][] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
      const calls = Array.isArray(parsed) ? parsed : [parsed];
      httpRequests.push(calls);
      const answer = (c: RpcRequest) => {
        const data = String((c.params[0] as { data: Hex }).data);
        // isNonceUsed(bytes32 did, uint64 nonce): the nonce is the last word of the call data.
        const used = BigInt(`0x${data.slice(-64)}`) % 2n === 1n;
        return { jsonrpc: '2.0', id: c.id, result: pad(used ? '0x01' : '0x00', { size: 32 }) };
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(Array.isArray(parsed) ? calls.map(answer) : answer(calls[0]!)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const job = (nonce: number): Job => ({ didHash: `0x${'ab'.repeat(32)}`, nonce: String(nonce), receiver: `0x${'11'.repeat(20)}` }) as Job;

describe('chainClients: reads made at once', () => {
  it('travel as one JSON-RPC batch in one HTTP request, each with its own answer', async () => {
    const { pub } = chainClients({ chainId: 31337, name: 'test', rpcUrl: url }, ANVIL_RELAYER_KEY);
    httpRequests.length = 0;
    const applied = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => isAppliedOn(pub, job(n))));
    expect(applied).toEqual([true, false, true, false, true, false, true, false]);
    expect(httpRequests).toHaveLength(1);
    expect(httpRequests[0]!.map((c) => c.method)).toEqual(Array(8).fill('eth_call'));
  });

  it(`split in requests of at most ${RPC_BATCH_SIZE} calls`, async () => {
    const { pub } = chainClients({ chainId: 31337, name: 'test', rpcUrl: url }, ANVIL_RELAYER_KEY);
    httpRequests.length = 0;
    const n = RPC_BATCH_SIZE + 10;
    const applied = await Promise.all(Array.from({ length: n }, (_, i) => isAppliedOn(pub, job(i))));
    expect(applied.filter(Boolean)).toHaveLength(n / 2);
    expect(httpRequests.map((r) => r.length).sort((a, b) => a - b)).toEqual([10, RPC_BATCH_SIZE]);
  });

  it('send a large call (a batch simulation, a signed batch) in a request of its own: nodes cap a body (anvil ~4 MB)', async () => {
    const { pub } = chainClients({ chainId: 31337, name: 'test', rpcUrl: url }, ANVIL_RELAYER_KEY);
    httpRequests.length = 0;
    const big = `0x${'ab'.repeat(RPC_BATCH_MAX_PARAMS)}${'00'.repeat(31)}01` as Hex;
    const [a, b, c, d, e] = await Promise.all([
      isAppliedOn(pub, job(1)),
      pub.call({ to: `0x${'11'.repeat(20)}`, data: big }),
      isAppliedOn(pub, job(2)),
      pub.call({ to: `0x${'11'.repeat(20)}`, data: big }),
      isAppliedOn(pub, job(3)),
    ]);
    expect([a, c, e]).toEqual([true, false, true]);
    expect([b.data, d.data]).toEqual([pad('0x01', { size: 32 }), pad('0x01', { size: 32 })]);
    const sizes = httpRequests.map((r) => r.length).sort((x, y) => x - y);
    expect(sizes).toEqual([1, 1, 3]);
    for (const r of httpRequests) if (r.length === 1) expect(String((r[0]!.params[0] as { data: Hex }).data)).toBe(big);
  });
});

describe('appliedByReader: the items of one batch', () => {
  it('share one eth_getLogs and one getTransaction when they ask at once', async () => {
    const did = `0x${'ab'.repeat(32)}` as Hex;
    const messages = [1, 2, 3, 4, 5].map((n) => `0x0101${did.slice(2)}${n.toString(16).padStart(16, '0')}beef` as Hex);
    const tx = `0x${'ee'.repeat(32)}` as Hex;
    const calls: string[] = [];
    const pub = {
      readContract: async () => `0x${'22'.repeat(20)}`,
      getBlockNumber: async () => 100n,
      request: async ({ method }: { method: string }) => {
        calls.push(method);
        return [{ transactionHash: tx }];
      },
      getTransaction: async () => {
        calls.push('getTransaction');
        return { input: `0x12345678${messages.map((m) => m.slice(2)).join('')}` };
      },
    } as unknown as PublicClient;
    const read = appliedByReader(pub);
    const found = await Promise.all(messages.map((message, i) => read({ ...job(i + 1), didHash: did, message } as Job)));
    expect(found).toEqual(messages.map(() => ({ by: 'ours', txHash: tx })));
    expect(calls).toEqual(['eth_getLogs', 'getTransaction']);
  });
});
