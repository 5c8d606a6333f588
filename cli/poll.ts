/**
 * Reads until `done` holds for what was read, waiting 100 ms, then twice as long each time up to 1 s. Past `timeoutMs`
 * it hands the last value to `onTimeout`, which throws. Returns the value that satisfied `done`.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, onTimeout: (last: T) => never): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  for (let delay = 100; !done(value); delay = Math.min(1000, delay * 2)) {
    if (Date.now() > deadline) onTimeout(value);
    await new Promise((r) => setTimeout(r, delay));
    value = await read();
  }
  return value;
}
