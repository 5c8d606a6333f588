import { RwaError } from '../common/errors.js';

/** The CLI's exit codes: what a script calling `rwa` can branch on. */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

type CliCode = 'usage' | 'refused' | 'unreachable';

/** The one error the CLI's commands throw: main.ts prints it (or its JSON) and exits with its code. */
export class CliError extends RwaError<CliCode> {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    code: CliCode,
    options: { retryable: boolean; details?: Record<string, unknown>; cause?: unknown },
  ) {
    super(message, { code, ...options });
  }
}

/** Bad command line: unknown flag, missing or malformed value, a key on the command line (exit 2). */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, EXIT.usage, 'usage', { retryable: false, details: field ? { field } : {} });
  }
}

/**
 * The oracle, the relayer or a chain said no (exit 1): `reason` is the oracle's error code (`unknown_did`,
 * `signer_not_custodian`, ...), the relayer's, or the contract's custom error name (`RequestAlreadyAccepted`).
 */
export class RefusedError extends CliError {
  override readonly name = 'RefusedError';
  constructor(
    message: string,
    readonly reason: string,
    readonly field?: string,
    readonly status?: number,
  ) {
    super(message, EXIT.refused, 'refused', { retryable: false, details: { reason, ...(field ? { field } : {}), ...(status ? { status } : {}) } });
  }
}

/** A service or chain could not be reached or could not answer now (exit 3); trying later may help. */
export class UnreachableError extends CliError {
  override readonly name = 'UnreachableError';
  constructor(
    message: string,
    readonly target: string,
    cause?: unknown,
  ) {
    super(message, EXIT.unreachable, 'unreachable', { retryable: true, details: { target }, cause });
  }
}

/** The JSON form of a CLI error (`--json`): the same shape as the oracle's error bodies. */
export function errorJson(err: CliError): { error: { code: string; message: string; reason?: string; field?: string; status?: number } } {
  if (err instanceof RefusedError) return { error: { code: err.code, reason: err.reason, message: err.message, ...(err.field ? { field: err.field } : {}), ...(err.status ? { status: err.status } : {}) } };
  if (err instanceof UsageError) return { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } };
  return { error: { code: err.code, message: err.message } };
}
