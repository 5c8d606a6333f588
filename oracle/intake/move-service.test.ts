import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { zeroHash, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import pino from 'pino';
import { openDb } from '../../common/sqlite.js';
import { KeyedMutex } from '../../common/mutex.js';
import * as schema from '../store/schema.js';
import { MoveStore } from '../store/moves.js';
import { AttestationStore } from '../store/attestations.js';
import { MoveService } from './move-service.js';
import { OracleService } from './settlement-service.js';
import { createApp } from '../api/app.js';
import type { DestinationsPort } from '../../core/chain/destinations.js';
import type { RegistryPort } from '../../core/chain/registry.js';
import { Committee } from '../issue/committee/local.js';
import { createMetrics } from '../metrics.js';
import { OracleError } from '../../core/errors.js';
import { httpStatus } from '../../core/http-status.js';
import type { DidRecord } from '../../core/chain/registry.js';
import type { HoldingsState, MoveOutcome, TransportQuorumStatus } from '../../core/chain/destinations.js';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_OUTSIDER_KEY, DEV_SIGNERS_VALID_UNTIL } from '../../schemas/dev-keys.js';
import { didHash, refHash, type DidHash, type DidString } from '../../schemas/ids.js';
import { decodeMessage } from '../../schemas/message.js';
import { signMove, signSettlement, type CustodianDomain, type UnsignedMove } from '../../clients/custodian.js';

