export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/**
 * Polls `predicate` until it returns a truthy value or the deadline passes. Polling backs off from 25 ms to
 * 500 ms. This is how tests and tools wait for something: on the condition, with a deadline, never a fixed sleep.
 */
export async function waitFor<T>(predicate: () => Promise<T | undefined | false>, opts: { what: string; timeoutMs?: number }): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let delay = 25;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new WaitTimeoutError(`timed out waiting for ${opts.what}${lastError ? `: ${lastError instanceof Error ? lastError.message : String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(500, delay * 2);
  }
}
