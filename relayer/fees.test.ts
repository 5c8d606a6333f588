import { describe, expect, it } from 'vitest';
import { escalateFees, type EscalationPolicy } from './fees.js';

const policy: EscalationPolicy = { bumpBps: 1250, maxFeePerGasCap: 1_000n };
const f = (maxFeePerGas: bigint, maxPriorityFeePerGas: bigint) => ({ maxFeePerGas, maxPriorityFeePerGas });

describe('fee escalation for a replacement', () => {
  it.each([
    ['bumps both fields by 12.5%', f(100n, 8n), f(50n, 1n), f(113n, 9n)],
    ['rounds the bump up, never under +12.5%', f(101n, 1n), f(1n, 1n), f(114n, 2n)],
    ['follows the network when it asks more', f(100n, 8n), f(300n, 20n), f(300n, 20n)],
    ['keeps maxFee at least the priority fee', f(10n, 10n), f(1n, 50n), f(50n, 50n)],
    ['reaches the cap exactly', f(888n, 1n), f(1n, 1n), f(999n, 2n)],
  ] as const)('%s', (_name, prev, network, expected) => {
    expect(escalateFees(prev, network, policy)).toEqual(expected);
  });

  it.each([
    ['past the cap by the bump', f(900n, 1n), f(1n, 1n)],
    ['past the cap by the network', f(10n, 1n), f(1_001n, 1n)],
  ] as const)('refuses to escalate %s', (_name, prev, network) => {
    expect(escalateFees(prev, network, policy)).toBeUndefined();
  });

  it('strictly increases both fields while under the cap', () => {
    let fees = f(1_000_000_000n, 100_000_000n);
    const wide = { bumpBps: 1250, maxFeePerGasCap: 10n ** 12n };
    for (let i = 0; i < 20; i++) {
      const next = escalateFees(fees, f(1n, 1n), wide);
      if (!next) break;
      expect(next.maxFeePerGas * 10_000n).toBeGreaterThanOrEqual(fees.maxFeePerGas * 11_250n);
      expect(next.maxPriorityFeePerGas * 10_000n).toBeGreaterThanOrEqual(fees.maxPriorityFeePerGas * 11_250n);
      fees = next;
    }
    expect(fees.maxFeePerGas).toBeLessThanOrEqual(wide.maxFeePerGasCap);
  });
});
