/** Every refusal the oracle makes: an HTTP status, a stable code, a message and the field at fault. */
export class OracleError extends Error {
  override readonly name = 'OracleError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 500 | 502 | 503,
    readonly code: string,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

export const badRequest = (field: string, message: string) => new OracleError(400, 'invalid_body', `${field} ${message}`, field);
export const unprocessable = (code: string, field: string, message: string) => new OracleError(422, code, message, field);
