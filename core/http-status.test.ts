import { describe, expect, it } from 'vitest';
import { OracleError, type OracleErrorCode } from './errors.js';
import { RwaError } from '../common/errors.js';
import { HTTP_STATUS, httpStatus } from './http-status.js';
import { SIGNER_HTTP_STATUS, signerHttpStatus } from '../committee/status.js';

describe('refusal code -> HTTP status (the API edge)', () => {
  it.each([
    ['invalid_body', 400, 400],
    ['bad_signature', 401, 401],
    ['not_a_custodian', 403, 403],
    ['unknown_did', 404, 404],
    ['unknown_request', 404, 422],
    ['conflicting_repeat', 409, 409],
    ['body_too_large', 413, 413],
    ['unsupported_media_type', 415, 415],
    ['exceeds_allowance', 422, 422],
    ['chain_unavailable', 503, 503],
    ['quorum_unavailable', 503, 503],
  ] as const satisfies readonly (readonly [OracleErrorCode, number, number])[])('%s -> aggregator %i, signer %i', (code, aggregator, signer) => {
    expect(httpStatus(code)).toBe(aggregator);
    expect(signerHttpStatus(code)).toBe(signer);
  });

  it('maps every code of both processes to a 4xx or 5xx, the same in both but for unknown_request', () => {
    for (const [code, status] of Object.entries(HTTP_STATUS)) {
      expect(status).toBeGreaterThanOrEqual(400);
      if (code !== 'unknown_request') expect(SIGNER_HTTP_STATUS[code as OracleErrorCode], code).toBe(status);
    }
    expect(Object.keys(SIGNER_HTTP_STATUS).sort()).toEqual(Object.keys(HTTP_STATUS).sort());
  });

  it('rejects a code without a status, at compile time', () => {
    // @ts-expect-error not a refusal code: `tsc` fails here if the union ever widens to string.
    const made: OracleErrorCode = 'no_such_code';
    expect(made in HTTP_STATUS).toBe(false);
  });
});

describe('OracleError (domain)', () => {
  it('carries a code, the field, a retryable flag and no HTTP status', () => {
    const err = new OracleError('not_a_custodian', '0xabc is not a custodian', 'signature');
    expect(err).toBeInstanceOf(RwaError);
    expect(err).toMatchObject({ code: 'not_a_custodian', field: 'signature', retryable: false, details: { field: 'signature' } });
    expect('status' in err).toBe(false);
    expect(JSON.stringify(err)).toBe('{"error":{"code":"not_a_custodian","message":"0xabc is not a custodian","field":"signature"}}');
  });

  it.each([
    ['chain_unavailable', true],
    ['quorum_unavailable', true],
    ['invalid_body', false],
    ['conflicting_repeat', false],
  ] as const)('%s is retryable: %s', (code, retryable) => {
    expect(new OracleError(code, 'why').retryable).toBe(retryable);
  });
});
