import { describe, expect, it } from 'vitest';
import { RwaError } from './errors.js';

class LaneError extends RwaError<'no_lane'> {
  override readonly name = 'LaneError';
}

describe('RwaError', () => {
  it('carries code, retryable, details and cause, and stays an Error', () => {
    const cause = new Error('socket hang up');
    const err = new LaneError('no lane from 3 to 1', { code: 'no_lane', retryable: false, details: { from: 3, to: 1 }, cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(RwaError);
    expect(err).toMatchObject({ name: 'LaneError', message: 'no lane from 3 to 1', code: 'no_lane', retryable: false, details: { from: 3, to: 1 } });
    expect(err.cause).toBe(cause);
  });

  it('has empty details and no cause when none are given', () => {
    const err = new RwaError('try later', { code: 'busy', retryable: true });
    expect(err.details).toEqual({});
    expect('cause' in err).toBe(false);
  });
});
