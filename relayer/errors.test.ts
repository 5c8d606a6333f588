import { describe, expect, it } from 'vitest';
import { classifyRevert, classifyError } from './errors.js';
import { HttpRequestError } from 'viem';

describe('error classification', () => {
  it.each([
    ['NonceAlreadyUsed', false, true],
    ['VaaAlreadyConsumed', false, true],
    ['TransportAlreadyDelivered', false, true],
    ['TransportNotInQuorum', false, false],
    ['GuardianSetExpired', false, false],
    ['EmitterNotAllowed', false, false],
    ['UnknownDid', true, false],
    ['ERC20InsufficientBalance', true, false],
    ['StaleAsOf', false, false],
    ['RedemptionsHalted', true, false],
    ['RequestNotAccepted', true, false],
    ['FulfilmentExceedsAllowance', true, false],
    ['RequestClosed', false, false],
    ['UnknownRequest', false, false],
    ['NavMoveTooLarge', false, false],
    ['UnauthorizedSigner', false, false],
    ['InvalidSignatureCount', false, false],
    [undefined, false, false],
  ] as const)('revert %s -> retryable %s, applied %s', (name, retryable, applied) => {
    const c = classifyRevert(name);
    expect(c.retryable).toBe(retryable);
    expect(c.alreadyApplied).toBe(applied);
  });

  it('treats an RPC transport failure as retryable', () => {
    const c = classifyError(new HttpRequestError({ url: 'http://127.0.0.1:1', details: 'ECONNREFUSED' }));
    expect(c.retryable).toBe(true);
    expect(c.reason).toMatch(/^rpc:/);
    expect(c.chainUnreachable).toBe(true);
  });

  it('follows the retryable flag of our own typed errors', () => {
    const fatal = Object.assign(new Error('bad message'), { retryable: false });
    const transient = Object.assign(new Error('source send was reorged out'), { retryable: true });
    expect(classifyError(fatal)).toEqual({ reason: 'bad message', retryable: false, alreadyApplied: false });
    expect(classifyError(transient).retryable).toBe(true);
  });

  it('treats an unknown thrown value as retryable with its message', () => {
    expect(classifyError(new Error('boom'))).toEqual({ reason: 'boom', retryable: true, alreadyApplied: false });
  });
});
