import { describe, expect, it } from 'vitest';
import { privateKeyToAccount } from 'viem/accounts';
import type { Address } from 'viem';
import { DEV_BUYBACK_CUSTODIAN_KEY, DEV_COMMITTEE_KEYS, DEV_CUSTODIAN_KEY } from '../schemas/dev-keys.js';
import { didHash, type DidString } from '../schemas/ids.js';
import type { BuyBackReportRequest, BuyBackReportSource, LiquidityBandsSnapshot } from '../schemas/kinds/buyback-report.js';
import { signCustodianRequest } from '../clients/custodian.js';
import type { DidRecord } from '../core/chain/registry.js';
import { liquidityFigures } from '../core/buyback.js';
import { vetBuyBackRequest } from './buyback-checks.js';
import type { SignerCheckDeps } from './checks.js';

// Unit test: the registry and chains are in-memory fakes; the EIP-712 recovery and the LCR formula are real.
const DID = 'did:rwa:test:fund-b';
const HASH = didHash(DID as DidString);
const NOW = 1_800_000_000n;
const DOMAIN = { hubChainId: 31337, registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address };
const SELF = privateKeyToAccount(DEV_COMMITTEE_KEYS[0]!).address;
const BANDS: LiquidityBandsSnapshot = { minShareBps: 100, stageBBelowBps: 10_000, stageCBelowBps: 7_000, staleFloor: true, stressRateBps: 3_000, horizonDays: 7 };
const record = { did: DID, signers: [SELF], chainIds: [31337n, 31338n] } as unknown as DidRecord;

/** `null`: the registry names no buy-back custodian. */
function deps(custodian: Address | null = privateKeyToAccount(DEV_BUYBACK_CUSTODIAN_KEY).address): SignerCheckDeps {
  return {
    registry: { getDid: async (h) => (h === HASH ? record : undefined), isCustodian: async () => true, isNavPublisher: async () => false },
    chains: { get: (id: number) => ({ chainId: id, receiver: '0x0000000000000000000000000000000000000001' }) } as unknown as SignerCheckDeps['chains'],
    custodianDomain: { hubChainId: BigInt(DOMAIN.hubChainId), registry: DOMAIN.registry },
    self: SELF,
    now: () => NOW,
    maxFutureSkewSeconds: 300,
    signedNav: () => undefined,
    governance: { signers: [], threshold: 1 },
    signedConfigSet: () => undefined,
    signedReserveAsOf: () => undefined,
    buyBacks: { buyBackOf: async () => ({ custodian: custodian ?? undefined, bands: { ...BANDS } }) },
  };
}

async function source(key = DEV_BUYBACK_CUSTODIAN_KEY): Promise<BuyBackReportSource> {
  const request = (await signCustodianRequest('BuyBackReport', key, { hubChainId: DOMAIN.hubChainId, registry: DOMAIN.registry }, {
    did: DID,
    poolCash: '2000000',
    asOf: Number(NOW) - 60,
    buckets: [{ kind: 'cash', amount: '1000000', haircutBps: 0, daysToCash: 0 }, { kind: 'tbill', amount: '1000000', haircutBps: 300, daysToCash: 3 }],
  })) as BuyBackReportRequest;
  return { kind: 'buybackReport', request, liquidity: liquidityFigures(request, 10_000_000n, 500_000n, BANDS) };
}

const vet = async (d: SignerCheckDeps, s: BuyBackReportSource) => vetBuyBackRequest(d, s, HASH, [31337, 31338], { rules: true });

describe('a signer vets a buy-back report (kind 17) on its own', () => {
  it('signs what the buy-back custodian signed, with the LCR it computes itself', async () => {
    const s = await source();
    // liquid 1M + 0.97M = 1.97M; outflows 0.5M + 30% of 10M = 3.5M; 5628 bps
    expect(s.liquidity).toMatchObject({ liquidAssets: '1970000', outflows: '3500000', lcrBps: '5628' });
    await expect(vet(deps(), s)).resolves.toMatchObject({ record });
  });

  it('refuses another signer than the buy-back custodian, and any signer while none is named', async () => {
    await expect(vet(deps(), await source(DEV_CUSTODIAN_KEY))).rejects.toMatchObject({ code: 'not_the_buyback_custodian', field: 'request.signature' });
    await expect(vet(deps(null), await source())).rejects.toMatchObject({ code: 'not_the_buyback_custodian' });
  });

  it.each([
    ['an LCR the formula does not give', (s: BuyBackReportSource) => ({ ...s.liquidity, lcrBps: '9999' }), 'liquidity.lcrBps'],
    ['outflows without the stress rate', (s: BuyBackReportSource) => ({ ...s.liquidity, outflows: '500000' }), 'liquidity.outflows'],
    ['bands the registry does not hold', (s: BuyBackReportSource) => ({ ...s.liquidity, bands: { ...s.liquidity.bands, stageCBelowBps: 5_000 } }), 'liquidity.bands.stageCBelowBps'],
  ] as const)('refuses %s', async (_name, change, field) => {
    const s = await source();
    await expect(vet(deps(), { ...s, liquidity: change(s) })).rejects.toMatchObject({ code: 'liquidity_mismatch', field });
  });
});
