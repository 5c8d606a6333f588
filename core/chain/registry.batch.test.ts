import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeFunctionData, encodeFunctionResult, getAddress, type Address, type Hex } from 'viem';
import { rwaDidRegistryAbi } from '../../schemas/abi.js';
import type { DidHash } from '../../schemas/ids.js';
import { RegistryReader } from './registry.js';

// Unit test: the hub registry's reads asked at once go in one JSON-RPC batch, one HTTP request (a fake node that
// answers eth_call from the ABI and counts the HTTP requests it gets).
const REGISTRY = getAddress('0x5fbdb2315678afecb367f032d93f642f64180aa3');
const ISSUER: Address = getAddress('0x70997970c51812dc3a010c7d01b50e20d4dc79c8');
const DIDS = [1, 2, 3].map((n) => `0x${n.toString(16).padStart(64, '0')}` as DidHash);
const record = { did: 'did:rwa:x', name: 'X', symbol: 'X', config: { issuer: ISSUER, navDecimals: 8, tokenDecimals: 6, threshold: 2, heartbeat: 86_400, maxNavMoveBps: 500 }, signers: [ISSUER], chainIds: [31337n], signersValidUntil: 4_000_000_000n };

type Rpc = { id: number; method: string; params: [{ data: Hex }] };
let server: Server;
let url: string;
let httpRequests = 0;

function answer(rpc: Rpc): object {
  const call = decodeFunctionData({ abi: rwaDidRegistryAbi, data: rpc.params[0].data });
  const registered = call.functionName === 'isRegistered' || call.functionName === 'getDid' ? DIDS.includes(call.args[0] as DidHash) : true;
  if (call.functionName === 'getDid' && !registered) return { jsonrpc: '2.0', id: rpc.id, error: { code: 3, message: 'execution reverted', data: '0x' } };
  const result =
    call.functionName === 'didCount'
      ? encodeFunctionResult({ abi: rwaDidRegistryAbi, functionName: 'didCount', result: BigInt(DIDS.length) })
      : call.functionName === 'didAt'
        ? encodeFunctionResult({ abi: rwaDidRegistryAbi, functionName: 'didAt', result: DIDS[Number(call.args[0])]! })
        : call.functionName === 'isRegistered'
          ? encodeFunctionResult({ abi: rwaDidRegistryAbi, functionName: 'isRegistered', result: registered })
          : encodeFunctionResult({ abi: rwaDidRegistryAbi, functionName: 'getDid', result: record });
  return { jsonrpc: '2.0', id: rpc.id, result };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    httpRequests += 1;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      try {
        const parsed = JSON.parse(body) as Rpc | Rpc[];
        res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
      } catch (err) {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: String(err) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('RegistryReader reads in JSON-RPC batches', () => {
  it('lists the DIDs with one request for the count and one for every index', async () => {
    httpRequests = 0;
    expect(await new RegistryReader(url, REGISTRY).listDids()).toEqual(DIDS);
    expect(httpRequests).toBe(2);
  });

  it("reads a DID's record in one request, and still answers undefined for a DID not registered", async () => {
    const registry = new RegistryReader(url, REGISTRY);
    httpRequests = 0;
    expect(await registry.getDid(DIDS[1]!)).toMatchObject({ did: 'did:rwa:x', issuer: ISSUER, threshold: 2, chainIds: [31337n], signersValidUntil: 4_000_000_000 });
    expect(httpRequests).toBe(1);
    expect(await registry.getDid(`0x${'ff'.repeat(32)}` as DidHash)).toBeUndefined();
  });
});
