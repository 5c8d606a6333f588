import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { bytesToHex, concatBytes, hexToBytes, keccak256, numberToBytes, stringToBytes, type Hex } from 'viem';
import { openDb } from '../common/sqlite.js';
import * as schema from './store/schema.js';
import { Outbox } from './store/outbox.js';
import { FeedReader } from './feed.js';
import type { AttestationKind } from '../schemas/http.js';

const HUB = 1;
const SPOKE = 2;
const DID = 'did:rwa:test:fund';
const DID_HASH = keccak256(stringToBytes(DID));
const RECEIVER = `0x${'11'.repeat(20)}`;

/** A kind-12 message: header (version 1, kind 12, did, nonce) then chainId, k, transports. */
function quorumMessage(nonce: number, chainId: number, k: number, transports: number): Hex {
  return bytesToHex(concatBytes([new Uint8Array([1, 12]), hexToBytes(DID_HASH), numberToBytes(nonce, { size: 8 }), numberToBytes(chainId, { size: 8 }), new Uint8Array([k, transports])]));
}

function item(seq: number, kind: AttestationKind, message: Hex, chains: number[]) {
  return {
    seq,
    id: keccak256(message),
    did: DID,
    didHash: DID_HASH,
    nonce: String(seq),
    kind,
    message,
    createdAt: new Date(0).toISOString(),
    deliveries: chains.map((chainId) => ({ chainId, receiver: RECEIVER, signatures: '0x' })),
  };
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** Serves `items` as the oracle's feed, two per page. */
async function feedOf(items: ReturnType<typeof item>[]): Promise<string> {
  server = createServer((req, res) => {
    const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? '0');
    const page = items.filter((i) => i.seq > after).slice(0, 2);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ items: page, next: page.at(-1)?.seq ?? after }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('FeedReader under transport quorums', () => {
  it('fans an attestation out over every transport of the quorum the feed set before it, on that chain only', async () => {
    const nav = (n: number) => bytesToHex(concatBytes([new Uint8Array([1, 2]), hexToBytes(DID_HASH), numberToBytes(n, { size: 8 }), new Uint8Array(40)]));
    const items = [
      item(1, 'nav', nav(1), [HUB, SPOKE]),
      item(2, 'transportQuorum', quorumMessage(2, SPOKE, 2, 7), [SPOKE]),
      // Same page boundary as the rule above: the next page must read it back from the store.
      item(3, 'nav', nav(3), [HUB, SPOKE]),
      item(4, 'transportQuorum', quorumMessage(4, SPOKE, 1, 2), [SPOKE]),
      item(5, 'nav', nav(5), [HUB, SPOKE]),
    ];
    const { db } = openDb(join(tmpdir(), `feed-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'store', 'migrations'));
    const outbox = new Outbox(db);
    const reader = new FeedReader(await feedOf(items), outbox, () => 'cctp', HUB, pino({ level: 'silent' }));
    const added = await reader.pull(() => 1);

    const jobsOf = (seq: number) =>
      outbox
        .byAttestation(items[seq - 1]!.id)
        .map((j) => `${j.chainId}:${j.transport}:${j.quorumTransports ?? '-'}`)
        .sort();
    expect(jobsOf(1)).toEqual(['1:cctp:-', '2:cctp:-']);
    // The rule itself travels under the quorum in force before it (none).
    expect(jobsOf(2)).toEqual(['2:cctp:-']);
    expect(jobsOf(3)).toEqual(['1:cctp:-', '2:ccip:7', '2:cctp:7', '2:wormhole:7']);
    expect(jobsOf(4)).toEqual(['2:ccip:7', '2:cctp:7', '2:wormhole:7']);
    expect(jobsOf(5)).toEqual(['1:cctp:-', '2:ccip:2']);
    expect(added).toBe(2 + 1 + 4 + 3 + 2);
    expect(outbox.quorumOf(DID_HASH, SPOKE)).toEqual({ didHash: DID_HASH, chainId: SPOKE, k: 1, transports: 2, seq: 4 });
    expect(outbox.quorumOf(DID_HASH, HUB)).toBeUndefined();
  });
});

describe('FeedReader with Merkle batches', () => {
  it('stores each delivery’s root, packed proof and root signatures with its job; a delivery without one stores nulls', async () => {
    const nav = (n: number) => bytesToHex(concatBytes([new Uint8Array([1, 2]), hexToBytes(DID_HASH), numberToBytes(n, { size: 8 }), new Uint8Array(40)]));
    const root = `0x${'AB'.repeat(32)}` as const;
    const proof = [`0x${'01'.repeat(32)}`, `0x${'02'.repeat(32)}`];
    const rootSigs = `0x${'cd'.repeat(65 * 2)}`;
    const batched = item(1, 'nav', nav(1), [HUB, SPOKE]);
    batched.deliveries = [{ chainId: HUB, receiver: RECEIVER, signatures: '0x' }, { chainId: SPOKE, receiver: RECEIVER, signatures: '0x', batch: { root, proof, signatures: rootSigs } } as (typeof batched.deliveries)[number]];
    const alone = item(2, 'nav', nav(2), [SPOKE]);
    // A root of one message: its proof is empty.
    const single = item(3, 'nav', nav(3), [SPOKE]);
    single.deliveries = [{ chainId: SPOKE, receiver: RECEIVER, signatures: '0x', batch: { root, proof: [], signatures: rootSigs } } as (typeof single.deliveries)[number]];
    const { db } = openDb(join(tmpdir(), `feed-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'store', 'migrations'));
    const outbox = new Outbox(db);
    await new FeedReader(await feedOf([batched, alone, single]), outbox, () => 'cctp', HUB, pino({ level: 'silent' })).pull(() => 1);
    const cols = (seq: number, chainId: number) => {
      const j = outbox.byAttestation([batched, alone, single][seq - 1]!.id).find((x) => x.chainId === chainId)!;
      return [j.batchRoot, j.batchProof, j.batchSignatures];
    };
    expect(cols(1, SPOKE)).toEqual([root.toLowerCase(), `0x${'01'.repeat(32)}${'02'.repeat(32)}`, rootSigs]);
    expect(cols(1, HUB)).toEqual([null, null, null]);
    expect(cols(2, SPOKE)).toEqual([null, null, null]);
    expect(cols(3, SPOKE)).toEqual([root.toLowerCase(), '0x', rootSigs]);
  });
});
