import { getAddress, type Address, type Hex } from 'viem';

// What the chains must show after a load run, as pure checks: each returns the problems it finds (empty: it holds),
// so a failing e2e names every settlement or NAV round that went wrong, not only the first.

/** A settlement the oracle accepted (201) for one chain: its attestation nonce and what it carries. */
export interface PostedSettlement {
  nonce: bigint;
  /** keccak256 of the custodian's reference, as SettlementApplied carries it. */
  ref: Hex;
  investor: Address;
  amount: bigint;
}

/** One SettlementApplied event of the DID on the chain. */
export type AppliedSettlement = PostedSettlement;

/** A NAV update the oracle accepted, in the order it was posted (its asOf moves forward). */
export interface PostedNav {
  nonce: bigint;
  nav: bigint;
  asOf: bigint;
}

/** One NavUpdated event of the DID's NAV feed on the chain. */
export interface NavRound {
  roundId: bigint;
  nav: bigint;
  asOf: bigint;
}

const show = (s: PostedSettlement) => `nonce ${s.nonce} (ref ${s.ref}, ${s.investor}, ${s.amount})`;

/**
 * Exactly once on one chain: every posted settlement applied once with what it carries, none applied twice, nothing
 * applied that was not posted for this chain.
 */
export function settlementProblems(chain: string, posted: readonly PostedSettlement[], applied: readonly AppliedSettlement[]): string[] {
  const problems: string[] = [];
  const wanted = new Map(posted.map((s) => [s.nonce, s]));
  const seen = new Map<bigint, number>();
  for (const a of applied) {
    const times = (seen.get(a.nonce) ?? 0) + 1;
    seen.set(a.nonce, times);
    if (times === 2) problems.push(`${chain}: ${show(a)} applied more than once`);
    const w = wanted.get(a.nonce);
    if (!w) problems.push(`${chain}: ${show(a)} applied but not posted for this chain`);
    else if (w.ref !== a.ref || getAddress(w.investor) !== getAddress(a.investor) || w.amount !== a.amount) problems.push(`${chain}: ${show(a)} applied, posted as ${show(w)}`);
  }
  for (const s of posted) if (!seen.has(s.nonce)) problems.push(`${chain}: ${show(s)} not applied`);
  return problems;
}

/** Each investor's balance on the chain equals the sum of the settlements posted for it there. */
export function holdingsProblems(chain: string, posted: readonly PostedSettlement[], balances: ReadonlyMap<Address, bigint>): string[] {
  const want = new Map<Address, bigint>();
  for (const s of posted) want.set(getAddress(s.investor), (want.get(getAddress(s.investor)) ?? 0n) + s.amount);
  const have = new Map([...balances].map(([a, b]) => [getAddress(a), b]));
  const investors = new Set([...want.keys(), ...have.keys()]);
  return [...investors].flatMap((i) => ((want.get(i) ?? 0n) === (have.get(i) ?? 0n) ? [] : [`${chain}: ${i} holds ${have.get(i) ?? 0n}, its settlements sum to ${want.get(i) ?? 0n}`]));
}

/**
 * NAV rounds in order on one chain: the feed's rounds (NavUpdated, in log order) count up by one and carry the posted
 * NAVs in the order they were posted, each once; the receiver applied their nonces (NavApplied, in log order) in
 * increasing order, exactly the posted ones.
 */
export function navOrderProblems(chain: string, posted: readonly PostedNav[], rounds: readonly NavRound[], appliedNonces: readonly bigint[]): string[] {
  const problems: string[] = [];
  rounds.forEach((r, i) => {
    const prev = rounds[i - 1];
    if (prev && r.roundId !== prev.roundId + 1n) problems.push(`${chain}: round ${r.roundId} follows round ${prev.roundId}`);
    const p = posted[i];
    if (!p) problems.push(`${chain}: round ${r.roundId} (nav ${r.nav}, asOf ${r.asOf}) beyond the ${posted.length} posted`);
    else if (p.nav !== r.nav || p.asOf !== r.asOf) problems.push(`${chain}: round ${r.roundId} is nav ${r.nav} asOf ${r.asOf}, NAV #${i + 1} posted was nav ${p.nav} asOf ${p.asOf}`);
  });
  if (rounds.length < posted.length) problems.push(`${chain}: ${rounds.length} NAV rounds, ${posted.length} posted`);
  appliedNonces.forEach((n, i) => {
    const prev = appliedNonces[i - 1];
    if (prev !== undefined && n <= prev) problems.push(`${chain}: NAV nonce ${n} applied after nonce ${prev}`);
  });
  const want = posted.map((p) => p.nonce);
  if (appliedNonces.length !== want.length || appliedNonces.some((n, i) => n !== want[i])) problems.push(`${chain}: NAV nonces applied [${appliedNonces.join(', ')}], posted [${want.join(', ')}]`);
  return problems;
}
