import type { Logger } from 'pino';
import type { Job } from './store/outbox.js';

/**
 * A chain worker's delivery tasks in flight: the jobs each works on (busy: never picked twice), and the turns to
 * send. A task that takes a turn sends after every earlier task that took one has sent (or ended without sending),
 * so jobs picked in one pass land on chain in oracle order while their reads and dry-runs run concurrently.
 */
export class DeliveryTasks {
  private readonly tasks = new Map<number, Promise<void>>();
  readonly busy = new Set<number>();
  private readonly turns = new Map<number, { wait: Promise<void>; release: () => void }>();
  private sendTail: Promise<void> = Promise.resolve();
  private nextId = 0;

  constructor(
    private readonly logger: Logger,
    /** Called when a task ended: the loop may start another. */
    private readonly onEnd: (failedUnexpectedly: boolean) => void,
  ) {}

  get size(): number {
    return this.tasks.size;
  }

  /** Starts `work` on `jobs`; with `ordered`, the task takes a turn to send. */
  launch(jobs: readonly Job[], work: () => Promise<void>, ordered: boolean): void {
    const id = this.nextId++;
    let release = () => {};
    if (ordered) {
      const wait = this.sendTail;
      const done = new Promise<void>((resolve) => (release = resolve));
      this.sendTail = wait.then(() => done);
      for (const j of jobs) this.turns.set(j.id, { wait, release });
    }
    for (const j of jobs) this.busy.add(j.id);
    let failed = false;
    const task = work()
      .catch((err: unknown) => {
        // The worker writes every failure to the outbox; reaching here is a bug: log it, count it, go on.
        failed = true;
        this.logger.error({ err, jobs: jobs.map((j) => j.id) }, 'delivery task failed unexpectedly');
      })
      .finally(() => {
        release();
        for (const j of jobs) {
          this.busy.delete(j.id);
          this.turns.delete(j.id);
        }
        this.tasks.delete(id);
        this.onEnd(failed);
      });
    this.tasks.set(id, task);
  }

  /** Waits for the job's task's turn to send; returns what ends the turn (a no-op for a task that takes none). */
  async turn(job: Job): Promise<() => void> {
    const t = this.turns.get(job.id);
    if (!t) return () => {};
    await t.wait;
    return t.release;
  }

  /** Waits until every task started so far is finished. */
  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks.values()]);
  }
}
