/**
 * Pure validation rules applied before the committee signs. Each returns a refusal (field + reason) or undefined.
 * The contracts enforce the same NAV rules on chain; checking here keeps a bad update from ever being signed.
 */
export interface Refusal {
  code: string;
  field: string;
  message: string;
}

const MAX_AMOUNT = (1n << 128n) - 1n;

export function checkAmount(amount: bigint): Refusal | undefined {
  if (amount <= 0n) return { code: 'amount_not_positive', field: 'amount', message: 'amount must be greater than zero' };
  if (amount > MAX_AMOUNT) return { code: 'amount_too_large', field: 'amount', message: 'amount exceeds 2^128 - 1 base units' };
  return undefined;
}

export function checkNotInFuture(field: string, at: bigint, nowSeconds: bigint, skewSeconds: number): Refusal | undefined {
  if (at > nowSeconds + BigInt(skewSeconds)) return { code: 'time_in_future', field, message: `${field} is in the future` };
  return undefined;
}

/** `reserved`: what redemptions and move-outs signed and not yet applied will burn of the same holdings. */
export function checkRedemptionCovered(amount: bigint, balance: bigint, reserved = 0n): Refusal | undefined {
  if (amount + reserved > balance) {
    const pending = reserved > 0n ? ` less ${reserved} already signed and not yet applied` : '';
    return { code: 'insufficient_holdings', field: 'amount', message: `redemption of ${amount} exceeds the investor's holdings of ${balance} on that chain${pending}` };
  }
  return undefined;
}

export interface PreviousNav {
  nav: bigint;
  asOf: bigint;
}

/** NAV must be positive, its as-of time must move forward, and it may move at most `maxMoveBps` from the last. */
export function checkNav(next: { nav: bigint; asOf: bigint }, prev: PreviousNav | undefined, maxMoveBps: number): Refusal | undefined {
  if (next.nav <= 0n) return { code: 'nav_not_positive', field: 'nav', message: 'nav must be greater than zero' };
  if (next.nav >= 1n << 192n) return { code: 'nav_too_large', field: 'nav', message: 'nav exceeds 2^192 - 1' };
  if (!prev) return undefined;
  if (next.asOf <= prev.asOf) {
    return { code: 'nav_not_newer', field: 'asOf', message: `asOf ${next.asOf} is not later than the latest NAV's asOf ${prev.asOf}` };
  }
  const diff = next.nav > prev.nav ? next.nav - prev.nav : prev.nav - next.nav;
  if (diff * 10_000n > prev.nav * BigInt(maxMoveBps)) {
    return { code: 'nav_move_too_large', field: 'nav', message: `nav moves more than ${maxMoveBps} bps from the latest NAV ${prev.nav}` };
  }
  return undefined;
}

/** What a chain says about a DID's holdings, as far as the rules need it. */
export interface ChainHoldings {
  configured: boolean;
  totalSupply: bigint;
  supplyCap: bigint;
  paused: boolean;
  investorAllowed: boolean;
  investorBalance: bigint;
}

/** What signed and not yet applied settlements will consume on the chain (see oracle/issue/pending.ts). */
export interface Reserved {
  /** The investor's holdings that pending redemptions and move-outs will burn. */
  burn: bigint;
  /** The cap headroom that pending subscriptions and move-ins will mint into. */
  mint: bigint;
}

const NOTHING_RESERVED: Reserved = { burn: 0n, mint: 0n };

/**
 * A settlement must be able to apply on its chain: the DID configured there, the asset not paused; a subscription
 * needs an allow-listed investor and room under the chain's reserve cap; a redemption needs the holdings. What is
 * signed and not yet applied (`reserved`) counts as if applied, so no two signed settlements rely on the same units.
 */
export function checkSettlementApplies(kind: 'subscription' | 'redemption', amount: bigint, chain: ChainHoldings, reserved: Reserved = NOTHING_RESERVED): Refusal | undefined {
  if (!chain.configured) return { code: 'did_not_configured', field: 'chainId', message: 'the DID is not configured on that chain yet' };
  if (chain.paused) return { code: 'asset_paused', field: 'did', message: 'the asset is paused by its issuer' };
  if (kind === 'redemption') return checkRedemptionCovered(amount, chain.investorBalance, reserved.burn);
  if (!chain.investorAllowed) return { code: 'investor_not_allowed', field: 'investor', message: 'the investor is not on the allow-list' };
  if (chain.totalSupply + reserved.mint + amount > chain.supplyCap) {
    return {
      code: 'exceeds_reserve_budget',
      field: 'amount',
      message: `supply ${chain.totalSupply}${reserved.mint > 0n ? ` + ${reserved.mint} signed and not yet applied` : ''} + ${amount} exceeds the chain's reserve cap ${chain.supplyCap}; the custodian must attest more reserve`,
    };
  }
  return undefined;
}
