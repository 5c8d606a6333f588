import type { OracleErrorCode } from '../errors.js';

export type RefusalStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 500 | 502 | 503;

/**
 * The aggregator's HTTP status of every refusal code: the only place a domain error meets HTTP. `satisfies` makes it
 * exhaustive: a new code without a status fails `tsc`. /work/codemod-errors.py adds the codes it converts.
 */
export const HTTP_STATUS = {
  acceptance_mismatch: 422,
  already_accepted: 422,
  amount_not_positive: 422,
  amount_too_large: 422,
  asset_paused: 422,
  did_not_configured: 422,
  exceeds_allowance: 422,
  exceeds_request: 422,
  exceeds_reserve_budget: 422,
  insufficient_holdings: 422,
  investor_not_allowed: 422,
  nav_move_too_large: 422,
  nav_not_newer: 422,
  nav_not_positive: 422,
  nav_too_large: 422,
  not_accepted: 422,
  pins_mismatch: 422,
  request_closed: 422,
  time_in_future: 422,
  // A fulfilment or acceptance naming a request the chain does not have: the resource is missing.
  unknown_request: 404,
  // codemod-errors: aggregator statuses
} as const satisfies Record<OracleErrorCode, RefusalStatus>;

export const httpStatus = (code: OracleErrorCode): RefusalStatus => HTTP_STATUS[code];
