import { beforeEach, describe, expect, it } from 'vitest';
import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import { attestationDomain, attestationTypes } from '../schemas/eip712.js';
import { attestationId, attestationTypedMessage, decodeMessage, encodeMessage } from '../schemas/message.js';
import type { SignResponse } from '../schemas/committee.js';
import { attestationOf, configSnapshotOf, type AnySource } from '../core/attestation.js';
import { CHAINS, COMMITTEE, DID_HASH, INVESTOR, NOW, allowListBody, makeSigner, newWorld, pauseBody, reserveBody, type World } from '../testkit/committee.js';

// Unit test: the hub registry and destination chains are in-memory fakes; store and HTTP app are the real ones.
let world: World;
let signer: ReturnType<typeof makeSigner>;
const OUTSIDER = privateKeyToAccount(DEV_OUTSIDER_KEY).address;

const post = (body: unknown) => signer.app.request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const sign = (kind: string, request: unknown, nonce: number, chainIds: number[] = [31337, 31338], caps?: unknown) =>
  post({ kind, request, nonce: String(nonce), chainIds, ...(caps === undefined ? {} : { caps }) });
/** Caps over both chains of the world's DID (hub first, as the aggregator orders them). */
const caps = (hub: bigint | number, spoke: bigint | number, ceilings: readonly [bigint, bigint] = [0n, 0n]) => [
  { chainId: 31337, cap: String(hub), ceiling: String(ceilings[0]) },
  { chainId: 31338, cap: String(spoke), ceiling: String(ceilings[1]) },
];

async function errorOf(res: Response) {
  const j = (await res.json()) as { error: { code: string; field?: string; message: string } };
  return { status: res.status, ...j.error };
}

async function signed(res: Response): Promise<SignResponse> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SignResponse;
}

/** Every signature recovers to this signer over its chain's receiver domain, and the id is the aggregator's message. */
async function expectSignedAsAggregator(body: SignResponse, source: AnySource, nonce: bigint) {
  const message = attestationOf(source, DID_HASH, nonce);
  expect(body.attestationId).toBe(attestationId(encodeMessage(message)));
  const typed = attestationTypedMessage(message);
  for (const s of body.signatures) {
    const recovered = await recoverTypedDataAddress({
      domain: attestationDomain(BigInt(s.chainId), s.receiver as Address),
      types: attestationTypes,
      primaryType: typed.primaryType,
      message: typed.message,
      signature: s.signature as Hex,
    } as Parameters<typeof recoverTypedDataAddress>[0]);
    expect(recovered).toBe(signer.address);
  }
}

