import { BaseError, ContractFunctionRevertedError, HttpRequestError, InsufficientFundsError, TimeoutError, WaitForTransactionReceiptTimeoutError } from 'viem';
import { FeeCapReachedError } from './transports/send.js';
import { CcipExecutionFailedError } from './transports/ccip/executor.js';

/** What the relayer learned from a failure: a short reason and whether trying again can help. */
export interface Classified {
  reason: string;
  retryable: boolean;
  /** The chain says this message was already applied: the job is done, not failed. */
  alreadyApplied: boolean;
  /** The chain could not be reached: not the message's fault, so it never counts toward dead-lettering. */
  chainUnreachable?: boolean;
  /**
   * The chain refuses it for now, for a reason that concerns this message alone and may last days (redemptions
   * halted in stage C, the next instalment not yet due): a redemption fulfilment is then parked out of the chain's
   * order and tried again later, without a limit, instead of holding every later attestation to that chain.
   */
  waitsOnChainState?: boolean;
  /**
   * The chain refuses it for now for a reason of this message's DID alone (its cap exhausted, the asset paused, not
   * yet configured there): the DID waits, with backoff and no attempt limit, while other DIDs' deliveries go on.
   */
  didWaits?: boolean;
  /**
   * The whole chain cannot take deliveries now (RPC down, the relayer's gas wallet empty, fees above the cap): a
   * "blocked" chain state, not the message's fault, so it never counts an attempt nor dead-letters anything.
   */
  chainBlocked?: boolean;
  /** A CCIP execution ended FAILURE in the OffRamp: the message stays executable and is executed again, bounded. */
  executionFailed?: boolean;
}

/** Reverts that say "not now" about a redemption fulfilment alone (see Classified.waitsOnChainState). */
const WAITS_ON_CHAIN_STATE = new Set(['RedemptionsHalted', 'FulfilmentExceedsAllowance', 'RequestNotAccepted']);

/**
 * Receiver errors that can clear by themselves, each about one DID: its config may not have reached a fresh chain
 * yet, a paused asset may resume, a reserve attestation may raise the cap, an allow-list change may arrive, a
 * redemption stage may drop or an instalment fall due. The DID waits (see Classified.didWaits).
 */
const RETRYABLE_REVERTS = new Set([
  'UnknownDid',
  'ERC20InsufficientBalance',
  'AssetPaused',
  'SupplyCapExceeded',
  'NotAllowListed',
  // Redemptions: a fulfilment the chain's stage does not allow yet (stage C, or the next instalment not yet due).
  'RedemptionsHalted',
  'FulfilmentExceedsAllowance',
  // A fulfilment that overtook its request's acceptance (kind 13) on the way to the chain.
  'RequestNotAccepted',
]);

export function classifyRevert(errorName: string | undefined): Classified {
  if (errorName === 'NonceAlreadyUsed') return { reason: 'NonceAlreadyUsed', retryable: false, alreadyApplied: true };
  // The Wormhole adapter consumes a VAA in the same transaction that applies its attestation.
  if (errorName === 'VaaAlreadyConsumed') return { reason: 'VaaAlreadyConsumed', retryable: false, alreadyApplied: true };
  // Under a transport quorum: this transport's arrival is already recorded (the attestation may await the others).
  if (errorName === 'TransportAlreadyDelivered') return { reason: 'TransportAlreadyDelivered', retryable: false, alreadyApplied: true };
  if (errorName && RETRYABLE_REVERTS.has(errorName)) {
    return { reason: `reverted: ${errorName}`, retryable: true, alreadyApplied: false, didWaits: true, ...(WAITS_ON_CHAIN_STATE.has(errorName) ? { waitsOnChainState: true } : {}) };
  }
  return { reason: `reverted: ${errorName ?? 'unknown reason'}`, retryable: false, alreadyApplied: false };
}

export function classifyError(err: unknown): Classified {
  if (err instanceof FeeCapReachedError) return { reason: `fee cap: ${err.message}`.slice(0, 300), retryable: true, alreadyApplied: false, chainBlocked: true };
  if (err instanceof CcipExecutionFailedError) return { reason: err.message.slice(0, 300), retryable: true, alreadyApplied: false, executionFailed: true };
  if (err instanceof BaseError) {
    // Before the revert walk: a node may report an empty wallet while estimating, as an execution error.
    if (err.walk((e) => e instanceof InsufficientFundsError) instanceof InsufficientFundsError) {
      return { reason: 'gas wallet: insufficient funds', retryable: true, alreadyApplied: false, chainBlocked: true };
    }
    const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) return classifyRevert(revert.data?.errorName);
    const transient = err.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof WaitForTransactionReceiptTimeoutError);
    if (transient) return { reason: `rpc: ${err.shortMessage}`, retryable: true, alreadyApplied: false, chainUnreachable: true, chainBlocked: true };
    return { reason: err.shortMessage, retryable: true, alreadyApplied: false };
  }
  const message = err instanceof Error ? err.message : String(err);
  // Our own typed errors (e.g. CcipExecutorError) say whether a retry can help.
  if (err instanceof Error && 'retryable' in err && typeof err.retryable === 'boolean') {
    return { reason: message.slice(0, 300), retryable: err.retryable, alreadyApplied: false };
  }
  return { reason: message.slice(0, 300), retryable: true, alreadyApplied: false };
}
