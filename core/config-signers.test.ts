import { describe, expect, it } from 'vitest';
import { configSignerSet } from './config-signers.js';

describe('configSignerSet', () => {
  const governance = { name: 'governance' };
  const previous = { name: 'did set', signersValidUntil: 1_000 };
  it.each([
    ['first config', undefined, 10n, governance],
    ['live set', previous, 999n, previous],
    ['at its end (still verifies)', previous, 1_000n, previous],
    ['one second past its end', previous, 1_001n, governance],
    ['long past its end', previous, 9_999_999n, governance],
  ])('%s', (_what, prev, now, expected) => {
    expect(configSignerSet(prev, governance, now)).toBe(expected);
  });
});
