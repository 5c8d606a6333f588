/**
 * Splits an attested reserve into per-chain mint budgets (supply caps). Pure, table-tested.
 *
 * Each chain's ceiling is the most its supply can reach before it applies the new attestation: the higher of its
 * supply and its cap in force (a mint signed under the old cap may still land). Receivers apply a cap that raises a
 * chain only when sum(max(cap, ceiling)) over every chain is within the reserve and that chain is not past its
 * ceiling, so supply over all chains never exceeds the reserve whatever order caps and mints land in.
 * - Covering split (reserve >= sum of ceilings): each chain keeps its ceiling (what it could reach already) plus an
 *   equal share of what the ceilings leave (reserve - sum of ceilings), the remainder to the first chain (the hub).
 *   No chain is lowered: lowering every chain to its supply would leave no chain any mint budget until the next
 *   reserve (every other report), and signed subscriptions not yet applied would revert SupplyCapExceeded.
 * - Lowering split (reserve below the ceilings, e.g. the reserve fell): no chain goes above its ceiling; each gets its
 *   supply plus an equal share of reserve - supply, capped at its ceiling.
 */
export interface ChainSupply {
  chainId: bigint;
  supply: bigint;
  /** The chain's cap in force (RwaHoldings.supplyCap). */
  capInForce: bigint;
}

export type ReserveCap = { chainId: bigint; cap: bigint; ceiling: bigint };
export type ReserveSplit = { ok: true; caps: ReserveCap[] } | { ok: false; message: string };

const sum = (xs: readonly bigint[]) => xs.reduce((a, x) => a + x, 0n);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

export function splitReserve(reserve: bigint, chains: readonly ChainSupply[]): ReserveSplit {
  if (chains.length === 0) return { ok: false, message: 'the DID is enabled on no known chain' };
  if (chains.length > 255) return { ok: false, message: 'at most 255 chains per reserve attestation' };
  const total = sum(chains.map((c) => c.supply));
  if (reserve < total) return { ok: false, message: `reserve ${reserve} does not cover the supply ${total} over all chains` };
  const n = BigInt(chains.length);
  const ceilings = chains.map((c) => max(c.supply, c.capInForce));
  const committed = sum(ceilings);
  let caps: ReserveCap[];
  if (reserve >= committed) {
    const share = (reserve - committed) / n;
    const remainder = reserve - committed - share * n;
    caps = chains.map((c, i) => ({ chainId: c.chainId, cap: ceilings[i]! + share + (i === 0 ? remainder : 0n), ceiling: ceilings[i]! }));
  } else {
    const share = (reserve - total) / n;
    caps = chains.map((c, i) => ({ chainId: c.chainId, cap: min(ceilings[i]!, c.supply + share), ceiling: ceilings[i]! }));
  }
  if (caps.some((c) => c.cap >= 1n << 128n || c.ceiling >= 1n << 128n)) return { ok: false, message: 'a chain cap exceeds 2^128 - 1' };
  return { ok: true, caps };
}
