import { describe, expect, it } from 'vitest';
import { getAddress, type Address } from 'viem';
import { didHash, type DidString } from '../schemas/ids.js';
import type { DidRecord } from './chain/registry.js';
import { OracleError } from './errors.js';
import { readChain, recoveredSigner, registeredDid, requireIssuer, requireRole } from './guards.js';

const DID = 'did:rwa:test:guards';
const ISSUER = getAddress('0x1000000000000000000000000000000000000001');
const OTHER = getAddress('0x2000000000000000000000000000000000000002');
const record = { did: DID, issuer: ISSUER } as unknown as DidRecord;

async function refusal(p: Promise<unknown> | (() => void)): Promise<OracleError> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OracleError);
    return err as OracleError;
  }
  throw new Error('expected a refusal');
}

describe('request guards (core/guards.ts)', () => {
  it('readChain passes a value through and turns a failed read into a retryable 503 naming what', async () => {
    expect(await readChain('x', async () => 7)).toBe(7);
    const e = await refusal(readChain('the hub registry', async () => { throw new Error('ECONNREFUSED'); }));
    expect([e.code, e.retryable, e.message]).toEqual(['chain_unavailable', true, 'cannot read the hub registry']);
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
  });

  it('recoveredSigner: 401 bad_signature on the field under the prefix', async () => {
    expect(await recoveredSigner(Promise.resolve(OTHER))).toBe(OTHER);
    const e = await refusal(recoveredSigner(Promise.reject(new Error('bad v')), 'request.'));
    expect([e.code, e.retryable, e.field]).toEqual(['bad_signature', false, 'request.signature']);
  });

  it('registeredDid: the hash and record, 404 unknown_did when absent, 503 when the hub cannot be read', async () => {
    const hash = didHash(DID as DidString);
    const seen: string[] = [];
    const ok = await registeredDid({ getDid: async (h) => { seen.push(h); return record; } }, DID);
    expect(ok).toEqual({ hash, record });
    expect(seen).toEqual([hash]);
    const missing = await refusal(registeredDid({ getDid: async () => undefined }, DID, 'request.'));
    expect([missing.code, missing.field]).toEqual(['unknown_did', 'request.did']);
    const down = await refusal(registeredDid({ getDid: async () => { throw new Error('timeout'); } }, DID));
    expect([down.code, down.retryable]).toEqual(['chain_unavailable', true]);
  });

  it('requireRole asks the registry the question of the role; 403 with the role code otherwise', async () => {
    const asked: string[] = [];
    const registry = {
      isCustodian: async (_d: unknown, who: Address) => { asked.push(`custodian:${who}`); return who === OTHER; },
      isNavPublisher: async (_d: unknown, who: Address) => { asked.push(`nav:${who}`); return false; },
    };
    const did = { hash: didHash(DID as DidString), record };
    await requireRole(registry, did, 'custodian', OTHER);
    const notCustodian = await refusal(requireRole(registry, did, 'custodian', ISSUER));
    expect([notCustodian.code, notCustodian.field]).toEqual(['not_a_custodian', 'signature']);
    const notPublisher = await refusal(requireRole(registry, did, 'navPublisher', OTHER, 'request.'));
    expect([notPublisher.code, notPublisher.field]).toEqual(['not_a_nav_publisher', 'request.signature']);
    expect(asked).toEqual([`custodian:${OTHER}`, `custodian:${ISSUER}`, `nav:${OTHER}`]);
    const down = await refusal(requireRole({ isCustodian: async () => { throw new Error('rpc'); } }, did, 'custodian', OTHER));
    expect([down.code, down.retryable]).toEqual(['chain_unavailable', true]);
  });

  it('requireIssuer compares addresses whatever their case', async () => {
    requireIssuer(record, ISSUER.toLowerCase() as Address);
    const e = await refusal(() => requireIssuer(record, OTHER));
    expect([e.code, e.message]).toEqual(['not_the_issuer', `${OTHER} is not the issuer of ${DID}`]);
  });
});
