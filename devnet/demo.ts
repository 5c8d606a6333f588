import { keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Deployment } from '../schemas/deployment.js';
import { DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_NAV_PUBLISHER_KEY } from '../schemas/dev-keys.js';
import { postJson, signAllowList, signNav, signReserve, signSettlement, type CustodianDomain } from '../clients/custodian.js';
import { inspectChains } from './inspect.js';
import { waitFor } from '../testkit/wait.js';
import type { NavRequest, SettlementRequest } from '../schemas/http.js';

/** A demo investor (anvil's account #3, address only: it never signs anything here). */
export const DEMO_INVESTOR: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

export function custodianDomainOf(d: Deployment): CustodianDomain {
  return { hubChainId: d.hub.chainId, registry: d.hub.registry as Address };
}

export function demoSubscription(d: Deployment, chainId: number, ref: string, amount: bigint, settledAt: number, investor: Address = DEMO_INVESTOR): Promise<SettlementRequest> {
  const did = d.dids[0]?.did;
  if (!did) throw new Error('deployment has no DID');
  return signSettlement(DEV_CUSTODIAN_KEY, custodianDomainOf(d), {
    did,
    chainId,
    kind: 'subscription',
    settlementRef: ref,
    investor,
    amount: amount.toString(),
    cashLegRef: keccak256(stringToBytes(`wire ${ref}`)),
    settledAt,
  });
}

export function demoNav(d: Deployment, nav: bigint, asOf: number): Promise<NavRequest> {
  const did = d.dids[0]?.did;
  if (!did) throw new Error('deployment has no DID');
  return signNav(DEV_NAV_PUBLISHER_KEY, custodianDomainOf(d), { did, nav: nav.toString(), asOf });
}

export const devCustodianAddress = () => privateKeyToAccount(DEV_CUSTODIAN_KEY).address;

/** Investors the demo and the tests use (anvil accounts #3..#5, addresses only). */
export const DEMO_INVESTORS: readonly Address[] = [DEMO_INVESTOR, '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65', '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'];
/** Reserve the demo custodian reports at start: 1,000,000 units of a 6-decimal token. */
export const DEMO_RESERVE = 1_000_000_000_000n;

/**
 * What an issuer and a custodian do before the first subscription: the issuer allow-lists the investors and the
 * custodian reports the reserve. Both go through the oracle like any request; resolves once every chain has the
 * DID's config, the allow-list and a reserve cap.
 */
export async function bootstrapDemo(d: Deployment, oracleUrl: string, timeoutMs = 60_000): Promise<void> {
  const did = d.dids[0];
  if (!did) throw new Error('deployment has no DID');
  const domain = custodianDomainOf(d);
  // The registry sync must have attested the config before the allow-list can apply after it on every chain.
  await waitFor(
    async () => {
      const page = (await (await fetch(`${oracleUrl}/v1/attestations?after=0&limit=50`)).json()) as { items: { kind: string; did: string }[] };
      return page.items.some((i) => i.kind === 'config' && i.did === did.did);
    },
    { what: 'the DID config attestation', timeoutMs },
  );
  const allow = await signAllowList(DEV_ISSUER_KEY, domain, { did: did.did, ref: 'DEMO-ALLOW-1', entries: DEMO_INVESTORS.map((account) => ({ account, allowed: true })) });
  const a = await postJson(`${oracleUrl}/v1/allowlist`, allow);
  if (a.status !== 201 && a.status !== 200) throw new Error(`allow-list refused: ${a.status} ${JSON.stringify(a.json)}`);
  const reserve = await signReserve(DEV_CUSTODIAN_KEY, domain, { did: did.did, reserve: DEMO_RESERVE.toString(), asOf: Math.floor(Date.now() / 1000) - 60 });
  const r = await postJson(`${oracleUrl}/v1/reserve`, reserve);
  if (r.status !== 201 && r.status !== 200) throw new Error(`reserve refused: ${r.status} ${JSON.stringify(r.json)}`);
  await waitFor(
    async () => {
      const views = await inspectChains(d, DEMO_INVESTOR);
      return views.every((v) => v.configured && v.supplyCap > 0n && v.investorAllowed);
    },
    { what: 'config, allow-list and reserve applied on every chain', timeoutMs },
  );
}

/** One settlement per chain and a NAV, posted; their attestation ids. */
export interface DemoRound {
  /** Subscription attestation id per chain id. */
  ids: Map<number, Hex>;
  navId: Hex;
}

/**
 * Posts one subscription of `amounts.get(chainId)` to the demo investor on every chain (refs `<prefix>-<chain name>`)
 * and a NAV of `nav`; throws, with the oracle's answer, unless each is accepted (201).
 */
export async function postDemoRound(d: Deployment, oracleUrl: string, prefix: string, amounts: ReadonlyMap<number, bigint>, nav: bigint, now: number): Promise<DemoRound> {
  const created = async (path: string, body: unknown): Promise<Hex> => {
    const r = await postJson(`${oracleUrl}${path}`, body);
    if (r.status !== 201) throw new Error(`POST ${path} answered ${r.status}: ${JSON.stringify(r.json)}`);
    return (r.json as { id: Hex }).id;
  };
  const ids = new Map<number, Hex>();
  for (const c of d.chains) ids.set(c.chainId, await created('/v1/settlements', await demoSubscription(d, c.chainId, `${prefix}-${c.name}`, amounts.get(c.chainId) ?? 0n, now)));
  return { ids, navId: await created('/v1/nav', await demoNav(d, nav, now)) };
}

/** Waits until every chain shows the demo investor holding `amounts.get(chainId)` and the NAV `nav`. */
export function waitForDemoRound(d: Deployment, amounts: ReadonlyMap<number, bigint>, nav: bigint, timeoutMs = 120_000): Promise<true> {
  return waitFor(
    async () => {
      const views = await inspectChains(d, DEMO_INVESTOR);
      return views.every((v) => v.balance === amounts.get(v.chainId) && v.nav === nav);
    },
    { what: 'holdings and NAV on all chains', timeoutMs },
  );
}
