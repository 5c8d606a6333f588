import type { ChainBlock, WorkerDeps } from './worker-deps.js';
import { CURSED_REASON } from './curse.js';

type Deps = Pick<WorkerDeps, 'chainId' | 'curse' | 'metrics' | 'logger' | 'outbox' | 'now' | 'idleMs'>;

/**
 * What the receiver's curse flag (cached) means for a chain's block now: `hold` with the block to keep (a curse,
 * probed again after a few idle periods; no job is touched, so none burns an attempt), `lift` when the block was the
 * curse's and the flag reads open, undefined when nothing changes. Sets relayer_chain_cursed and relayer_held_jobs.
 */
export async function curseStep(d: Deps, block: ChainBlock | undefined): Promise<{ hold: ChainBlock } | 'lift' | undefined> {
  const flag = await d.curse?.cursed();
  if (flag === false && block?.reason === CURSED_REASON) return 'lift';
  if (flag !== true) return undefined;
  const now = d.now();
  const held = d.outbox.depth(d.chainId);
  const already = block?.reason === CURSED_REASON;
  if (!already) d.logger.error({ held }, 'chain cursed by its guardians: holding every delivery to it');
  markCursed(d, held);
  return { hold: { reason: CURSED_REASON, since: already ? block.since : now, until: now + d.idleMs * 4 } };
}

/** The chain is (still) cursed with `held` jobs waiting; a delivery that reverted ChainCursed (cursed since the flag was
 * last read) also drops the cached flag, so the next pass reads it afresh. */
export function markCursed(d: Deps, held: number, reverted = false): void {
  const chain = { chain: String(d.chainId) };
  if (reverted) d.curse?.invalidate();
  d.metrics.chainBlocked.set(chain, 1);
  d.metrics.chainCursed.set(chain, 1);
  d.metrics.heldJobs.set(chain, held);
}

/** The chain takes deliveries again (any block lifted, a curse's or another's). */
export function markOpen(d: Pick<Deps, 'chainId' | 'metrics'>): void {
  const chain = { chain: String(d.chainId) };
  d.metrics.chainBlocked.set(chain, 0);
  d.metrics.chainCursed.set(chain, 0);
  d.metrics.heldJobs.set(chain, 0);
}
