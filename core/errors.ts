import { RwaError } from '../common/errors.js';

/**
 * Every code the oracle and its committee signers refuse with: the stable part of `{ error: { code, message, field? } }`.
 * Each HTTP edge maps a code to its status (oracle/api/status.ts, committee/status.ts), typed so that a code
 * without a status fails `tsc`. /work/codemod-errors.py appends codes it meets at call sites before the marker.
 */
export type OracleErrorCode =
  // Refusals of the validation rules (rules.ts, redemption-rules.ts): 422, or 404 for an unknown request.
  | 'acceptance_mismatch'
  | 'already_accepted'
  | 'amount_not_positive'
  | 'amount_too_large'
  | 'asset_paused'
  | 'did_not_configured'
  | 'exceeds_allowance'
  | 'exceeds_request'
  | 'exceeds_reserve_budget'
  | 'insufficient_holdings'
  | 'investor_not_allowed'
  | 'nav_move_too_large'
  | 'nav_not_newer'
  | 'nav_not_positive'
  | 'nav_too_large'
  | 'not_accepted'
  | 'pins_mismatch'
  | 'request_closed'
  | 'time_in_future'
  | 'unknown_request'
  // Codes thrown at call sites (kept in step by the codemod).
  | 'bad_signature'
  | 'body_too_large'
  | 'cap_below_supply'
  | 'caps_exceed_reserve'
  | 'caps_mismatch'
  | 'ceiling_below_reach'
  | 'chain_mismatch'
  | 'chain_not_enabled'
  | 'chain_unavailable'
  | 'config_mismatch'
  | 'conflicting_repeat'
  | 'disclosure_not_newer'
  | 'equivocation'
  | 'event_mismatch'
  | 'event_not_found'
  | 'invalid_body'
  | 'invalid_did'
  | 'invalid_id'
  | 'invalid_json'
  | 'invalid_query'
  | 'invalid_ref'
  | 'invalid_transport_quorum'
  | 'invalid_brakes'
  | 'move_not_voided'
  | 'move_out_not_applied'
  | 'move_settled'
  | 'not_a_custodian'
  | 'not_a_nav_publisher'
  | 'not_final'
  | 'not_in_signer_set'
  | 'not_the_issuer'
  | 'not_the_out_leg'
  | 'pin_too_old'
  | 'policy_mismatch'
  | 'policy_not_set'
  | 'pool_supply_mismatch'
  | 'quorum_mismatch'
  | 'brakes_mismatch'
  | 'brakes_not_configured'
  | 'quorum_unavailable'
  | 'quorums_not_configured'
  | 'redemptions_not_configured'
  | 'reserve_below_supply'
  | 'reserve_not_newer'
  | 'reserved_ref'
  | 'same_chain'
  | 'source_already_signed'
  | 'unauthorized'
  | 'unknown_attestation'
  | 'unknown_did'
  | 'unknown_move'
  | 'unsupported_media_type'
  | 'not_the_buyback_custodian'
  | 'buyback_not_newer'
  | 'no_reserve'
  | 'invalid_liquidity_input'
  | 'liquidity_mismatch'
  // codemod-errors: codes
  ;

/** A later try can succeed: a chain or the committee could not be reached. Every other refusal stays one. */
const RETRYABLE: ReadonlySet<OracleErrorCode> = new Set<OracleErrorCode>(['chain_unavailable', 'quorum_unavailable']);

/** Every refusal the oracle makes: a stable code, a message, the field at fault; no transport concern. */
export class OracleError extends RwaError<OracleErrorCode> {
  override readonly name = 'OracleError';
  constructor(
    code: OracleErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, { code, retryable: RETRYABLE.has(code), details: field ? { field } : {}, cause: options?.cause });
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const badRequest = (field: string, message: string) => new OracleError('invalid_body', `${field} ${message}`, field);
export const unprocessable = (code: OracleErrorCode, field: string, message: string) => new OracleError(code, message, field);
