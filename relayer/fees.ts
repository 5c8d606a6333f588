/**
 * Gas price escalation for a stuck delivery, as a pure function (table-tested). A replacement must pay at least
 * `bumpBps` more on both EIP-1559 fields than the transaction it replaces (nodes refuse a replacement below +10%),
 * and at least what the network asks now. Escalation stops at the cap: past it the relayer keeps waiting instead.
 */
export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface EscalationPolicy {
  /** Bump per replacement, in basis points (1250 = +12.5%). */
  bumpBps: number;
  /** Never offer more than this maxFeePerGas (wei). */
  maxFeePerGasCap: bigint;
}

export const DEFAULT_ESCALATION: EscalationPolicy = { bumpBps: 1250, maxFeePerGasCap: 500_000_000_000n };

const bump = (v: bigint, bps: number) => (v * BigInt(10_000 + bps) + 9_999n) / 10_000n;
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** The fees of the next replacement, or undefined when the cap does not allow one. */
export function escalateFees(previous: Fees, network: Fees, policy: EscalationPolicy): Fees | undefined {
  const maxPriorityFeePerGas = max(bump(previous.maxPriorityFeePerGas, policy.bumpBps), network.maxPriorityFeePerGas);
  const maxFeePerGas = max(max(bump(previous.maxFeePerGas, policy.bumpBps), network.maxFeePerGas), maxPriorityFeePerGas);
  if (maxFeePerGas > policy.maxFeePerGasCap) return undefined;
  return { maxFeePerGas, maxPriorityFeePerGas };
}
