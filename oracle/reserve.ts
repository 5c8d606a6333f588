/**
 * Splits an attested reserve into per-chain mint budgets (supply caps). Pure, table-tested.
 * Each chain keeps its current supply and gets an equal share of the headroom (reserve - total supply); the
 * remainder of the division goes to the first chain (the hub). The caps always sum to exactly the reserve, so
 * supply over all chains can never exceed it.
 * A chain whose budget runs out needs a new reserve attestation to rebalance (the oracle lowers before it raises:
 * caps only grow on a chain through a newer attestation that every chain verifies sums to at most the reserve).
 */
export type ReserveSplit = { ok: true; caps: { chainId: bigint; cap: bigint }[] } | { ok: false; message: string };

export function splitReserve(reserve: bigint, supplies: readonly { chainId: bigint; supply: bigint }[]): ReserveSplit {
  if (supplies.length === 0) return { ok: false, message: 'the DID is enabled on no known chain' };
  if (supplies.length > 255) return { ok: false, message: 'at most 255 chains per reserve attestation' };
  const total = supplies.reduce((a, s) => a + s.supply, 0n);
  if (reserve < total) return { ok: false, message: `reserve ${reserve} does not cover the supply ${total} over all chains` };
  const headroom = reserve - total;
  const share = headroom / BigInt(supplies.length);
  const remainder = headroom - share * BigInt(supplies.length);
  const caps = supplies.map((s, i) => ({ chainId: s.chainId, cap: s.supply + share + (i === 0 ? remainder : 0n) }));
  if (caps.some((c) => c.cap >= 1n << 128n)) return { ok: false, message: 'a chain cap exceeds 2^128 - 1' };
  return { ok: true, caps };
}
