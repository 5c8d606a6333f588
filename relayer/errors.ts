import { BaseError, ContractFunctionRevertedError, HttpRequestError, InsufficientFundsError, TimeoutError, WaitForTransactionReceiptTimeoutError } from 'viem';
import { FeeCapReachedError } from './transports/send.js';
import { CcipExecutionFailedError } from './transports/ccip/executor.js';
import { receiverRevertName, type RevertName } from './reverts.js';
import { RwaError } from '../common/errors.js';
import { CURSED_REASON } from './curse.js';

/**
 * What the relayer learned from a failure: one kind, so that contradictory states ("already applied" and
 * "retryable", "chain blocked" and "DID waits") cannot be written down. `decideFailure` (retry.ts) turns it into the
 * worker's next step.
 * - `applied`: the chain already holds this message (its nonce, VAA or transport arrival is consumed): the job is
 *   done, not failed, once the chain says which message did it.
 * - `blocked-chain`: the whole chain cannot take deliveries now (RPC down, the gas wallet empty, fees above the cap,
 *   the receiver cursed by its guardians): not the message's fault, so it never counts an attempt nor dead-letters
 *   anything.
 * - `wait-stage`: the chain refuses a redemption fulfilment for now, for a reason that concerns this message alone and
 *   may last days (redemptions halted, the next instalment not yet due, acceptance not arrived yet): a fulfilment is
 *   parked out of the chain's order; any other job waits as its DID's.
 * - `wait-did`: the chain refuses it for now for a reason of this message's DID alone (cap exhausted, asset paused, not
 *   configured there yet): the DID waits, with backoff and no attempt limit, while other DIDs' deliveries go on.
 * - `ccip-execution-failed`: a CCIP execution ended FAILURE in the OffRamp: executed again, bounded, then parked.
 * - `retryable`: anything else that may pass on a later try; counts an attempt, dead-lettered after the last.
 * - `dead-letter`: a retry cannot help (an unknown revert, a message no lane carries).
 */
export type Failure =
  | { kind: 'applied'; reason: RevertName }
  | { kind: 'blocked-chain'; reason: string; cause: 'rpc' | 'gas-funds' | 'fee-cap' | 'cursed' }
  | { kind: 'wait-stage'; reason: string; revert: RevertName }
  | { kind: 'wait-did'; reason: string; revert: RevertName }
  | { kind: 'ccip-execution-failed'; reason: string }
  | { kind: 'retryable'; reason: string }
  | { kind: 'dead-letter'; reason: string };

export type FailureKind = Failure['kind'];

/** Whether a later try of the same message can succeed (everything but `applied` and `dead-letter`). */
export const isRetryable = (f: Failure): boolean => f.kind !== 'applied' && f.kind !== 'dead-letter';

/** The chain already holds this message: reverts whose meaning is "done". */
export const APPLIED_REVERTS = [
  'NonceAlreadyUsed',
  // The Wormhole adapter consumes a VAA in the same transaction that applies its attestation.
  'VaaAlreadyConsumed',
  // Under a transport quorum: this transport's arrival is already recorded (the attestation may await the others).
  'TransportAlreadyDelivered',
] as const satisfies readonly RevertName[];

/** Reverts that say "not now" about a redemption fulfilment alone (stage C, instalment not due, acceptance late). */
export const STAGE_REVERTS = ['RedemptionsHalted', 'FulfilmentExceedsAllowance', 'RequestNotAccepted'] as const satisfies readonly RevertName[];

/**
 * Receiver errors that can clear by themselves, each about one DID: its config may not have reached a fresh chain
 * yet, a paused asset may resume, a reserve attestation may raise the cap, an allow-list change may arrive, a signer
 * set past its end is revived by the config governance signs (issue 24: refused until the rotation lands, then applied).
 * Brakes (kind 14) the chain holds that the oracle no longer attests: the committee signs a settlement for the amount
 * line it attested, so while a newer line has not landed on the chain (or an older one applied after it) the chain
 * asks another count (`LargeAmountNeedsThreshold`); and an amount above the chain's bucket capacity
 * (`AmountAboveCapacity`) waits for the issuer to raise it. Both apply once the brakes the oracle attested land.
 */
export const DID_WAIT_REVERTS = [
  'UnknownDid',
  'ERC20InsufficientBalance',
  'AssetPaused',
  'SupplyCapExceeded',
  'NotAllowListed',
  'SignerSetExpired',
  'LargeAmountNeedsThreshold',
  'AmountAboveCapacity',
] as const satisfies readonly RevertName[];

const isOneOf = <T extends string>(list: readonly T[], name: string | undefined): name is T => name !== undefined && (list as readonly string[]).includes(name);

const short = (message: string): string => message.slice(0, 300);

/** The receiver's guardians cursed the chain (RwaReceiverCurse): every delivery to it is held until the uncurse. */
export const CURSED_REVERT = 'ChainCursed' as const satisfies RevertName;

export function classifyRevert(errorName: string | undefined): Failure {
  if (errorName === CURSED_REVERT) return { kind: 'blocked-chain', reason: CURSED_REASON, cause: 'cursed' };
  if (isOneOf(APPLIED_REVERTS, errorName)) return { kind: 'applied', reason: errorName };
  if (isOneOf(STAGE_REVERTS, errorName)) return { kind: 'wait-stage', reason: `reverted: ${errorName}`, revert: errorName };
  if (isOneOf(DID_WAIT_REVERTS, errorName)) return { kind: 'wait-did', reason: `reverted: ${errorName}`, revert: errorName };
  return { kind: 'dead-letter', reason: `reverted: ${errorName ?? 'unknown reason'}` };
}

export function classifyError(err: unknown): Failure {
  if (err instanceof FeeCapReachedError) return { kind: 'blocked-chain', reason: short(`fee cap: ${err.message}`), cause: 'fee-cap' };
  if (err instanceof CcipExecutionFailedError) {
    // A delivery that raced the curse fails inside the OffRamp, not as ChainCursed: held like one (no execution
    // counted), and executed again from its source send once the chain is uncursed (issue 24 review).
    if (err.receiverRevert !== undefined && receiverRevertName(err.receiverRevert) === CURSED_REVERT) return { kind: 'blocked-chain', reason: CURSED_REASON, cause: 'cursed' };
    return { kind: 'ccip-execution-failed', reason: short(err.message) };
  }
  if (err instanceof BaseError) {
    // Before the revert walk: a node may report an empty wallet while estimating, as an execution error.
    if (err.walk((e) => e instanceof InsufficientFundsError) instanceof InsufficientFundsError) {
      return { kind: 'blocked-chain', reason: 'gas wallet: insufficient funds', cause: 'gas-funds' };
    }
    const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) return classifyRevert(revert.data?.errorName);
    const transient = err.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof WaitForTransactionReceiptTimeoutError);
    if (transient) return { kind: 'blocked-chain', reason: `rpc: ${err.shortMessage}`, cause: 'rpc' };
    return { kind: 'retryable', reason: err.shortMessage };
  }
  const message = err instanceof Error ? err.message : String(err);
  // Our own typed errors (e.g. CcipExecutorError, NoCcipLaneError) say whether a retry can help.
  if (err instanceof RwaError) {
    return { kind: err.retryable ? 'retryable' : 'dead-letter', reason: short(message) };
  }
  return { kind: 'retryable', reason: short(message) };
}
