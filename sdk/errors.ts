import { RwaError } from '../common/errors.js';

/**
 * The reader's errors: one class per thing a caller may want to handle, each with a stable `code`, `retryable`, and
 * the chain or DID at fault in `details` (and as a field). Everything else a chain answers unexpectedly is a
 * `ReadFailedError` carrying the node's error as `cause`.
 */
export type SdkErrorCode = 'invalid_deployment' | 'invalid_input' | 'unknown_did' | 'unknown_chain' | 'chain_unreachable' | 'chain_mismatch' | 'did_not_configured' | 'read_failed';

export class SdkError extends RwaError<SdkErrorCode> {
  override readonly name: string = 'SdkError';
}

/** The deployment description (object or file) does not parse. */
export class InvalidDeploymentError extends SdkError {
  override readonly name = 'InvalidDeploymentError';
  constructor(message: string, cause?: unknown) {
    super(`invalid deployment: ${message}`, { code: 'invalid_deployment', retryable: false, cause });
  }
}

/** An argument is not what the method takes (e.g. an investor that is not an address). */
export class InvalidInputError extends SdkError {
  override readonly name = 'InvalidInputError';
  constructor(readonly field: string, message: string) {
    super(message, { code: 'invalid_input', retryable: false, details: { field } });
  }
}

/** The DID (string or hash) is not one of the deployment's `dids`. */
export class UnknownDidError extends SdkError {
  override readonly name = 'UnknownDidError';
  constructor(readonly did: string) {
    super(`unknown DID ${did}: not in the deployment`, { code: 'unknown_did', retryable: false, details: { did } });
  }
}

/** The chain is not in the deployment, or the reader was given no client for it. */
export class UnknownChainError extends SdkError {
  override readonly name = 'UnknownChainError';
  constructor(readonly chainId: number, why: 'not in the deployment' | 'no client given') {
    super(`unknown chain ${chainId}: ${why}`, { code: 'unknown_chain', retryable: false, details: { chainId } });
  }
}

/** The chain's node did not answer (connection refused, timeout): worth trying again later. */
export class ChainUnreachableError extends SdkError {
  override readonly name = 'ChainUnreachableError';
  constructor(readonly chainId: number, cause: unknown) {
    super(`chain ${chainId} unreachable`, { code: 'chain_unreachable', retryable: true, details: { chainId }, cause });
  }
}

/** The client given for a chain answers with another chain id. */
export class ChainMismatchError extends SdkError {
  override readonly name = 'ChainMismatchError';
  constructor(readonly chainId: number, readonly actual: number) {
    super(`the client for chain ${chainId} is connected to chain ${actual}`, { code: 'chain_mismatch', retryable: false, details: { chainId, actual } });
  }
}

/** The DID is in the deployment but its config has not reached this chain's receiver yet (no token, no feed). */
export class DidNotConfiguredError extends SdkError {
  override readonly name = 'DidNotConfiguredError';
  constructor(readonly did: string, readonly chainId: number) {
    super(`DID ${did} is not configured on chain ${chainId} yet`, { code: 'did_not_configured', retryable: true, details: { did, chainId } });
  }
}

/** A chain answered, but not as the contracts should (a revert, an undecodable result). */
export class ReadFailedError extends SdkError {
  override readonly name = 'ReadFailedError';
  constructor(readonly chainId: number, what: string, cause: unknown) {
    super(`chain ${chainId}: reading ${what} failed`, { code: 'read_failed', retryable: false, details: { chainId, what }, cause });
  }
}
