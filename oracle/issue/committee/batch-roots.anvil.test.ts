import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { parseEventLogs, type Address, type Hex } from 'viem';
import { pino } from 'pino';
import { rwaReceiverAbi } from '../../../schemas/abi.js';
import { ANVIL_RELAYER_KEY, DEV_COMMITTEE_KEYS, DEV_COMMITTEE_THRESHOLD, devReceiverArgs, DEV_SIGNERS_VALID_UNTIL } from '../../../schemas/dev-keys.js';
import { attestationFeedSchema, type FeedItem } from '../../../schemas/http.js';
import { attestationId, encodeMessage } from '../../../schemas/message.js';
import { parserFor } from '../../../schemas/validate.js';
import { openDb } from '../../../common/sqlite.js';
import { settlementAttestation } from '../../../core/attestation.js';
import { packBatchItems } from '../../../core/batch-tree.js';
import type { QuorumRequest } from '../../../core/committee-port.js';
import { startAnvil, type AnvilChain } from '../../../devnet/anvil.js';
import { buildContracts, clients, committeeSigners, deliver, deploy, mined } from '../../../testkit/anvil-chain.js';
import { CHAINS, COMMITTEE, DID_HASH, INVESTOR, NOW, OPEN_HOLDINGS, makeSigner, newWorld, settlementBody, tempDb } from '../../../testkit/committee.js';
import * as oracleSchema from '../../store/schema.js';
import { AttestationStore } from '../../store/attestations.js';
import { attestationView } from '../../api/views.js';
import { createMetrics } from '../../metrics.js';
import { deliveryRowsOf } from '../issue.js';
import { RemoteCommittee, type FetchLike } from './remote.js';

/**
 * Chain test: three real signers (SignerService + SQLite, fake hub reads) sign a group-commit round through
 * RemoteCommittee; the oracle store keeps each attestation's root, proof and root signatures; the feed's
 * `delivery.batch` is then delivered to the real RwaReceiver on anvil with one receiveBatch. The receiver is the
 * first contract of a fresh chain 31338, the address the signers' chain table names.
 */
const URLS = ['http://signer-1.test', 'http://signer-2.test', 'http://signer-3.test'];
const SPOKE = CHAINS.find((c) => c.chainId === 31338)!;
const parseFeed = parserFor<{ items: FeedItem[] }>(attestationFeedSchema);

let anvil: AnvilChain;
let receiver: Address;

