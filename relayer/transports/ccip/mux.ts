import type { Hex } from 'viem';
import type { Job } from '../../store/outbox.js';
import type { ReceiptState, Replacement, Submitted, Transport } from '../transport.js';
import { originOf } from '../../lanes.js';
import { RwaError } from '../../../common/errors.js';
import { BatchError } from '../batch.js';

/** No CCIP lane from the job's origin to its destination: configuration, not something a retry fixes. */
export class NoCcipLaneError extends RwaError<'no_ccip_lane'> {
  override readonly name = 'NoCcipLaneError';
  constructor(message: string) {
    super(message, { code: 'no_ccip_lane', retryable: false });
  }
}

/**
 * CCIP to one destination over several lanes: hub -> destination for what the hub fans out, spoke -> hub for what
 * starts on a spoke (a redemption request). Each job goes over the lane from its origin; all lanes end at the same
 * RwaReceiver, so "applied" reads the same on every one.
 */
export class CcipLanes implements Transport {
  readonly name = 'ccip' as const;

  constructor(
    private readonly destinationChainId: number,
    private readonly hubChainId: number,
    /** Lane transport by source chain id. */
    private readonly bySource: ReadonlyMap<number, Transport>,
  ) {
    if (bySource.size === 0) throw new NoCcipLaneError(`no CCIP lane to chain ${destinationChainId}`);
  }

  private lane(job: Job): Transport {
    const from = originOf(job.kind, job.message, this.hubChainId);
    const t = this.bySource.get(from);
    if (!t) throw new NoCcipLaneError(`no CCIP lane from chain ${from} to chain ${this.destinationChainId} for this ${job.kind}`);
    return t;
  }

  async isApplied(job: Job): Promise<boolean> {
    return this.lane(job).isApplied(job);
  }

  async simulate(job: Job): Promise<void> {
    return this.lane(job).simulate(job);
  }

  async submit(job: Job, replace?: Replacement): Promise<Submitted> {
    return this.lane(job).submit(job, replace);
  }

  /** The one lane every job of a batch travels over (a batch is one CCIP message, so it has one origin). */
  private batchLane(jobs: readonly Job[]): Transport & Required<Pick<Transport, 'submitBatch' | 'simulateBatch'>> {
    const [first] = jobs;
    if (!first) throw new BatchError('a batch needs at least one job');
    const lane = this.lane(first);
    for (const j of jobs) {
      if (this.lane(j) !== lane) throw new BatchError(`job ${j.id} travels over another CCIP lane than job ${first.id}`, { jobId: j.id });
    }
    if (!lane.submitBatch || !lane.simulateBatch) throw new BatchError(`the CCIP lane of job ${first.id} cannot send batches`);
    return lane as Transport & Required<Pick<Transport, 'submitBatch' | 'simulateBatch'>>;
  }

  async simulateBatch(jobs: readonly Job[]): Promise<void> {
    return this.batchLane(jobs).simulateBatch(jobs);
  }

  async submitBatch(jobs: readonly Job[], replace?: Replacement): Promise<Submitted> {
    return this.batchLane(jobs).submitBatch(jobs, replace);
  }

  async waitForReceipt(txHash: Hex, job: Job): Promise<ReceiptState> {
    return this.lane(job).waitForReceipt(txHash, job);
  }
}
