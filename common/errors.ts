/**
 * The one base error of every service (oracle, committee signer, relayer): a short message for people, a stable
 * `code` for programs, whether trying the same thing again can help, and the context (`details`) and `cause` that
 * explain it. No transport concern lives here: the HTTP edges map a code to a status, the relayer maps `retryable`
 * (and its own failure kinds) to retry or dead-letter.
 */
export interface RwaErrorOptions<C extends string> {
  code: C;
  /** A later try of the same operation may succeed (an outage, a chain state that may change); false: it never will. */
  retryable: boolean;
  /** Context for logs: ids, chain, field at fault. Never secrets. */
  details?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

export class RwaError<C extends string = string> extends Error {
  override readonly name: string = 'RwaError';
  readonly code: C;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: RwaErrorOptions<C>) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable;
    this.details = options.details ?? {};
  }
}
