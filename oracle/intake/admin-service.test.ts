import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import pino from 'pino';
import { openDb } from '../../common/sqlite.js';
import { KeyedMutex } from '../../common/mutex.js';
import * as schema from '../store/schema.js';
import { AttestationStore, type AttestationRow } from '../store/attestations.js';
import { AdminService, type AdminDeps } from './admin-service.js';
import { Committee } from '../issue/committee/local.js';
import { createMetrics } from '../metrics.js';
import { OracleError } from '../../core/errors.js';
import { httpStatus } from '../../core/http-status.js';
import type { DidRecord } from '../../core/chain/registry.js';
import type { HoldingsState } from '../../core/chain/destinations.js';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_OUTSIDER_KEY, DEV_SIGNERS_VALID_UNTIL } from '../../schemas/dev-keys.js';
import { didHash, type DidHash, type DidString } from '../../schemas/ids.js';
import { decodeMessage, attestationTypedMessage } from '../../schemas/message.js';
import { attestationDomain, attestationTypes } from '../../schemas/eip712.js';
import { signAllowList, signPause, signReserve, type CustodianDomain } from '../../clients/custodian.js';

// Unit test: registry and chains are in-memory fakes; committee keys and the SQLite store are real.
const DID = 'did:rwa:test:fund-b';
const HASH = didHash(DID as DidString);
const NOW = 1_800_000_000;
const REGISTRY: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const domain: CustodianDomain = { hubChainId: 31337, registry: REGISTRY };
const sorted = (xs: Address[]) => [...xs].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
const committee = sorted(DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address));
const chains = [
  { name: 'hub', chainId: 31337, rpcUrl: 'http://x', receiver: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', confirmations: 0 },
  { name: 'spoke', chainId: 31338, rpcUrl: 'http://y', receiver: '0x5FbDB2315678afecb367f032d93F642f64180aa3', confirmations: 0 },
];

let record: DidRecord;
let supplies: Map<number, bigint>;
let store: AttestationStore;
let admin: AdminService;
let deps: AdminDeps;

beforeEach(() => {
  record = {
    did: DID,
    name: 'Fund B',
    symbol: 'FB', signersValidUntil: DEV_SIGNERS_VALID_UNTIL,
    issuer: privateKeyToAccount(DEV_ISSUER_KEY).address,
    navDecimals: 8,
    tokenDecimals: 6,
    threshold: 2,
    heartbeat: 86_400,
    maxNavMoveBps: 500,
    signers: committee,
    chainIds: [31337n, 31338n],
  };
  supplies = new Map([
    [31337, 0n],
    [31338, 0n],
  ]);
  const { db } = openDb(join(tmpdir(), `admin-test-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, '..', 'store', 'migrations'));
  store = new AttestationStore(db);
  const state = (chainId: number): HoldingsState => ({ configured: true, totalSupply: supplies.get(chainId) ?? 0n, supplyCap: 0n, paused: false, investorAllowed: true, investorBalance: 0n });
  deps = {
    registry: {
      listDids: async () => [HASH],
      getDid: async (h: DidHash) => (h === HASH ? record : undefined),
      isCustodian: async (_h, a) => a === privateKeyToAccount(DEV_CUSTODIAN_KEY).address,
      isNavPublisher: async () => false,
      ping: async () => true,
    },
    registryAddress: REGISTRY,
    hubChainId: 31337n,
    holdings: { get: (id) => chains.find((c) => c.chainId === id), holdingsState: async (chainId) => state(chainId) },
    committee: new Committee(DEV_COMMITTEE_KEYS),
    governance: { signers: committee, threshold: 2 },
    store,
    metrics: createMetrics(),
    logger: pino({ level: 'silent' }),
    lock: new KeyedMutex(),
    now: () => BigInt(NOW),
    maxFutureSkewSeconds: 300,
  };
  admin = new AdminService(deps);
});

async function signersOf(message: Hex, chainIndex: number): Promise<Address[]> {
  const row = store.getById((await import('viem')).keccak256(message));
  const d = row!.deliveries[chainIndex]!;
  const typed = attestationTypedMessage(decodeMessage(message));
  const out: Address[] = [];
  for (let i = 0; i < (d.signatures.length - 2) / 130; i++) {
    const signature = `0x${d.signatures.slice(2 + 130 * i, 2 + 130 * (i + 1))}` as Hex;
    out.push(await recoverTypedDataAddress({ domain: attestationDomain(BigInt(d.chainId), d.receiver as Address), types: attestationTypes, primaryType: typed.primaryType, message: typed.message, signature } as Parameters<typeof recoverTypedDataAddress>[0]));
  }
  return out;
}

async function refusal(p: Promise<unknown>) {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(OracleError);
  const e = err as OracleError;
  return { status: httpStatus(e.code), code: e.code, field: e.field };
}

describe('registry sync', () => {
  it('attests a new DID config once, signed by governance, for every enabled chain', async () => {
    const created = await admin.syncRegistry();
    expect(created).toHaveLength(1);
    const m = decodeMessage(created[0]!.message as Hex);
    expect(m).toMatchObject({ kind: 'config', nonce: 1n, threshold: 2, signers: committee, name: 'Fund B', symbol: 'FB' });
    expect(store.deliveriesOf(created[0]!.seq).map((d) => d.chainId)).toEqual([31337, 31338]);
    expect(await admin.syncRegistry()).toHaveLength(0);
  });

  it('turns a registry rotation into a config signed by the set the chains hold', async () => {
    await admin.syncRegistry();
    const newSet = sorted([committee[0]!, privateKeyToAccount(DEV_OUTSIDER_KEY).address]);
    record = { ...record, signers: newSet, threshold: 1 };
    const [rotation] = await admin.syncRegistry();
    expect(rotation).toBeDefined();
    expect(decodeMessage(rotation!.message as Hex)).toMatchObject({ kind: 'config', nonce: 2n, threshold: 1, signers: newSet });
    const signers = await signersOf(rotation!.message as Hex, 0);
    expect(signers).toHaveLength(2);
    for (const s of signers) expect(committee).toContain(s);
  });
});

describe('registry sync past a signer set\'s end', () => {
  it('has governance sign the config that follows a set past its end, and the set itself sign while it is live', async () => {
    const outsider = privateKeyToAccount(DEV_OUTSIDER_KEY).address;
    const governance = sorted([committee[0]!, outsider]);
    let now = NOW;
    admin = new AdminService({ ...deps, committee: new Committee([...DEV_COMMITTEE_KEYS, DEV_OUTSIDER_KEY]), governance: { signers: governance, threshold: 2 }, now: () => BigInt(now) });
    record = { ...record, signersValidUntil: NOW + 100 };
    const [first] = await admin.syncRegistry();
    expect(sorted(await signersOf(first!.message as Hex, 0))).toEqual(governance);

    // Renewed while live: the DID's set signs.
    record = { ...record, signersValidUntil: NOW + 200 };
    const [renewal] = await admin.syncRegistry();
    expect(decodeMessage(renewal!.message as Hex)).toMatchObject({ kind: 'config', signersValidUntil: NOW + 200 });
    for (const s of await signersOf(renewal!.message as Hex, 0)) expect(committee).toContain(s);
    expect(await signersOf(renewal!.message as Hex, 0)).not.toContain(outsider);

    // Past that end the receivers verify the next config with governance, so governance signs it.
    now = NOW + 201;
    record = { ...record, signersValidUntil: NOW + 365 * 86_400 };
    const [revival] = await admin.syncRegistry();
    expect(decodeMessage(revival!.message as Hex)).toMatchObject({ kind: 'config', nonce: 3n, signersValidUntil: NOW + 365 * 86_400 });
    expect(sorted(await signersOf(revival!.message as Hex, 0))).toEqual(governance);
  });
});

describe('allow-list, pause and reserve', () => {
  it('attests an issuer allow-list change to every chain; a repeat returns it; another body under the ref is 409', async () => {
    const body = await signAllowList(DEV_ISSUER_KEY, domain, { did: DID, ref: 'A-1', entries: [{ account: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', allowed: true }] });
    const r = await admin.submitAllowList(body);
    expect(r.created).toBe(true);
    expect(decodeMessage(r.attestation.message as Hex)).toMatchObject({ kind: 'allowlist', entries: [{ allowed: true }] });
    expect((await admin.submitAllowList(body)).created).toBe(false);
    const other = await signAllowList(DEV_ISSUER_KEY, domain, { did: DID, ref: 'A-1', entries: [{ account: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', allowed: false }] });
    expect(await refusal(admin.submitAllowList(other))).toEqual({ status: 409, code: 'conflicting_repeat', field: 'ref' });
  });

  it('refuses allow-list and pause orders not signed by the issuer', async () => {
    const a = await signAllowList(DEV_CUSTODIAN_KEY, domain, { did: DID, ref: 'A-2', entries: [{ account: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', allowed: true }] });
    expect(await refusal(admin.submitAllowList(a))).toEqual({ status: 403, code: 'not_the_issuer', field: 'signature' });
    const p = await signPause(DEV_OUTSIDER_KEY, domain, { did: DID, ref: 'P-1', paused: true });
    expect(await refusal(admin.submitPause(p))).toEqual({ status: 403, code: 'not_the_issuer', field: 'signature' });
    expect(store.count()).toBe(0);
  });

  it('attests a pause order', async () => {
    const r = await admin.submitPause(await signPause(DEV_ISSUER_KEY, domain, { did: DID, ref: 'P-2', paused: true }));
    expect(decodeMessage(r.attestation.message as Hex)).toMatchObject({ kind: 'pause', paused: true });
  });

  it('splits a custodian reserve into chain caps that sum to the reserve', async () => {
    supplies.set(31338, 100n);
    const r = await admin.submitReserve(await signReserve(DEV_CUSTODIAN_KEY, domain, { did: DID, reserve: '1100', asOf: NOW - 10 }));
    const m = decodeMessage(r.attestation.message as Hex);
    expect(m).toMatchObject({ kind: 'reserve', reserve: 1100n, caps: [{ chainId: 31337n, cap: 500n }, { chainId: 31338n, cap: 600n }] });
  });

  it.each([
    ['a reserve below the supply', async () => signReserve(DEV_CUSTODIAN_KEY, domain, { did: DID, reserve: '99', asOf: NOW - 10 }), { status: 422, code: 'reserve_below_supply', field: 'reserve' }],
    ['a reserve not from a custodian', async () => signReserve(DEV_OUTSIDER_KEY, domain, { did: DID, reserve: '1000', asOf: NOW - 10 }), { status: 403, code: 'not_a_custodian', field: 'signature' }],
    ['a reserve dated in the future', async () => signReserve(DEV_CUSTODIAN_KEY, domain, { did: DID, reserve: '1000', asOf: NOW + 3600 }), { status: 422, code: 'time_in_future', field: 'asOf' }],
    ['a reserve for an unknown DID', async () => signReserve(DEV_CUSTODIAN_KEY, domain, { did: 'did:rwa:test:nope', reserve: '1000', asOf: NOW - 10 }), { status: 404, code: 'unknown_did', field: 'did' }],
  ])('refuses %s, storing nothing', async (_name, make, expected) => {
    supplies.set(31337, 100n);
    expect(await refusal(admin.submitReserve(await make()))).toEqual(expected);
    expect(store.count()).toBe(0);
  });

  it('counts the units of a move under way in its from-chain supply, so its return can still mint there', async () => {
    // 50 units left 31337 on a move (out leg applied: burned there), not minted on 31338 yet; 100 live on 31338.
    supplies.set(31338, 100n);
    const outLeg = { nonce: 9, request: JSON.stringify({ fromChainId: 31337, toChainId: 31338, amount: '50' }) } as unknown as AttestationRow;
    const withMove = Object.create(store, {
      findBySource: { value: (did: string, kind: AttestationRow['kind'], ref: string) => (ref === 'move:MOVE-1:out' ? outLeg : store.findBySource(did, kind, ref)) },
    }) as AttestationStore;
    const moving = new AdminService({ ...deps, store: withMove, moves: { unfinished: () => [{ did: DID, ref: 'MOVE-1', state: 'out_applied' }] } });
    const r = await moving.submitReserve(await signReserve(DEV_CUSTODIAN_KEY, domain, { did: DID, reserve: '150', asOf: NOW - 10 }));
    // Without the move counted the 50 of headroom would split 25/25 and a return of 50 to 31337 would exceed its cap.
    expect(decodeMessage(r.attestation.message as Hex)).toMatchObject({ kind: 'reserve', caps: [{ chainId: 31337n, cap: 50n }, { chainId: 31338n, cap: 100n }] });
    // The reserve must cover the units away too: 149 is below 100 live + 50 moving.
    expect(await refusal(moving.submitReserve(await signReserve(DEV_CUSTODIAN_KEY, domain, { did: DID, reserve: '149', asOf: NOW - 5 })))).toMatchObject({ code: 'reserve_below_supply' });
  });

  it('refuses a reserve not newer than the last one', async () => {
    await admin.submitReserve(await signReserve(DEV_CUSTODIAN_KEY, domain, { did: DID, reserve: '1000', asOf: NOW - 10 }));
    const older = await signReserve(DEV_CUSTODIAN_KEY, domain, { did: DID, reserve: '2000', asOf: NOW - 20 });
    expect(await refusal(admin.submitReserve(older))).toEqual({ status: 422, code: 'reserve_not_newer', field: 'asOf' });
    expect(store.count()).toBe(1);
  });
});
