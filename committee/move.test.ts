import { beforeEach, describe, expect, it } from 'vitest';
import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import { attestationDomain, attestationTypes } from '../schemas/eip712.js';
import { attestationId, attestationTypedMessage, decodeMessage, encodeMessage } from '../schemas/message.js';
import type { SignResponse } from '../schemas/committee.js';
import { signMove, type UnsignedMove } from '../clients/custodian.js';
import { attestationOf, type MoveSource } from '../core/attestation.js';
import { refHash } from '../schemas/ids.js';
import { DID, DID_HASH, DOMAIN, INVESTOR, NOW, makeSigner, newWorld, settlementBody, type World } from '../testkit/committee.js';

// Unit test: the hub registry and destination chains are in-memory fakes; store and HTTP app are the real ones.
// The world's DID is enabled on the hub (31337) and the spoke (31338); the moves go from the spoke to the hub.
let world: World;
let signer: ReturnType<typeof makeSigner>;

const post = (body: unknown) => signer.app.request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const moveBody = (over: Partial<UnsignedMove> = {}, key: Hex = DEV_CUSTODIAN_KEY) =>
  signMove(key, DOMAIN, { did: DID, ref: 'MOVE-1', investor: INVESTOR, amount: '400', fromChainId: 31338, toChainId: 31337, ...over });
const SETTLED_AT = NOW - 5;

function signOut(request: unknown, nonce: number, chainIds = [31338]) {
  return post({ kind: 'move', request, nonce: String(nonce), chainIds, leg: 'out', settledAt: SETTLED_AT });
}
function signIn(request: unknown, nonce: number, outNonce: number, chainIds = [31337]) {
  return post({ kind: 'move', request, nonce: String(nonce), chainIds, leg: 'in', settledAt: SETTLED_AT, outNonce: String(outNonce) });
}

async function errorOf(res: Response) {
  const j = (await res.json()) as { error: { code: string; field?: string; message: string } };
  return { status: res.status, ...j.error };
}

async function signed(res: Response): Promise<SignResponse> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as SignResponse;
}

