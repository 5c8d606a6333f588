import type { Logger } from 'pino';

/** How long a service's stop() may take before it gives up and exits non-zero (in-flight requests, loop passes). */
export const STOP_DEADLINE_MS = 10_000;

/**
 * A rejection nobody awaited or an exception nobody caught leaves the process in an unknown state: log it and exit
 * non-zero so the supervisor restarts a clean process (durable state makes a restart safe).
 */
export function exitOnUnhandled(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; exiting');
    process.exit(1);
  });
}

/** Runs `stop`; true when it finished within `ms`, false when the deadline came first (the stop keeps running). */
export async function finishesWithin(ms: number, stop: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([stop().then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * SIGINT/SIGTERM run `stop` once; the process exits 0 when it finished within STOP_DEADLINE_MS, else 1 with an
 * error log. A stop that throws is logged and exits 1.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>, deadlineMs = STOP_DEADLINE_MS): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    finishesWithin(deadlineMs, stop).then(
      (finished) => {
        if (finished) {
          logger.info('stopped');
          process.exit(0);
        }
        logger.error({ deadlineMs }, 'stop did not finish within its deadline; exiting anyway');
        process.exit(1);
      },
      (err: unknown) => {
        logger.error({ err }, 'stop failed; exiting');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  if (process.env.RWA_EXIT_WITH_PARENT === '1') watchParent(() => onSignal('parent exited'));
}

/**
 * Runs `gone` once the process that started this one has exited (this one is then re-parented, its ppid changes).
 * The local stack sets RWA_EXIT_WITH_PARENT for its services, so a killed `npm start`, bench or test run leaves no
 * service behind, still retrying against chains that are gone and taking the CPU of the next run.
 */
export function watchParent(gone: () => void, everyMs = 1_000, parentOf: () => number = () => process.ppid): NodeJS.Timeout {
  const parent = parentOf();
  const timer = setInterval(() => {
    if (parentOf() !== parent) {
      clearInterval(timer);
      gone();
    }
  }, everyMs);
  timer.unref();
  return timer;
}