describe('committee signer POST /v1/sign, admin kinds', () => {
  beforeEach(() => {
    world = newWorld();
    signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world);
  });

  describe('config', () => {
    it("signs a DID's first config as a governance member, mirroring the registry", async () => {
      const snapshot = configSnapshotOf(world.record);
      const body = await signed(await sign('config', snapshot, 1));
      expect(body.signatures.map((s) => s.chainId)).toEqual([31337, 31338]);
      await expectSignedAsAggregator(body, { kind: 'config', request: snapshot }, 1n);
      const m = decodeMessage(signer.store.byNonce(DID_HASH, '1')!.row.message as Hex);
      expect(m).toMatchObject({ kind: 'config', threshold: 2, signers: COMMITTEE, name: 'Fund A', symbol: 'FA' });
    });

    it('signs a rotation as a member of the last config it signed, even when the new set leaves it out', async () => {
      await signed(await sign('config', configSnapshotOf(world.record), 1));
      world.record = { ...world.record, signers: [COMMITTEE[1]!, COMMITTEE[2]!, OUTSIDER], threshold: 2 };
      const rotation = configSnapshotOf(world.record);
      await expectSignedAsAggregator(await signed(await sign('config', rotation, 2)), { kind: 'config', request: rotation }, 2n);
    });

    it('refuses a rotation when it is not in the set of the last config it signed', async () => {
      // Governance is the whole committee, but the DID's first config installs members 1 and 2 only.
      world.record = { ...world.record, signers: [COMMITTEE[1]!, COMMITTEE[2]!] };
      await signed(await sign('config', configSnapshotOf(world.record), 1));
      world.record = { ...world.record, signers: COMMITTEE };
      expect(await errorOf(await sign('config', configSnapshotOf(world.record), 2))).toMatchObject({ status: 403, code: 'not_in_signer_set' });
      expect(signer.store.count()).toBe(1);
    });

    it('treats a config as a first config when it never signed one: governance decides, not the registry set', async () => {
      world.governance = { signers: [COMMITTEE[1]!, COMMITTEE[2]!], threshold: 2 };
      signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world);
      const refused = await errorOf(await sign('config', configSnapshotOf(world.record), 4));
      expect(refused).toMatchObject({ status: 403, code: 'not_in_signer_set' });
      expect(refused.message).toMatch(/governance/);
      // A governance member that never signed a config of the DID signs it, whatever the nonce.
      signer = makeSigner(DEV_COMMITTEE_KEYS[1]!, world);
      await signed(await sign('config', configSnapshotOf(world.record), 4));
    });

    it('after the end of the set it last signed a config for, leaves the next config to governance', async () => {
      // The first config installs a set that has ended by now (the signer's clock is NOW).
      world.record = { ...world.record, signersValidUntil: NOW - 1 };
      await signed(await sign('config', configSnapshotOf(world.record), 1));
      // Governance no longer includes this signer; the DID's lapsed set still does.
      world.governance.signers = [COMMITTEE[1]!, COMMITTEE[2]!];
      world.record = { ...world.record, signersValidUntil: NOW + 365 * 86_400 };
      const refused = await errorOf(await sign('config', configSnapshotOf(world.record), 2));
      expect(refused).toMatchObject({ status: 403, code: 'not_in_signer_set' });
      expect(refused.message).toMatch(/governance/);
      expect(signer.store.count()).toBe(1);
    });

    type Case = [string, Record<string, unknown>, string];
    const mismatches: Case[] = [
      ['threshold', { threshold: 3 }, 'request.threshold'],
      ['signers', { signers: [COMMITTEE[0]!, COMMITTEE[1]!] }, 'request.signers'],
      ['signers in another order', { signers: [...COMMITTEE].reverse() }, 'request.signers'],
      ['heartbeat', { heartbeat: 60 }, 'request.heartbeat'],
      ['name', { name: 'Fund Z' }, 'request.name'],
    ];
    it.each(mismatches)('refuses a snapshot whose %s differs from the registry with 422 config_mismatch', async (_name, over, field) => {
      const err = await errorOf(await sign('config', { ...configSnapshotOf(world.record), ...over }, 1));
      expect(err).toMatchObject({ status: 422, code: 'config_mismatch', field });
      expect(signer.store.count()).toBe(0);
    });

    it('refuses a snapshot missing a field (400) and an unknown DID (404)', async () => {
      const { symbol: _s, ...rest } = configSnapshotOf(world.record);
      expect(await errorOf(await sign('config', rest, 1))).toMatchObject({ status: 400, code: 'invalid_body', field: 'request.symbol' });
      expect(await errorOf(await sign('config', { ...configSnapshotOf(world.record), did: 'did:rwa:test:nope' }, 1))).toMatchObject({ status: 404, code: 'unknown_did' });
    });
  });

  describe('allow-list and pause', () => {
    it("signs the issuer's allow-list change and pause order for every proposed chain", async () => {
      const allow = await allowListBody();
      await expectSignedAsAggregator(await signed(await sign('allowlist', allow, 1)), { kind: 'allowlist', request: allow }, 1n);
      const pause = await pauseBody();
      await expectSignedAsAggregator(await signed(await sign('pause', pause, 2)), { kind: 'pause', request: pause }, 2n);
      expect(decodeMessage(signer.store.byNonce(DID_HASH, '1')!.row.message as Hex)).toMatchObject({ kind: 'allowlist', entries: [{ account: INVESTOR, allowed: true }] });
    });

    it('refuses the same issuer order under another nonce, and another message at a signed nonce (409)', async () => {
      await signed(await sign('pause', await pauseBody(), 3));
      expect(await errorOf(await sign('pause', await pauseBody(), 4))).toMatchObject({ status: 409, code: 'source_already_signed' });
      expect(await errorOf(await sign('allowlist', await allowListBody(), 3))).toMatchObject({ status: 409, code: 'equivocation' });
      expect(signer.store.count()).toBe(1);
    });

    type Case = [string, () => Promise<Response>, number, string, string | undefined];
    const cases: Case[] = [
      ['an allow-list signed by an outsider', async () => sign('allowlist', await allowListBody({}, DEV_OUTSIDER_KEY), 1), 403, 'not_the_issuer', 'request.signature'],
      ['an allow-list signed by a custodian', async () => sign('allowlist', await allowListBody({}, DEV_CUSTODIAN_KEY), 1), 403, 'not_the_issuer', 'request.signature'],
      ['an allow-list tampered after signing', async () => sign('allowlist', { ...(await allowListBody()), entries: [{ account: OUTSIDER, allowed: true }] }, 1), 403, 'not_the_issuer', 'request.signature'],
      ['a pause order signed by an outsider', async () => sign('pause', await pauseBody({}, DEV_OUTSIDER_KEY), 1), 403, 'not_the_issuer', 'request.signature'],
      ['a pause order with an unrecoverable signature', async () => sign('pause', { ...(await pauseBody()), signature: `0x${'11'.repeat(64)}1b` }, 1), 401, 'bad_signature', 'request.signature'],
      ['a pause body under kind allowlist', async () => sign('allowlist', await pauseBody(), 1), 400, 'invalid_body', 'request.entries'],
      ['caps on a pause', async () => sign('pause', await pauseBody(), 1, [31337], caps(1, 1)), 400, 'invalid_body', 'caps'],
      ['a chain not enabled for the DID', async () => ((world.record = { ...world.record, chainIds: [31338n] }), sign('pause', await pauseBody(), 1)), 422, 'chain_not_enabled', 'chainIds'],
    ];
    it.each(cases)('refuses %s, signing nothing', async (_name, send, status, code, field) => {
      const err = await errorOf(await send());
      expect(err).toMatchObject({ status, code });
      expect(err.field).toBe(field);
      expect(signer.store.count()).toBe(0);
    });

    it('refuses to sign an issuer order when it is not in the DID signer set', async () => {
      signer = makeSigner(DEV_OUTSIDER_KEY, world);
      expect(await errorOf(await sign('pause', await pauseBody(), 1))).toMatchObject({ status: 403, code: 'not_in_signer_set' });
    });
  });

  describe('reserve', () => {
    it('signs a custodian reserve with caps covering each chain supply and summing to the reserve', async () => {
      world.supplies.set(31338, 2_000_000n);
      const body = await reserveBody({ reserve: '10000000' });
      const proposed = caps(4_000_000n, 6_000_000n, [0n, 2_000_000n]);
      await expectSignedAsAggregator(await signed(await sign('reserve', body, 1, [31337, 31338], proposed)), { kind: 'reserve', request: body, caps: proposed }, 1n);
      expect(decodeMessage(signer.store.byNonce(DID_HASH, '1')!.row.message as Hex)).toMatchObject({
        kind: 'reserve',
        reserve: 10_000_000n,
        caps: [
          { chainId: 31337n, cap: 4_000_000n, ceiling: 0n },
          { chainId: 31338n, cap: 6_000_000n, ceiling: 2_000_000n },
        ],
      });
    });

    it('refuses a reserve not later than the last one it signed', async () => {
      await signed(await sign('reserve', await reserveBody({ asOf: NOW - 100 }), 1, [31337, 31338], caps(1, 1)));
      expect(await errorOf(await sign('reserve', await reserveBody({ asOf: NOW - 200 }), 2, [31337, 31338], caps(1, 1)))).toMatchObject({
        status: 422,
        code: 'reserve_not_newer',
        field: 'request.asOf',
      });
      // The as-of is the report's idempotency key: another report as of the same time is the same request again.
      expect(await errorOf(await sign('reserve', await reserveBody({ asOf: NOW - 100, reserve: '20' }), 2, [31337, 31338], caps(1, 1)))).toMatchObject({
        status: 409,
        code: 'source_already_signed',
      });
      await signed(await sign('reserve', await reserveBody({ asOf: NOW - 50 }), 2, [31337, 31338], caps(1, 1)));
    });

    it('returns the same signatures for a repeat without re-checking the caps against the supply', async () => {
      const first = await signed(await sign('reserve', await reserveBody(), 1, [31337, 31338], caps(5_000_000n, 5_000_000n)));
      world.supplies.set(31337, 6_000_000n);
      expect(await signed(await sign('reserve', await reserveBody(), 1, [31337, 31338], caps(5_000_000n, 5_000_000n)))).toEqual(first);
      // Other caps are another message at that nonce.
      expect(await errorOf(await sign('reserve', await reserveBody(), 1, [31337, 31338], caps(6_000_000n, 4_000_000n)))).toMatchObject({ status: 409, code: 'equivocation' });
    });

    type Case = [string, () => Promise<Response>, number, string, string | undefined];
    const cases: Case[] = [
      ['signed by an outsider', async () => sign('reserve', await reserveBody({}, DEV_OUTSIDER_KEY), 1, [31337, 31338], caps(1, 1)), 403, 'not_a_custodian', 'request.signature'],
      ['with the reserve raised after signing', async () => sign('reserve', { ...(await reserveBody()), reserve: '99999999' }, 1, [31337, 31338], caps(1, 1)), 403, 'not_a_custodian', 'request.signature'],
      ['as of the future', async () => sign('reserve', await reserveBody({ asOf: NOW + 3600 }), 1, [31337, 31338], caps(1, 1)), 422, 'time_in_future', 'request.asOf'],
      ['without caps', async () => sign('reserve', await reserveBody(), 1), 400, 'invalid_body', 'caps'],
      ['with a cap of 2^128', async () => sign('reserve', await reserveBody(), 1, [31337, 31338], caps(1n << 128n, 0)), 400, 'invalid_body', 'caps.0.cap'],
      ['with caps summing above the reserve', async () => sign('reserve', await reserveBody(), 1, [31337, 31338], caps(5_000_000n, 5_000_001n)), 422, 'caps_exceed_reserve', 'caps'],
      ['with a cap for a chain not enabled', async () => sign('reserve', await reserveBody(), 1, [31337, 31338], [...caps(1, 1), { chainId: 31339, cap: '1', ceiling: '0' }]), 422, 'chain_not_enabled', 'caps'],
      ['with an enabled chain left out', async () => sign('reserve', await reserveBody(), 1, [31337, 31338], caps(1, 1).slice(0, 1)), 422, 'caps_mismatch', 'caps'],
      ['with a chain capped twice', async () => sign('reserve', await reserveBody(), 1, [31337, 31338], [...caps(1, 1), { chainId: 31338, cap: '1', ceiling: '0' }]), 422, 'caps_mismatch', 'caps'],
      [
        'with a cap below the supply it reads on that chain',
        async () => (world.supplies.set(31338, 3_000_000n), sign('reserve', await reserveBody(), 1, [31337, 31338], caps(8_000_000n, 2_000_000n))),
        422,
        'cap_below_supply',
        'caps',
      ],
      [
        'with a ceiling below what the chain can reach (its supply)',
        async () => (world.supplies.set(31338, 3_000_000n), sign('reserve', await reserveBody(), 1, [31337, 31338], caps(5_000_000n, 5_000_000n, [0n, 2_999_999n]))),
        422,
        'ceiling_below_reach',
        'caps',
      ],
      ['with a supply unreadable', async () => ((world.chainsDown = true), sign('reserve', await reserveBody(), 1, [31337, 31338], caps(1, 1))), 503, 'chain_unavailable', undefined],
    ];
    it.each(cases)('refuses a reserve %s, signing nothing', async (_name, send, status, code, field) => {
      const err = await errorOf(await send());
      expect(err).toMatchObject({ status, code });
      expect(err.field).toBe(field);
      expect(signer.store.count()).toBe(0);
    });
  });

  it('answers the receiver of each chain it was asked for', async () => {
    const body = await signed(await sign('pause', await pauseBody(), 1, [31338]));
    expect(body.signatures).toEqual([expect.objectContaining({ chainId: 31338, receiver: CHAINS[1].receiver })]);
  });
});
