import { beforeEach, describe, expect, it } from 'vitest';
import { keccak256, stringToBytes } from 'viem';
import { DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY } from '../../schemas/dev-keys.js';
import type { SignResponse } from '../../schemas/committee.js';
import { attestationId, encodeMessage } from '../../schemas/message.js';
import { signCustodianRequest } from '../../clients/custodian.js';
import { attestationOf } from '../attestation.js';
import { CHAINS, DID, DID_HASH, DOMAIN, makeSigner, newWorld } from './testkit.js';

let signer: ReturnType<typeof makeSigner>;
const memoBody = (key = DEV_ISSUER_KEY) => signCustodianRequest('Memo', key, DOMAIN, { did: DID, ref: 'MEMO-1', memoHash: keccak256(stringToBytes('memo')) });
const sign = async (request: unknown) =>
  signer.app.request('/v1/sign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'memo', request, nonce: '5', chainIds: CHAINS.map((c) => c.chainId) }) });

beforeEach(() => {
  signer = makeSigner(DEV_COMMITTEE_KEYS[0]!, newWorld());
});

describe('committee signer, memo (kind 17, trial of docs/adding-a-kind.md)', () => {
  it("signs the issuer's memo for every chain, the bytes the aggregator builds", async () => {
    const request = await memoBody();
    const res = await sign(request);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as SignResponse;
    expect(body.attestationId).toBe(attestationId(encodeMessage(attestationOf({ kind: 'memo', request }, DID_HASH, 5n))));
  });

  it('refuses a memo another key signed', async () => {
    const res = await sign(await memoBody(DEV_CUSTODIAN_KEY));
    expect(res.status).toBe(403);
  });
});
