import type { KeyedMutex } from '../../common/mutex.js';
import { OracleError } from '../../core/errors.js';
import { runProposal, type IssueDeps } from './issue.js';
import type { ProposalRow } from '../store/proposals.js';

/** Pause before trying a stalled proposal again: 1 s, 2 s, 4 s ... up to 5 min, by failed attempts. */
export const proposalBackoffMs = (attempts: number): number => Math.min(300_000, 1000 * 2 ** Math.min(attempts, 9));

export interface SweepResult {
  completed: number;
  stillOpen: number;
  failed: number;
}

/**
 * Completes the signing rounds left open by a crash, a signer timeout or a partial quorum, oldest first, each under
 * its DID's lock (the lock the request paths hold). A round signers refuse for good is closed (runProposal); a
 * round that fails for another reason is logged, counted and retried on a later pass, and never stops the others.
 * At boot every open round is tried; later passes skip rounds still inside their backoff.
 */
export async function sweepProposals(d: IssueDeps & { lock: KeyedMutex }, opts: { now: number; ignoreBackoff?: boolean }): Promise<SweepResult> {
  const result: SweepResult = { completed: 0, stillOpen: 0, failed: 0 };
  for (const p of d.store.proposals.open()) {
    if (!opts.ignoreBackoff && p.attempts > 0 && Date.parse(p.updatedAt) + proposalBackoffMs(p.attempts) > opts.now) {
      result.stillOpen += 1;
      continue;
    }
    try {
      const done = await d.lock.run(p.didHash, async () => {
        const current = d.store.proposals.get(p.didHash, p.nonce);
        if (current?.state !== 'open') return false;
        await runProposal(d, current);
        return true;
      });
      if (done) result.completed += 1;
    } catch (err) {
      if (err instanceof OracleError && err.code === 'quorum_unavailable') {
        result.stillOpen += 1;
        continue;
      }
      result.failed += 1;
      d.metrics.proposals.inc({ outcome: 'sweep_failed', reason: err instanceof OracleError ? err.code : 'error' });
      d.logger.error({ err, did: p.did, nonce: p.nonce, kind: p.kind }, 'open proposal could not be completed');
    }
  }
  d.metrics.proposalsOpen.set(d.store.proposals.countOpen());
  return result;
}