// Unit test: registry and chains are in-memory fakes; committee keys and the SQLite store are real.
const DID = 'did:rwa:test:fund-m';
const HASH = didHash(DID as DidString);
const NOW = 1_800_000_000;
const REGISTRY: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const domain: CustodianDomain = { hubChainId: 31337, registry: REGISTRY };
const committee = DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address);
const chains = [
  { name: 'hub', chainId: 31337, rpcUrl: 'http://x', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 0 },
  { name: 'spoke-a', chainId: 31338, rpcUrl: 'http://y', receiver: '0x5FbDB2315678afecb367f032d93F642f64180aa3', confirmations: 0 },
  { name: 'spoke-b', chainId: 31339, rpcUrl: 'http://z', receiver: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', confirmations: 0 },
];

let record: DidRecord;
let holdings: Map<number, HoldingsState>;
let used: Set<string>;
/** Move outcomes per chain id (RwaReceiver.moveOutcomeOf), one move per test. */
let outcomes: Map<string, MoveOutcome>;
/** The transport quorum status of an attestation on its chain (RwaReceiver.transportQuorumOf + arrivals), by id. */
let quorumStatus: Map<string, TransportQuorumStatus>;
let clock: number;
let shared: ConstructorParameters<typeof MoveService>[0] & { registry: RegistryPort };
const PATIENCE_MS = 60_000;
const DEADLINE_MS = 300_000;
let store: AttestationStore;
let moves: MoveService;
let app: ReturnType<typeof createApp>;

const state = (over: Partial<HoldingsState> = {}): HoldingsState => ({ configured: true, totalSupply: 0n, supplyCap: 10_000n, paused: false, investorAllowed: true, investorBalance: 0n, ...over });
const move = (over: Partial<UnsignedMove> = {}, key: Hex = DEV_CUSTODIAN_KEY) =>
  signMove(key, domain, { did: DID, ref: 'MOVE-1', investor: INVESTOR, amount: '400', fromChainId: 31338, toChainId: 31339, ...over });

beforeEach(() => {
  record = {
    did: DID,
    name: 'Fund M',
    symbol: 'FM', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
    issuer: committee[0]!,
    navDecimals: 8,
    tokenDecimals: 6,
    threshold: 2,
    heartbeat: 86_400,
    maxNavMoveBps: 500,
    signers: committee,
    chainIds: [31337n, 31338n, 31339n],
  };
  holdings = new Map([
    [31337, state()],
    [31338, state({ totalSupply: 1_000n, investorBalance: 1_000n })],
    [31339, state({ totalSupply: 500n, supplyCap: 1_000n })],
  ]);
  used = new Set();
  const { db } = openDb(join(tmpdir(), `move-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, '..', 'store', 'migrations'));
  store = new AttestationStore(db);
  const registry: RegistryPort = {
    getDid: async (h: DidHash) => (h === HASH ? record : undefined),
    isCustodian: async (_h, a) => a === privateKeyToAccount(DEV_CUSTODIAN_KEY).address,
    isNavPublisher: async () => false,
    ping: async () => true,
  };
  const destinations: DestinationsPort = {
    get: (id) => chains.find((c) => c.chainId === id),
    holdingsState: async (chainId) => holdings.get(chainId)!,
    balanceOf: async (chainId) => holdings.get(chainId)!.investorBalance,
    isApplied: async (chainId, _d, nonce) => used.has(`${chainId}:${nonce}`),
    settlementState: async (chainId, _d, nonce) => (used.has(`${chainId}:${nonce}`) ? 'applied' : 'pending'),
    transportQuorumStatus: async (_chainId, _d, id) => quorumStatus.get(id),
    moveOutcomeOf: async (chainId) => outcomes.get(String(chainId)) ?? 'none',
  };
  outcomes = new Map();
  quorumStatus = new Map();
  clock = NOW * 1000;
  shared = { registry, registryAddress: REGISTRY, hubChainId: 31337n, destinations, committee: new Committee(DEV_COMMITTEE_KEYS), store, moves: new MoveStore(db), metrics: createMetrics(), logger: pino({ level: 'silent' }), lock: new KeyedMutex(), now: () => BigInt(NOW) };
  moves = new MoveService({ ...shared, nowMs: () => clock, inPatienceMs: PATIENCE_MS, deadlineMs: DEADLINE_MS });
  app = createApp({
    service: new OracleService({ ...shared, maxFutureSkewSeconds: 300 }),
    moves,
    store,
    destinations,
    registry,
    metrics: shared.metrics,
    logger: shared.logger,
    dids: { members: { custodiansOf: async () => [], navPublishersOf: async () => [] }, hubChainId: 31337n, registryAddress: REGISTRY, publicUrl: undefined },
  });
});

async function refusal(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OracleError);
  const e = err as OracleError;
  return { status: httpStatus(e.code), code: e.code, field: e.field };
}

describe('POST /v1/moves (MoveService.submitMove)', () => {
  it('issues the move-out to the from-chain at once; a repeat returns it; another body under the ref is 409', async () => {
    const body = await move();
    const r = await moves.submitMove(body);
    expect(r.created).toBe(true);
    expect(r.move).toMatchObject({ ref: 'MOVE-1', fromChainId: 31338, toChainId: 31339, out: { nonce: '1', chainId: 31338, state: 'pending' }, in: null });
    const out = store.findBySource(DID, 'settlement', 'move:MOVE-1:out')!;
    expect(out.id).toBe(r.move.out.id);
    expect(store.deliveriesOf(out.seq).map((d) => d.chainId)).toEqual([31338]);
    expect(decodeMessage(out.message as Hex)).toEqual({
      kind: 'settlement',
      did: HASH,
      nonce: 1n,
      settlementKind: 'moveOut',
      settlementRef: refHash('MOVE-1'),
      investor: INVESTOR,
      amount: 400n,
      cashLegRef: zeroHash,
      settledAt: BigInt(NOW),
      peerChainId: 31339n,
    });

    const again = await moves.submitMove(body);
    expect(again.created).toBe(false);
    expect(again.move.out.id).toBe(r.move.out.id);
    expect(await refusal(moves.submitMove(await move({ amount: '401' })))).toEqual({ status: 409, code: 'conflicting_repeat', field: 'ref' });
    expect(store.count()).toBe(1);
  });

  it.each([
    ['a signer that is not a custodian', () => move({}, DEV_OUTSIDER_KEY), { status: 403, code: 'not_a_custodian', field: 'signature' }],
    ['the same chain twice', () => move({ toChainId: 31338 }), { status: 422, code: 'same_chain', field: 'toChainId' }],
    ['a from-chain not in the deployment', () => move({ fromChainId: 1 }), { status: 422, code: 'chain_not_enabled', field: 'fromChainId' }],
    ['a zero amount', () => move({ amount: '0' }), { status: 422, code: 'amount_not_positive', field: 'amount' }],
    ['more than the from-chain balance', () => move({ amount: '1001' }), { status: 422, code: 'insufficient_holdings', field: 'amount' }],
    ['an unknown DID', () => move({ did: 'did:rwa:test:nope' }), { status: 404, code: 'unknown_did', field: 'did' }],
  ])('refuses %s, storing nothing', async (_name, make, expected) => {
    expect(await refusal(moves.submitMove(await make()))).toEqual(expected);
    expect(store.count()).toBe(0);
  });

  it.each([
    ['a to-chain not enabled for the DID', () => (record = { ...record, chainIds: [31337n, 31338n] }), { status: 422, code: 'chain_not_enabled', field: 'toChainId' }],
    ['a to-chain without the DID config', () => holdings.set(31339, state({ configured: false })), { status: 422, code: 'did_not_configured', field: 'toChainId' }],
    ['a paused to-chain', () => holdings.set(31339, state({ paused: true })), { status: 422, code: 'asset_paused', field: 'did' }],
    ['an investor not allow-listed on the to-chain', () => holdings.set(31339, state({ investorAllowed: false })), { status: 422, code: 'investor_not_allowed', field: 'investor' }],
    ['a move past the to-chain reserve cap', () => holdings.set(31339, state({ totalSupply: 700n, supplyCap: 1_000n })), { status: 422, code: 'exceeds_reserve_budget', field: 'amount' }],
  ])('refuses %s, storing nothing', async (_name, arrange, expected) => {
    arrange();
    expect(await refusal(moves.submitMove(await move()))).toEqual(expected);
    expect(store.count()).toBe(0);
  });
});

describe('move loop (MoveService.tick): the move state machine', () => {
  const stateOf = async (ref = 'MOVE-1') => (await moves.status(DID, ref)).state;
  const leg = (ref: string, l: 'in' | 'void' | 'return') => store.findBySource(DID, l === 'in' ? 'settlement' : l === 'void' ? 'moveVoid' : 'moveReturn', `move:${ref}:${l}`);

  it('signs the in leg only after the out leg applied, then ends arrived once the to-chain shows the move arrived', async () => {
    const r = await moves.submitMove(await move());
    await moves.tick();
    expect(await stateOf()).toBe('accepted');
    // Applied on the wrong chain does not count.
    used.add('31339:1');
    await moves.tick();
    expect(leg('MOVE-1', 'in')).toBeUndefined();

    used.add('31338:1');
    await moves.tick(); // accepted -> out_applied
    await moves.tick(); // out_applied -> in_signed
    const inLeg = leg('MOVE-1', 'in')!;
    expect(inLeg).toMatchObject({ kind: 'settlement', nonce: 2 });
    expect(store.deliveriesOf(inLeg.seq).map((d) => d.chainId)).toEqual([31339]);
    expect(decodeMessage(inLeg.message as Hex)).toMatchObject({ settlementKind: 'moveIn', nonce: 2n, peerChainId: 31338n, amount: 400n, investor: INVESTOR, settlementRef: refHash('MOVE-1') });
    expect(await moves.status(DID, 'MOVE-1')).toMatchObject({ state: 'in_signed', out: { id: r.move.out.id, state: 'applied' }, in: { id: inLeg.id, nonce: '2', chainId: 31339, state: 'pending' }, void: null, return: null });

    outcomes.set('31339', 'arrived');
    used.add('31339:2');
    await moves.tick();
    expect(await moves.status(DID, 'MOVE-1')).toMatchObject({ state: 'arrived', in: { state: 'applied' } });
    expect(leg('MOVE-1', 'void')).toBeUndefined();
  });

  it('holds the in leg while the to-chain refuses it; past the patience it voids the move, then returns it once the void applied', async () => {
    await moves.submitMove(await move());
    used.add('31338:1');
    holdings.set(31339, state({ investorAllowed: false }));
    await moves.tick();
    await moves.tick();
    expect(await moves.status(DID, 'MOVE-1')).toMatchObject({ state: 'out_applied', reason: 'to-chain refuses the in leg now: investor_not_allowed' });
    expect(leg('MOVE-1', 'in')).toBeUndefined();

    clock += PATIENCE_MS;
    await moves.tick();
    const voidLeg = leg('MOVE-1', 'void')!;
    expect(store.deliveriesOf(voidLeg.seq).map((d) => d.chainId)).toEqual([31339]);
    expect(decodeMessage(voidLeg.message as Hex)).toMatchObject({ kind: 'moveVoid', moveRef: refHash('MOVE-1'), investor: INVESTOR, amount: 400n, peerChainId: 31338n });
    expect(await stateOf()).toBe('void_signed');
    // No return before the to-chain shows the void applied.
    await moves.tick();
    expect(leg('MOVE-1', 'return')).toBeUndefined();

    outcomes.set('31339', 'voided');
    await moves.tick();
    const ret = leg('MOVE-1', 'return')!;
    expect(store.deliveriesOf(ret.seq).map((d) => d.chainId)).toEqual([31338]);
    expect(decodeMessage(ret.message as Hex)).toMatchObject({ kind: 'moveReturn', moveRef: refHash('MOVE-1'), amount: 400n, peerChainId: 31339n });
    expect(await stateOf()).toBe('return_signed');
    outcomes.set('31338', 'returned');
    await moves.tick();
    expect(await moves.status(DID, 'MOVE-1')).toMatchObject({ state: 'returned', in: null, void: { chainId: 31339 }, return: { chainId: 31338 } });
  });

  it('ends arrived when the in leg applied before its void (the void then reverts on chain): never a return', async () => {
    await moves.submitMove(await move());
    used.add('31338:1');
    await moves.tick();
    await moves.tick();
    clock += PATIENCE_MS;
    await moves.tick();
    expect(await stateOf()).toBe('void_signed');
    outcomes.set('31339', 'arrived');
    await moves.tick();
    expect(await stateOf()).toBe('arrived');
    expect(leg('MOVE-1', 'return')).toBeUndefined();
  });

  it('voids, past the patience, an in leg whose transport quorum on the to-chain is not met, and says so; then returns', async () => {
    await moves.submitMove(await move());
    used.add('31338:1');
    await moves.tick();
    await moves.tick();
    const inLeg = leg('MOVE-1', 'in')!;
    // One transport of the two the to-chain requires delivered the in leg: recorded there, not applied.
    quorumStatus.set(inLeg.id, { k: 2, transports: ['cctp', 'ccip', 'wormhole'], arrived: ['cctp'] });
    await moves.tick();
    expect(await moves.status(DID, 'MOVE-1')).toMatchObject({ state: 'in_signed', reason: 'transport quorum unmet on the to-chain: 1 of 2 arrivals (cctp)' });
    clock += PATIENCE_MS;
    await moves.tick();
    expect(await moves.status(DID, 'MOVE-1')).toMatchObject({ state: 'void_signed', reason: 'transport quorum unmet on the to-chain: 1 of 2 arrivals (cctp)' });
    outcomes.set('31339', 'voided');
    await moves.tick();
    outcomes.set('31338', 'returned');
    await moves.tick();
    expect(await moves.status(DID, 'MOVE-1')).toMatchObject({ state: 'returned', in: { id: inLeg.id }, void: { chainId: 31339 }, return: { chainId: 31338 } });
  });

  it('resumes from the chains after a restart: a move accepted by a previous process finishes exactly once', async () => {
    await moves.submitMove(await move());
    used.add('31338:1');
    await moves.tick();
    // A new process on the same store (the oracle was killed after the out leg applied).
    moves = new MoveService({ ...shared, nowMs: () => clock, inPatienceMs: PATIENCE_MS, deadlineMs: DEADLINE_MS });
    holdings.set(31339, state({ paused: true }));
    clock += PATIENCE_MS;
    await moves.tick();
    await moves.tick();
    outcomes.set('31339', 'voided');
    await moves.tick();
    await moves.tick();
    expect(leg('MOVE-1', 'in')).toBeUndefined();
    expect(store.count()).toBe(3); // out, void, return
  });

  it('alerts on a move past its deadline and counts moves by state', async () => {
    await moves.submitMove(await move());
    clock += DEADLINE_MS;
    await moves.tick();
    const text = await shared.metrics.registry.metrics();
    expect(text).toMatch(/oracle_moves\{state="accepted"\} 1/);
    expect(text).toMatch(/oracle_moves_stranded 1/);
    expect(text).toMatch(new RegExp(`oracle_move_oldest_unfinished_seconds ${DEADLINE_MS / 1000}`));
  });

  it('counts moves and redemptions signed and not yet applied against the holdings they burn', async () => {
    holdings.set(31339, state({ totalSupply: 500n, supplyCap: 10_000n }));
    await moves.submitMove(await move({ ref: 'MOVE-A', amount: '600' }));
    expect(await refusal(moves.submitMove(await move({ ref: 'MOVE-B', amount: '600' })))).toMatchObject({ status: 422, code: 'insufficient_holdings', field: 'amount' });
    const redemption = await signSettlement(DEV_CUSTODIAN_KEY, domain, { did: DID, chainId: 31338, kind: 'redemption', settlementRef: 'RED-1', investor: INVESTOR, amount: '600', cashLegRef: `0x${'01'.repeat(32)}`, settledAt: NOW - 10 });
    const res = await app.request('/v1/settlements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(redemption) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('insufficient_holdings');
    // What is left is still free.
    await moves.submitMove(await move({ ref: 'MOVE-C', amount: '400' }));
  });

  it('takes nonces from the DID sequence shared with other kinds, and knows no move it was never asked for', async () => {
    await moves.submitMove(await move({ ref: 'A' }));
    await moves.submitMove(await move({ ref: 'B', amount: '100' }));
    used.add('31338:2');
    await moves.tick();
    await moves.tick();
    expect(leg('B', 'in')?.nonce).toBe(3);
    expect(leg('A', 'in')).toBeUndefined();
    expect(await refusal(moves.status(DID, 'C'))).toEqual({ status: 404, code: 'unknown_move', field: 'ref' });
  });
});

describe('move references', () => {
  it('reserves the move: prefix among settlement references, so a settlement never takes a move leg', async () => {
    const body = await signSettlement(DEV_CUSTODIAN_KEY, domain, {
      did: DID,
      chainId: 31338,
      kind: 'subscription',
      settlementRef: 'move:MOVE-1:out',
      investor: INVESTOR,
      amount: '1',
      cashLegRef: zeroHash,
      settledAt: NOW - 10,
    });
    const r = await app.request('/v1/settlements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({ error: { code: 'reserved_ref', field: 'settlementRef' } });
    expect(store.count()).toBe(0);
  });
});

describe('HTTP /v1/moves', () => {
  const post = (body: unknown) => app.request('/v1/moves', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('answers 201 with the move, 200 on a repeat, and shows both legs under GET once the loop issued the in leg', async () => {
    const body = await move();
    const created = await post(body);
    expect(created.status).toBe(201);
    const view = (await created.json()) as { out: { id: string }; in: unknown };
    expect(view.in).toBeNull();
    expect((await post(body)).status).toBe(200);
    used.add('31338:1');
    await moves.tick();
    await moves.tick();
    const got = await app.request(`/v1/moves/MOVE-1?did=${encodeURIComponent(DID)}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ state: 'in_signed', reason: null, out: { id: view.out.id, state: 'applied' }, in: { nonce: '2', chainId: 31339, state: 'pending' }, void: null, return: null });
  });

  it('refuses a body off the schema (400), and a GET without the DID (400) or of an unknown move (404)', async () => {
    const res = await post({ ...(await move()), extra: 1 });
    expect(res.status).toBe(400);
    expect((await post({ ...(await move()), amount: '-1' })).status).toBe(400);
    expect((await app.request('/v1/moves/MOVE-1')).status).toBe(400);
    const unknown = await app.request(`/v1/moves/NOPE?did=${encodeURIComponent(DID)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_move', field: 'ref' } });
    expect(store.count()).toBe(0);
  });
});
