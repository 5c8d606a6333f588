import { getAddress } from 'viem';
import type { RequestState } from './chain/redemption-types.js';
import type { Refusal } from './rules.js';

/**
 * Pure rules of the redemption flows, shared by the aggregator and the signers so both refuse the same things with
 * the same codes. Amounts are token base units.
 */

/**
 * A fulfilment of `amount` against a request as its chain holds it. `pending` is what was already attested for the
 * request but is not applied on the chain yet (so two quick fulfilments cannot both spend the same allowance);
 * `allowance` is the module's redeemableNow, which already accounts for what is applied.
 */
export function checkFulfilment(amount: bigint, request: RequestState | undefined, allowance: bigint, pending: bigint): Refusal | undefined {
  if (!request) return { code: 'unknown_request', field: 'requestId', message: 'no such request on that chain' };
  if (request.cancelled) return { code: 'request_closed', field: 'requestId', message: 'the request was cancelled' };
  if (!request.accepted) return { code: 'not_accepted', field: 'requestId', message: 'the request is not accepted on its chain yet: post its acceptance and wait until it applies, then pay' };
  const remaining = request.amount - request.fulfilled - pending;
  if (remaining <= 0n) return { code: 'request_closed', field: 'requestId', message: `the request is fully fulfilled (${request.amount}${pending > 0n ? `, ${pending} of it pending on chain` : ''})` };
  if (amount > remaining) {
    return { code: 'exceeds_request', field: 'amount', message: `amount ${amount} exceeds what remains of the request (${remaining} of ${request.amount})` };
  }
  const available = allowance > pending ? allowance - pending : 0n;
  if (amount > available) {
    return { code: 'exceeds_allowance', field: 'amount', message: `amount ${amount} exceeds what the redemption stage allows now (${available})` };
  }
  return undefined;
}

/**
 * An acceptance the custodian may still give: the request exists, is neither cancelled, filled nor accepted, and
 * has the owner and amount the custodian signed (the chain refuses anything else: RequestClosed,
 * RequestAlreadyAccepted, AcceptanceMismatch).
 */
export function checkAcceptance(owner: string, amount: bigint, request: RequestState | undefined): Refusal | undefined {
  if (!request) return { code: 'unknown_request', field: 'requestId', message: 'no such request on that chain' };
  if (request.cancelled) return { code: 'request_closed', field: 'requestId', message: 'the holder cancelled the request' };
  if (request.fulfilled >= request.amount) return { code: 'request_closed', field: 'requestId', message: 'the request is fully fulfilled' };
  if (request.accepted) return { code: 'already_accepted', field: 'requestId', message: 'the request is accepted already' };
  if (getAddress(owner) !== getAddress(request.owner)) return { code: 'acceptance_mismatch', field: 'owner', message: `the request's owner is ${request.owner}` };
  if (amount !== request.amount) return { code: 'acceptance_mismatch', field: 'amount', message: `the request locked ${request.amount}` };
  return undefined;
}

/** A pinned block per chain: exactly one pin for every chain in `expected`, none for any other. */
export function checkPins(expected: readonly number[], pins: readonly { chainId: number }[]): Refusal | undefined {
  const seen = new Set<number>();
  for (const p of pins) {
    if (!expected.includes(p.chainId)) return { code: 'pins_mismatch', field: 'pins', message: `chain ${p.chainId} is not enabled for the DID` };
    if (seen.has(p.chainId)) return { code: 'pins_mismatch', field: 'pins', message: `chain ${p.chainId} is pinned twice` };
    seen.add(p.chainId);
  }
  const missing = expected.filter((c) => !seen.has(c));
  if (missing.length > 0) return { code: 'pins_mismatch', field: 'pins', message: `no pinned block for chain(s) ${missing.join(', ')}` };
  return undefined;
}

/** Redemptions requested on a day as basis points of the pool (floor), the share the hub compares with the policy. */
export function dailyRateBps(dayRequested: bigint, poolSupply: bigint): number | undefined {
  if (poolSupply === 0n) return undefined;
  return Number((dayRequested * 10_000n) / poolSupply);
}

/** The UTC day of a unix time, as the hub counts requests (requestedAt / 86400). */
export const dayOf = (unixSeconds: bigint | number): number => Math.floor(Number(unixSeconds) / 86_400);
