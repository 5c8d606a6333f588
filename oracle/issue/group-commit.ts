import type { Address } from 'viem';
import type { KeyedMutex } from '../../common/mutex.js';
import type { BatchOutcome } from '../../core/committee-port.js';
import { QuorumUnavailableError } from '../../core/committee-port.js';
import { quorumRequestOf, runProposal, settleRound, type Completion, type IssueDeps } from './issue.js';
import type { NewProposal, ProposalRow } from '../store/proposals.js';
import type { AttestationRow } from '../store/attestations.js';

/** A request's answer: its attestation, new or (a repeat) the one stored before. */
export interface SubmitResult {
  created: boolean;
  attestation: AttestationRow;
}

type SignerSet = { signers: readonly Address[]; threshold: number };

/** What a queued request comes to at its turn, under the DID's lock, given the nonce the next new message gets. */
export type Plan =
  /** A repeat answered from the store (the request is already attested). */
  | { kind: 'answer'; result: SubmitResult }
  /** A new message at that nonce, stored with the batch before any signer is asked. */
  | { kind: 'propose'; proposal: NewProposal; signerSet: SignerSet }
  /** The request's own open round (a retry after a crash, a timeout, a partial quorum): completed as proposed. */
  | { kind: 'complete'; proposal: ProposalRow; signerSet: SignerSet };

export interface GroupJob {
  /** Kind and source reference: two jobs of one batch never share it (the later one waits for the next batch). */
  key: string;
  /**
   * Checks the request under the DID's lock and plans it. `earlier` are the batch's new proposals before it, not
   * stored yet: what they reserve (caps, holdings) counts for this one, exactly as if they had come first alone.
   * Throws the request's own refusal (OracleError), which fails this job only.
   */
  plan(nonce: number, earlier: readonly NewProposal[]): Promise<Plan>;
}

interface Queued {
  job: GroupJob;
  resolve: (r: SubmitResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit of one DID's signing rounds: requests that arrive while the DID's round is in flight are proposed
 * together in the next round, up to `maxBatch`: planned in arrival order (each with the next nonce), stored as
 * proposals in one transaction, then one committee call for the batch (CommitteePort.signBatch: one request to each
 * signer), and each request answered on its own (its attestation, or its own refusal or 503). A request that finds
 * no round in flight goes at once. Each round holds the DID's lock (the lock every other kind of the DID takes), so
 * nonces never collide; the rounds stored are ordinary proposals, which a retry or the sweep completes after a crash.
 */
export class GroupCommit {
  private readonly queues = new Map<string, Queued[]>();

  constructor(private readonly d: IssueDeps & { lock: KeyedMutex; maxBatch: number }) {}

  submit(didHash: string, job: GroupJob): Promise<SubmitResult> {
    return new Promise<SubmitResult>((resolve, reject) => {
      const queue = this.queues.get(didHash);
      if (queue) {
        queue.push({ job, resolve, reject });
        this.d.metrics.signQueued.inc();
        return;
      }
      this.queues.set(didHash, [{ job, resolve, reject }]);
      this.d.metrics.signQueued.inc();
      void this.drain(didHash);
    });
  }

  /** Runs rounds while the DID has queued requests; the queue exists exactly while this runs. */
  private async drain(didHash: string): Promise<void> {
    const queue = this.queues.get(didHash)!;
    while (queue.length > 0) {
      const taken = queue.splice(0, this.d.maxBatch);
      this.d.metrics.signQueued.dec(taken.length);
      try {
        await this.d.lock.run(didHash, () => this.round(didHash, taken, queue));
      } catch (err) {
        // A round that failed as a whole (the store, a crash hook): every request of it not answered yet gets the
        // error (settling an answered one again does nothing), except those put back for the next round.
        this.d.logger.error({ err, did: didHash, requests: taken.length }, 'signing round failed');
        for (const q of taken) if (!queue.includes(q)) q.reject(err);
      }
    }
    this.queues.delete(didHash);
  }

  private async round(didHash: string, taken: Queued[], queue: Queued[]): Promise<void> {
    const planned: { q: Queued; plan: Extract<Plan, { kind: 'propose' | 'complete' }> }[] = [];
    const deferred: Queued[] = [];
    const keys = new Set<string>();
    const fresh: NewProposal[] = [];
    let nonce = this.d.store.nextNonce(didHash);
    for (const q of taken) {
      if (keys.has(q.job.key)) {
        deferred.push(q);
        continue;
      }
      keys.add(q.job.key);
      try {
        const plan = await q.job.plan(nonce, fresh);
        if (plan.kind === 'answer') {
          q.resolve(plan.result);
          continue;
        }
        if (plan.kind === 'propose') {
          if (plan.proposal.nonce !== nonce) throw new Error(`planned nonce ${plan.proposal.nonce}, expected ${nonce}`);
          fresh.push(plan.proposal);
          nonce += 1;
        }
        planned.push({ q, plan });
      } catch (err) {
        q.reject(err);
      }
    }
    // The same request twice in one batch: the later one is answered by the earlier one's outcome, next round.
    queue.unshift(...deferred);
    this.d.metrics.signQueued.inc(deferred.length);
    if (planned.length === 0) return;

    const stored = this.d.store.proposals.insertMany(fresh);
    this.d.metrics.proposalsOpen.set(this.d.store.proposals.countOpen());
    let next = 0;
    const rounds = planned.map(({ q, plan }) => ({ q, signerSet: plan.signerSet, proposal: plan.kind === 'propose' ? stored[next++]! : plan.proposal }));
    this.d.metrics.signBatchSize.observe(rounds.length);
    const reqs = rounds.map((r) => quorumRequestOf(r.proposal, r.signerSet));
    const outcomes = this.d.committee.signBatch ? await this.d.committee.signBatch(reqs) : await Promise.all(reqs.map((req) => signOne(this.d, req)));

    // Every outcome stored in one transaction (one commit for the round), then each request answered on its own.
    const settled = this.d.store.inOneTransaction(() =>
      rounds.map((r, i): { ok: true; completion: Completion } | { ok: false; err: unknown } => {
        try {
          return { ok: true, completion: settleRound(this.d, r.proposal, outcomes[i]!) };
        } catch (err) {
          return { ok: false, err };
        }
      }),
    );
    for (const [i, r] of rounds.entries()) {
      const s = settled[i]!;
      if (!s.ok) {
        r.q.reject(s.err);
        continue;
      }
      try {
        // A quorum, or a failure: runProposal maps it (another message at this nonce: proposed again at the next).
        r.q.resolve({ created: true, attestation: await runProposal(this.d, r.proposal, r.signerSet, s.completion) });
      } catch (err) {
        r.q.reject(err);
      }
    }
  }
}

async function signOne(d: IssueDeps, req: Parameters<IssueDeps['committee']['sign']>[0]): Promise<BatchOutcome> {
  try {
    return { ok: true, packed: await d.committee.sign(req) };
  } catch (err) {
    if (err instanceof QuorumUnavailableError) return { ok: false, error: err };
    throw err;
  }
}