/** The signer signed exactly the aggregator's message (the shared builder), over the leg's chain domain. */
async function expectSignedAsAggregator(body: SignResponse, source: MoveSource, nonce: bigint) {
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

describe('committee signer POST /v1/sign, move legs', () => {
  beforeEach(() => {
    world = newWorld();
    world.balances.set(`31338:${INVESTOR}`, 1_000n);
    // The to-chain (hub) would accept the in leg: investor allow-listed, room under the cap.
    world.holdings.set(31337, { supplyCap: 10_000n, paused: false, investorAllowed: true });
    signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, world);
  });

  it('signs the out leg for the from-chain when the balance there covers the amount', async () => {
    const request = await moveBody();
    const body = await signed(await signOut(request, 1));
    expect(body.signatures.map((s) => s.chainId)).toEqual([31338]);
    await expectSignedAsAggregator(body, { kind: 'move', request, leg: 'out', settledAt: SETTLED_AT }, 1n);
    expect(decodeMessage(signer.store.byNonce(DID_HASH, '1')!.row.message as Hex)).toMatchObject({ settlementKind: 'moveOut', peerChainId: 31337n, amount: 400n });
  });

  it.each([
    ['more than the from-chain balance', () => moveBody({ amount: '1001' }), [31338], { status: 422, code: 'insufficient_holdings', field: 'request.amount' }],
    ['a signer that is not a custodian', () => moveBody({}, DEV_OUTSIDER_KEY), [31338], { status: 403, code: 'not_a_custodian', field: 'request.signature' }],
    ['the out leg for the to-chain', () => moveBody(), [31337], { status: 422, code: 'chain_mismatch', field: 'chainIds' }],
    ['a to-chain not enabled for the DID', () => moveBody({ toChainId: 31339 }), [31338], { status: 422, code: 'chain_not_enabled', field: 'chainIds' }],
    ['the same chain twice', () => moveBody({ toChainId: 31338 }), [31338], { status: 422, code: 'same_chain', field: 'request.toChainId' }],
  ])('refuses an out leg with %s and records nothing', async (_name, make, chainIds, expected) => {
    expect(await errorOf(await signOut(await make(), 1, chainIds))).toMatchObject(expected);
    expect(signer.store.byNonce(DID_HASH, '1')).toBeUndefined();
  });

  it('signs the in leg only once the out nonce is used on the from-chain', async () => {
    const request = await moveBody();
    await signed(await signOut(request, 1));
    expect(await errorOf(await signIn(request, 2, 1))).toMatchObject({ status: 422, code: 'move_out_not_applied', field: 'outNonce' });
    expect(signer.store.byNonce(DID_HASH, '2')).toBeUndefined();
    // Used on the to-chain is not enough: the burn must be on the from-chain.
    world.usedNonces.add('31337:1');
    expect(await errorOf(await signIn(request, 2, 1))).toMatchObject({ code: 'move_out_not_applied' });

    world.usedNonces.add('31338:1');
    const body = await signed(await signIn(request, 2, 1));
    expect(body.signatures.map((s) => s.chainId)).toEqual([31337]);
    await expectSignedAsAggregator(body, { kind: 'move', request, leg: 'in', settledAt: SETTLED_AT, outNonce: '1' }, 2n);
    expect(decodeMessage(signer.store.byNonce(DID_HASH, '2')!.row.message as Hex)).toMatchObject({ settlementKind: 'moveIn', peerChainId: 31338n });
  });

  it('signs the in leg after an out leg other signers signed, and refuses an out nonce it signed for something else', async () => {
    const request = await moveBody();
    world.usedNonces.add('31338:7');
    await signed(await signIn(request, 8, 7));

    await signed(await post({ kind: 'settlement', request: await settlementBody({ settlementRef: 'S-1' }), nonce: '9', chainIds: [31338] }));
    world.usedNonces.add('31338:9');
    expect(await errorOf(await signIn(await moveBody({ ref: 'MOVE-2' }), 10, 9))).toMatchObject({ status: 422, code: 'not_the_out_leg', field: 'outNonce' });
  });

  it('refuses the in leg for the from-chain, and a malformed envelope', async () => {
    const request = await moveBody();
    world.usedNonces.add('31338:1');
    expect(await errorOf(await signIn(request, 2, 1, [31338]))).toMatchObject({ status: 422, code: 'chain_mismatch' });
    expect(await errorOf(await post({ kind: 'move', request, nonce: '2', chainIds: [31337], settledAt: SETTLED_AT }))).toMatchObject({ status: 400, field: 'leg' });
    expect(await errorOf(await post({ kind: 'move', request, nonce: '2', chainIds: [31337], leg: 'in', settledAt: SETTLED_AT }))).toMatchObject({ status: 400, field: 'outNonce' });
    expect(await errorOf(await post({ kind: 'move', request, nonce: '2', chainIds: [31338], leg: 'out', settledAt: SETTLED_AT, outNonce: '1' }))).toMatchObject({ status: 400, field: 'outNonce' });
    expect(await errorOf(await post({ kind: 'settlement', request, nonce: '2', chainIds: [31338], leg: 'out' }))).toMatchObject({ status: 400, field: 'leg' });
  });

  it('refuses a settledAt in the future, and the same leg again under another nonce', async () => {
    const request = await moveBody();
    expect(await errorOf(await post({ kind: 'move', request, nonce: '1', chainIds: [31338], leg: 'out', settledAt: NOW + 3600 }))).toMatchObject({ status: 422, code: 'time_in_future' });
    await signed(await signOut(request, 1));
    expect(await errorOf(await signOut(request, 3))).toMatchObject({ status: 409, code: 'source_already_signed' });
  });

  it.each([
    ['the investor is not allow-listed there', { investorAllowed: false }, 'investor_not_allowed'],
    ['the asset is paused there', { paused: true }, 'asset_paused'],
    ['the cap there is below the amount', { supplyCap: 399n }, 'exceeds_reserve_budget'],
  ])('refuses the in leg when %s now (the to-chain would revert it), and signs it once that is lifted', async (_name, over, code) => {
    const request = await moveBody();
    world.usedNonces.add('31338:1');
    world.holdings.set(31337, { supplyCap: 10_000n, paused: false, investorAllowed: true, ...over });
    expect(await errorOf(await signIn(request, 2, 1))).toMatchObject({ status: 422, code });
    expect(signer.store.byNonce(DID_HASH, '2')).toBeUndefined();
    world.holdings.set(31337, { supplyCap: 10_000n, paused: false, investorAllowed: true });
    await signed(await signIn(request, 2, 1));
  });

  it('signs the void only while the move is unconsumed on the to-chain, and the return only once it reads the void applied there', async () => {
    const request = await moveBody();
    const ref = refHash('MOVE-1');
    const signLeg = (leg: 'void' | 'return', nonce: number, chainIds: number[]) => post({ kind: 'move', request, nonce: String(nonce), chainIds, leg, settledAt: SETTLED_AT, outNonce: '1' });
    expect(await errorOf(await signLeg('void', 2, [31337]))).toMatchObject({ status: 422, code: 'move_out_not_applied' });
    world.usedNonces.add('31338:1');
    expect(await errorOf(await signLeg('void', 2, [31338]))).toMatchObject({ status: 422, code: 'chain_mismatch' });
    expect(await errorOf(await signLeg('return', 2, [31338]))).toMatchObject({ status: 422, code: 'move_not_voided' });

    world.moveOutcomes.set(`31337:${ref}`, 'arrived');
    expect(await errorOf(await signLeg('void', 2, [31337]))).toMatchObject({ status: 422, code: 'move_settled' });
    expect(await errorOf(await signIn(request, 2, 1))).toMatchObject({ status: 422, code: 'move_settled' });
    expect(await errorOf(await signLeg('return', 2, [31338]))).toMatchObject({ status: 422, code: 'move_not_voided' });

    world.moveOutcomes.delete(`31337:${ref}`);
    const v = await signed(await signLeg('void', 2, [31337]));
    await expectSignedAsAggregator(v, { kind: 'move', request, leg: 'void', settledAt: SETTLED_AT, outNonce: '1' }, 2n);
    expect(decodeMessage(signer.store.byNonce(DID_HASH, '2')!.row.message as Hex)).toMatchObject({ kind: 'moveVoid', moveRef: ref, peerChainId: 31338n, amount: 400n });

    world.moveOutcomes.set(`31337:${ref}`, 'voided');
    expect(await errorOf(await signIn(request, 3, 1))).toMatchObject({ status: 422, code: 'move_settled' });
    const r = await signed(await signLeg('return', 3, [31338]));
    expect(r.signatures.map((s) => s.chainId)).toEqual([31338]);
    expect(decodeMessage(signer.store.byNonce(DID_HASH, '3')!.row.message as Hex)).toMatchObject({ kind: 'moveReturn', moveRef: ref, peerChainId: 31337n, amount: 400n });
  });
});
