import { beforeEach, describe, expect, it } from 'vitest';
import { keccak256, stringToBytes } from 'viem';
import { DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import { DID, DOMAIN, INVESTOR, NOW, SPOKE_A, makeRedemptions } from '../testkit/oracle-redemption.js';
import { listDisclosures, redemptionsOf, submitDisclosure, submitFulfilment, type OracleEndpoint } from './redemptions.js';

// The client against the real oracle app in process (fake chains behind it).
let k: ReturnType<typeof makeRedemptions>;
let oracle: OracleEndpoint;

beforeEach(() => {
  k = makeRedemptions();
  oracle = { url: 'http://oracle.test/', fetch: (url, init) => k.app.request(url, init) };
  k.world.requests.set(`${SPOKE_A}:1`, { owner: INVESTOR, amount: 500n, fulfilled: 0n, requestedAt: BigInt(NOW - 100), cancelled: false, accepted: true });
  k.world.allowances.set(`${SPOKE_A}:1`, 500n);
});

describe('redemption client', () => {
  it('signs and posts a fulfilment, and reads back the refusal of a second one that does not fit', async () => {
    const body = { did: DID, chainId: SPOKE_A, requestId: '1', settlementRef: 'PAY-9', amount: '500', cashLegRef: keccak256(stringToBytes('wire')), settledAt: NOW - 5 };
    expect((await submitFulfilment(oracle, DEV_CUSTODIAN_KEY, DOMAIN, body)).status).toBe(201);
    const again = await submitFulfilment(oracle, DEV_CUSTODIAN_KEY, DOMAIN, { ...body, settlementRef: 'PAY-10', amount: '1' });
    expect(again).toMatchObject({ status: 422, json: { error: { code: 'request_closed', field: 'requestId' } } });
  });

  it('signs and posts a disclosure, lists it, and reads the redemptions view', async () => {
    const docHash = keccak256(stringToBytes('audit 2026'));
    expect((await submitDisclosure(oracle, DEV_ISSUER_KEY, DOMAIN, { did: DID, docKind: 'auditReport', docHash, uri: 'https://issuer.example/audit.pdf', asOf: NOW - 60 })).status).toBe(201);
    const list = await listDisclosures(oracle, DID, 'auditReport');
    expect(list.json.items).toMatchObject([{ docKind: 'auditReport', docHash, asOf: NOW - 60 }]);
    const view = await redemptionsOf(oracle, DID);
    expect(view.status).toBe(200);
    expect(view.json.stages).toHaveLength(3);
  });

  it('finds the new routes in the OpenAPI document', async () => {
    const doc = (await (await k.app.request('/openapi.json')).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/redemptions/fulfilments', '/v1/disclosures', '/v1/dids/{did}/disclosures', '/v1/dids/{did}/redemptions']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['FulfilmentRequest', 'DisclosureRequest']));
  });
});
