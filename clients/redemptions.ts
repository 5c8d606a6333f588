import type { Hex } from 'viem';
import type { DisclosureRequest } from '../schemas/http.js';
import { signAcceptance, signDisclosure, signFulfilment, type CustodianDomain, type UnsignedAcceptance, type UnsignedDisclosure, type UnsignedFulfilment } from './custodian.js';
import { kindPath } from '../schemas/kinds/index.js';

/** How the client reaches the oracle: its base URL and, for tests, a fetch to use instead of the global one. */
export interface OracleEndpoint {
  url: string;
  fetch?: (url: string, init?: RequestInit) => Promise<Response> | Response;
}

/** An oracle answer: the status and the parsed JSON (an attestation, a view, or `{ error: { code, message, field? } }`). */
export interface OracleAnswer<T = unknown> {
  status: number;
  json: T;
}

async function call<T>(e: OracleEndpoint, path: string, init?: RequestInit): Promise<OracleAnswer<T>> {
  const res = await (e.fetch ?? fetch)(`${e.url.replace(/\/+$/, '')}${path}`, init);
  return { status: res.status, json: (await res.json()) as T };
}

const post = <T>(e: OracleEndpoint, path: string, body: unknown) => call<T>(e, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * Signs a redemption acceptance with a custodian key and posts it: the custodian commits to pay the request, which
 * its holder can no longer cancel once the acceptance applied on the request's chain. Pay only after that.
 */
export async function submitAcceptance(e: OracleEndpoint, key: Hex, domain: CustodianDomain, body: UnsignedAcceptance): Promise<OracleAnswer> {
  return post(e, kindPath('redemptionAcceptance'), await signAcceptance(key, domain, body));
}

/** Signs a redemption fulfilment with a custodian key and posts it (201 signed, 200 repeat, 4xx refused with the field). */
export async function submitFulfilment(e: OracleEndpoint, key: Hex, domain: CustodianDomain, body: UnsignedFulfilment): Promise<OracleAnswer> {
  return post(e, kindPath('redemptionFulfilment'), await signFulfilment(key, domain, body));
}

/** Signs a disclosure with the issuer's key and posts it. */
export async function submitDisclosure(e: OracleEndpoint, key: Hex, domain: CustodianDomain, body: UnsignedDisclosure): Promise<OracleAnswer> {
  return post(e, kindPath('disclosure'), await signDisclosure(key, domain, body));
}

export interface DisclosureItem {
  docKind: DisclosureRequest['docKind'];
  docHash: Hex;
  uri: string;
  asOf: number;
  attestationId: Hex;
  nonce: string;
  createdAt: string;
}

/** A DID's disclosures, newest first (optionally of one kind). */
export function listDisclosures(e: OracleEndpoint, did: string, docKind?: DisclosureRequest['docKind']): Promise<OracleAnswer<{ did: string; items: DisclosureItem[] }>> {
  return call(e, `/v1/dids/${encodeURIComponent(did)}/disclosures${docKind ? `?docKind=${docKind}` : ''}`);
}

export interface RedemptionsAnswer {
  did: string;
  stages: ({ chainId: number; stage: 'A' | 'B' | 'C'; stageSeq: string; since: number; reason: string; dayRequested: string; poolSupply: string } | { chainId: number; error: string })[];
  dailyRateBps: number | null;
  requests: { chainId: number; requestId: string; owner: string; amount: string; requestedAt: number; fulfilled: string; status: 'open' | 'fulfilled' | 'cancelled'; reportId: string | null; redeemableNow: string | null }[];
}

/** A DID's redemption stage per chain, today's rate and its requests. */
export function redemptionsOf(e: OracleEndpoint, did: string): Promise<OracleAnswer<RedemptionsAnswer>> {
  return call(e, `/v1/dids/${encodeURIComponent(did)}/redemptions`);
}