describe('a group-commit round delivered with RwaReceiver.receiveBatch on anvil', () => {
  beforeAll(async () => {
    buildContracts();
    anvil = await startAnvil('batch-roots', SPOKE.chainId);
    receiver = await deploy(anvil, 'RwaReceiver', devReceiverArgs(committeeSigners, DEV_COMMITTEE_THRESHOLD));
    const day = BigInt(NOW);
    await deliver(anvil, receiver, DID_HASH, 1n, { kind: 'config', threshold: DEV_COMMITTEE_THRESHOLD, navDecimals: 8, tokenDecimals: 6, heartbeat: 86_400, maxNavMoveBps: 500, signers: committeeSigners, name: 'Fund A', symbol: 'FA', signersValidUntil: DEV_SIGNERS_VALID_UNTIL });
    await deliver(anvil, receiver, DID_HASH, 2n, { kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
    await deliver(anvil, receiver, DID_HASH, 3n, { kind: 'reserve', reserve: 10n ** 12n, asOf: day - 100n, caps: [{ chainId: BigInt(SPOKE.chainId), cap: 10n ** 12n, ceiling: 0n }] });
  }, 300_000);

  afterAll(async () => {
    await anvil?.stop();
  });

  it('applies the stored root, signatures, messages and proofs once; the same root again without signatures skips every item', async () => {
    expect(receiver.toLowerCase()).toBe(SPOKE.receiver.toLowerCase());
    const world = newWorld();
    world.holdings.set(SPOKE.chainId, OPEN_HOLDINGS);
    const peers = new Map<string, Hono>(DEV_COMMITTEE_KEYS.slice(0, 3).map((k, i) => [URLS[i]!, makeSigner(k, world).app]));
    const network: FetchLike = async (url, init) => peers.get(new URL(url).origin)!.request(url, init);
    const metrics = createMetrics();
    const committee = new RemoteCommittee({ urls: URLS, timeoutMs: 5_000, metrics, logger: pino({ level: 'silent' }), fetch: network });

    // Five settlements at nonces 4..8 (an odd count: the last leaf moves up a level unpaired).
    const reqs: QuorumRequest[] = [];
    for (let nonce = 4; nonce <= 8; nonce += 1) {
      const body = await settlementBody({ settlementRef: `ANVIL-${nonce}` });
      reqs.push({ message: settlementAttestation(body, DID_HASH, BigInt(nonce)), source: { kind: 'settlement', request: body }, destinations: [{ chainId: BigInt(SPOKE.chainId), receiver }], signers: COMMITTEE, threshold: 2 });
    }
    const outcomes = await committee.signBatch(reqs);

    const { db } = openDb(tempDb('oracle-batch-anvil'), oracleSchema, join(import.meta.dirname, '..', '..', 'store', 'migrations'));
    const store = new AttestationStore(db);
    for (const [i, o] of outcomes.entries()) {
      if (!o.ok) throw new Error(`round ${i} has no quorum: ${o.error.message}`);
      const message = encodeMessage(reqs[i]!.message);
      const row = { did: 'did:rwa:test:fund-a', didHash: DID_HASH, nonce: Number(reqs[i]!.message.nonce), kind: 'settlement' as const, sourceRef: `ANVIL-${i}`, requestHash: `0x${i}`, request: '{}', submitter: INVESTOR, id: attestationId(message), message, createdAt: new Date(0).toISOString() };
      store.insert(row, deliveryRowsOf(o.packed));
    }
    const feed = parseFeed(JSON.parse(JSON.stringify({ items: store.page(0, 10).map((p) => attestationView(p.row, p.deliveries)), next: 5 })));
    if (!feed.ok) throw new Error(`feed does not parse: ${feed.issue.field} ${feed.issue.message}`);
    const items = feed.value.items;
    const batch = items[0]!.deliveries[0]!.batch!;
    expect(items.map((i) => i.deliveries[0]!.batch?.root)).toEqual(Array(5).fill(batch.root));

    const relayer = clients(anvil, ANVIL_RELAYER_KEY).wallet;
    const pub = clients(anvil).pub;
    const send = async (signatures: Hex) => {
      const hash = await relayer.writeContract({
        address: receiver,
        abi: rwaReceiverAbi,
        functionName: 'receiveBatch',
        args: [DID_HASH, batch.root as Hex, signatures, packBatchItems(DID_HASH, items.map((i) => i.message as Hex)), items.map((i) => i.deliveries[0]!.batch!.proof as Hex[])],
      });
      await mined(anvil, hash);
      return parseEventLogs({ abi: rwaReceiverAbi, logs: (await pub.getTransactionReceipt({ hash })).logs });
    };

    const first = await send(batch.signatures as Hex);
    expect(first.filter((e) => e.eventName === 'BatchRootVerified')).toHaveLength(1);
    expect(first.flatMap((e) => (e.eventName === 'SettlementApplied' ? [e.args.nonce] : []))).toEqual([4n, 5n, 6n, 7n, 8n]);
    for (let n = 4n; n <= 8n; n += 1n) expect(await pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [DID_HASH, n] })).toBe(true);

    const again = await send('0x');
    expect(again.some((e) => e.eventName === 'SettlementApplied' || e.eventName === 'BatchRootVerified')).toBe(false);
    expect(again.flatMap((e) => (e.eventName === 'BatchItemSkipped' ? [e.args.index] : []))).toEqual([0n, 1n, 2n, 3n, 4n]);
  }, 120_000);
});
