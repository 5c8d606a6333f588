import { Wakeup } from './wakeup.js';

export interface PeriodicOptions {
  /** Pause after a pass that succeeded (ms). */
  everyMs: number;
  /** Pause after the n-th failed pass in a row (n >= 1), in ms. */
  backoffMs: (failures: number) => number;
  /** Told of each failed pass, with the pause before the next one. */
  onError: (err: unknown, retryInMs: number) => void;
}

/** Capped exponential backoff: 500 ms, 1 s, 2 s ... up to 30 s (the services' background loops). */
export const loopBackoffMs = (failures: number): number => Math.min(30_000, 250 * 2 ** Math.min(failures, 7));

/**
 * A background loop: runs `pass`, waits `everyMs` (or the backoff after a failure), again, until stopped. `wakeup`
 * ends a wait early (new work arrived); `stop()` ends the wait and resolves once the pass in progress has finished.
 */
export class Periodic {
  readonly wakeup = new Wakeup();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly opts: PeriodicOptions,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let pauseMs = this.opts.everyMs;
      try {
        await this.pass();
        failures = 0;
      } catch (err) {
        failures += 1;
        pauseMs = this.opts.backoffMs(failures);
        this.opts.onError(err, pauseMs);
      }
      if (this.running) await this.wakeup.wait(pauseMs);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeup.notify();
    await this.loop;
  }
}

/** Starts a Periodic loop. */
export function runPeriodic(pass: () => Promise<unknown>, opts: PeriodicOptions): Periodic {
  return new Periodic(pass, opts);
}
