import { describe, expect, it } from 'vitest';
import { encodeErrorResult, HttpRequestError } from 'viem';
import { rwaHoldingsAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { CcipExecutionFailedError } from './transports/ccip/executor.js';
import { CURSED_REASON } from './curse.js';
import { APPLIED_REVERTS, classifyError, classifyRevert, DID_WAIT_REVERTS, isRetryable, STAGE_REVERTS, type FailureKind } from './errors.js';
import { revertNames, type RevertName } from './reverts.js';
import { FeeCapReachedError } from './transports/send.js';
import { RwaError } from '../common/errors.js';

describe('revert classification', () => {
  it.each([
    ['NonceAlreadyUsed', 'applied'],
    ['VaaAlreadyConsumed', 'applied'],
    ['TransportAlreadyDelivered', 'applied'],
    ['TransportNotInQuorum', 'dead-letter'],
    ['GuardianSetExpired', 'dead-letter'],
    ['EmitterNotAllowed', 'dead-letter'],
    ['UnknownDid', 'wait-did'],
    ['ERC20InsufficientBalance', 'wait-did'],
    ['AssetPaused', 'wait-did'],
    ['SupplyCapExceeded', 'wait-did'],
    ['NotAllowListed', 'wait-did'],
    ['SignerSetExpired', 'wait-did'],
    // Brakes the chain holds that the oracle no longer attests: wait until the attested ones land (issue 24 review).
    ['LargeAmountNeedsThreshold', 'wait-did'],
    ['AmountAboveCapacity', 'wait-did'],
    ['InvalidSignersValidUntil', 'dead-letter'],
    ['StaleAsOf', 'dead-letter'],
    ['RedemptionsHalted', 'wait-stage'],
    ['RequestNotAccepted', 'wait-stage'],
    ['FulfilmentExceedsAllowance', 'wait-stage'],
    ['RequestClosed', 'dead-letter'],
    ['UnknownRequest', 'dead-letter'],
    ['MoveAlreadySettled', 'dead-letter'],
    ['NavMoveTooLarge', 'dead-letter'],
    ['UnauthorizedSigner', 'dead-letter'],
    ['InvalidSignatureCount', 'dead-letter'],
    // The guardians cursed the chain: held like a chain-wide outage, never an attempt nor a dead letter.
    ['ChainCursed', 'blocked-chain'],
    ['AlreadyCursed', 'dead-letter'],
    [undefined, 'dead-letter'],
  ] as const satisfies readonly (readonly [RevertName | undefined, FailureKind])[])('revert %s -> %s', (name, kind) => {
    const c = classifyRevert(name);
    expect(c.kind).toBe(kind);
    expect(isRetryable(c)).toBe(kind !== 'applied' && kind !== 'dead-letter');
  });

  it('names in every table are custom errors the generated ABIs define', () => {
    const known = revertNames();
    // Guards the run-time check itself: the ABIs carry errors at all, and a made-up name is not among them.
    expect(known.size).toBeGreaterThan(20);
    expect(known.has('NoSuchErrorAnywhere')).toBe(false);
    for (const name of [...APPLIED_REVERTS, ...STAGE_REVERTS, ...DID_WAIT_REVERTS]) expect(known, name).toContain(name);
  });

  it('rejects a revert name the contracts do not define, at compile time', () => {
    // @ts-expect-error `tsc` fails here if the name ever becomes a real custom error, and below if the type widens.
    const made: RevertName = 'NoSuchErrorAnywhere';
    expect(revertNames().has(made)).toBe(false);
  });

  it('keeps the tables disjoint, so a name has one meaning', () => {
    const all = [...APPLIED_REVERTS, ...STAGE_REVERTS, ...DID_WAIT_REVERTS];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('error classification', () => {
  it('treats an RPC transport failure as a blocked chain', () => {
    const c = classifyError(new HttpRequestError({ url: 'http://127.0.0.1:1', details: 'ECONNREFUSED' }));
    expect(c).toMatchObject({ kind: 'blocked-chain', cause: 'rpc' });
    expect(c.reason).toMatch(/^rpc:/);
  });

  it('treats the fee cap as a blocked chain', () => {
    expect(classifyError(new FeeCapReachedError('max fee 100 gwei reached'))).toEqual({ kind: 'blocked-chain', cause: 'fee-cap', reason: 'fee cap: max fee 100 gwei reached' });
  });

  it('follows the retryable flag of our own typed errors', () => {
    const fatal = new RwaError('bad message', { code: 'bad', retryable: false });
    const transient = new RwaError('source send was reorged out', { code: 'reorged', retryable: true });
    expect(classifyError(fatal)).toEqual({ kind: 'dead-letter', reason: 'bad message' });
    expect(classifyError(transient)).toEqual({ kind: 'retryable', reason: 'source send was reorged out' });
  });

  it('holds a CCIP execution the receiver failed with ChainCursed as a cursed chain; any other failure is counted', () => {
    const cursed = encodeErrorResult({ abi: rwaReceiverAbi, errorName: 'ChainCursed' });
    const capped = encodeErrorResult({ abi: rwaHoldingsAbi, errorName: 'SupplyCapExceeded', args: [10n, 5n, 12n] });
    expect(classifyError(new CcipExecutionFailedError(`0x${'11'.repeat(32)}`, 'FAILURE', cursed))).toEqual({ kind: 'blocked-chain', reason: CURSED_REASON, cause: 'cursed' });
    expect(classifyError(new CcipExecutionFailedError(`0x${'11'.repeat(32)}`, 'FAILURE', capped)).kind).toBe('ccip-execution-failed');
    // A live lane's failure carries no receiver revert: counted, then parked (Chainlink's manual execution).
    expect(classifyError(new CcipExecutionFailedError(`0x${'11'.repeat(32)}`, 'FAILURE')).kind).toBe('ccip-execution-failed');
  });

  it('treats an unknown thrown value as retryable with its message', () => {
    expect(classifyError(new Error('boom'))).toEqual({ kind: 'retryable', reason: 'boom' });
  });
});
