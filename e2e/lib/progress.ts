// Progress of a long e2e run, for the log lines it prints while it waits, and the one deadline all its waits share.

/** Deliveries applied on one chain so far, of those expected there. */
export interface ChainProgress {
  name: string;
  applied: number;
  expected: number;
  /** The chain is taken down on purpose (an outage): its count is the last one read. */
  down?: boolean;
  /** Why the last read of the chain failed (its count is the last one read). */
  error?: string;
}

export interface Progress {
  elapsedMs: number;
  remainingMs: number;
  posted: number;
  toPost: number;
  chains: readonly ChainProgress[];
  /** What the run did to the stack so far, e.g. `relayer killed 2x`. */
  faults: readonly string[];
}

const pct = (a: number, b: number) => (b === 0 ? '100' : ((100 * a) / b).toFixed(1));

/** One line: elapsed and remaining time, applied over all chains with the rate so far, each chain, what is posted. */
export function progressLine(p: Progress): string {
  const applied = p.chains.reduce((t, c) => t + c.applied, 0);
  const expected = p.chains.reduce((t, c) => t + c.expected, 0);
  const rate = p.elapsedMs > 0 ? (applied / (p.elapsedMs / 1000)).toFixed(1) : '0.0';
  const chains = p.chains.map((c) => `${c.name} ${c.applied}/${c.expected}${c.down ? ' (down)' : ''}${c.error ? ` (unreadable: ${c.error})` : ''}`).join(' ');
  const faults = p.faults.length > 0 ? ` | ${p.faults.join(', ')}` : '';
  const left = Math.max(0, Math.round(p.remainingMs / 1000));
  return `${Math.round(p.elapsedMs / 1000)} s (${left} s left): applied ${applied}/${expected} (${pct(applied, expected)}%, ${rate}/s) | ${chains} | posted ${p.posted}/${p.toPost}${faults}`;
}

/** A deadline `budgetMs` after `startMs`: what every wait of the run may still take. */
export function deadline(startMs: number, budgetMs: number, now: () => number = Date.now): { remainingMs(): number; elapsedMs(): number } {
  return { remainingMs: () => Math.max(0, startMs + budgetMs - now()), elapsedMs: () => now() - startMs };
}

/** True at most once per `intervalMs` (the first call included): how often a polling wait prints its line. */
export function throttle(intervalMs: number, now: () => number = Date.now): () => boolean {
  let last: number | undefined;
  return () => {
    const t = now();
    if (last !== undefined && t - last < intervalMs) return false;
    last = t;
    return true;
  };
}
