import type { OracleErrorCode } from '../core/errors.js';
import { HTTP_STATUS, type RefusalStatus } from '../core/http-status.js';

/**
 * The committee signer's HTTP status of every refusal code: the aggregator's, except where the signer answers
 * otherwise (the aggregator relays a signer's refusal by code, not by status). /work/codemod-errors.py adds overrides.
 */
export const SIGNER_HTTP_STATUS = {
  ...HTTP_STATUS,
  // The signer vets a whole fulfilment against the chain: a request it cannot find is a refused body, not a 404.
  unknown_request: 422,
  // codemod-errors: signer statuses
} as const satisfies Record<OracleErrorCode, RefusalStatus>;

export const signerHttpStatus = (code: OracleErrorCode): RefusalStatus => SIGNER_HTTP_STATUS[code];
