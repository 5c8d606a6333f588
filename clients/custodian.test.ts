import { describe, expect, it } from 'vitest';
import { privateKeyToAccount } from 'viem/accounts';
import { DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import { disclosureRequestSchema, fulfilmentRequestSchema } from '../schemas/http.js';
import { parserFor } from '../schemas/validate.js';
import { recoverDisclosureSigner, recoverFulfilmentSigner } from '../core/custodian-auth.js';
import { signDisclosure, signFulfilment, type CustodianDomain } from './custodian.js';

const domain: CustodianDomain = { hubChainId: 31337, registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
const oracleDomain = { hubChainId: 31337n, registry: domain.registry };
const HASH = `0x${'ab'.repeat(32)}` as const;

describe('client signing of redemption fulfilments and disclosures', () => {
  it('a fulfilment passes the request schema and recovers to the custodian; any changed field recovers to someone else', async () => {
    const body = await signFulfilment(DEV_CUSTODIAN_KEY, domain, { did: 'did:rwa:test:fund', chainId: 31338, requestId: '3', settlementRef: 'PAY-1', amount: '250', cashLegRef: HASH, settledAt: 1_800_000_000 });
    expect(parserFor(fulfilmentRequestSchema)(body).ok).toBe(true);
    const custodian = privateKeyToAccount(DEV_CUSTODIAN_KEY).address;
    expect(await recoverFulfilmentSigner(oracleDomain, body)).toBe(custodian);
    expect(await recoverFulfilmentSigner(oracleDomain, { ...body, requestId: '4' })).not.toBe(custodian);
    expect(await recoverFulfilmentSigner(oracleDomain, { ...body, chainId: 31339 })).not.toBe(custodian);
  });

  it('a disclosure signs its document kind as the wire code and recovers to the issuer', async () => {
    const body = await signDisclosure(DEV_ISSUER_KEY, domain, { did: 'did:rwa:test:fund', docKind: 'auditReport', docHash: HASH, uri: 'https://issuer.example/audit-2026.pdf', asOf: 1_800_000_000 });
    expect(parserFor(disclosureRequestSchema)(body).ok).toBe(true);
    const issuer = privateKeyToAccount(DEV_ISSUER_KEY).address;
    expect(await recoverDisclosureSigner(oracleDomain, body)).toBe(issuer);
    expect(await recoverDisclosureSigner(oracleDomain, { ...body, docKind: 'incidentNotice' })).not.toBe(issuer);
  });

  it('the disclosure schema refuses an unknown document kind and a URI with spaces', () => {
    const parse = parserFor(disclosureRequestSchema);
    const base = { did: 'did:rwa:test:fund', docKind: 'navReport', docHash: HASH, uri: 'ipfs://bafy', asOf: 1, signature: `0x${'11'.repeat(65)}` };
    expect(parse(base).ok).toBe(true);
    expect(parse({ ...base, docKind: 'memo' })).toMatchObject({ ok: false, issue: { field: 'docKind' } });
    expect(parse({ ...base, uri: 'a b' })).toMatchObject({ ok: false, issue: { field: 'uri' } });
  });
});
