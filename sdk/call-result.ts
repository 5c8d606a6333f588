/** One entry of a viem multicall made with `allowFailure: true`. */
export type CallResult<T> = { status: 'success'; result: T; error?: undefined } | { status: 'failure'; error: Error; result?: undefined };

/** The entry's result, or its error thrown with the call named (the reader's onChain turns it into ReadFailedError). */
export function ok<T>(r: CallResult<T>, what: string): T {
  if (r.status === 'success') return r.result;
  throw new Error(`${what} failed`, { cause: r.error });
}
