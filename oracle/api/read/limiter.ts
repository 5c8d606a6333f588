import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by the read limiter for a trusted client (the operator's relayers): its reads see the feed fresh. */
    readTrusted: boolean;
    /** Set by a read route whose answer may be large: its size in bytes, charged to the reader's budgets. */
    readBytes: number;
  }
}

/** Token bucket parameters: `rate` tokens per second refilled, at most `burst` kept. */
export interface BucketRule {
  rate: number;
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Token buckets by key (one per client, or one for everyone): taking from an empty bucket says when to retry. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rule: BucketRule,
    /** Most keys tracked; past it, full buckets (clients idle for burst/rate seconds) are forgotten. */
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string, nowMs: number): TakeResult {
    const b = this.buckets.get(key) ?? { tokens: this.rule.burst, at: nowMs };
    b.tokens = Math.min(this.rule.burst, b.tokens + ((nowMs - b.at) / 1000) * this.rule.rate);
    b.at = nowMs;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxKeys) this.prune(nowMs);
      this.buckets.set(key, b);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    // Retry-After is whole seconds (RFC 9110 delay-seconds): the time until one token is back, rounded up.
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.rule.rate)) };
  }

  /**
   * Takes `tokens` more after the fact (a read's size is known once it is built): the bucket may go into debt, which
   * the client repays at the refill rate before its next read passes.
   */
  charge(key: string, tokens: number, nowMs: number): void {
    const b = this.buckets.get(key);
    if (!b || tokens <= 0) return;
    b.tokens = Math.min(this.rule.burst, b.tokens + ((nowMs - b.at) / 1000) * this.rule.rate) - tokens;
    b.at = nowMs;
  }

  private prune(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 1000) * this.rule.rate >= this.rule.burst) this.buckets.delete(key);
    }
  }
}

export interface ReadLimitConfig {
  /** Each client's budget of public reads. */
  perClient: BucketRule;
  /** All public reads together (trusted clients aside): what the readers may take from the process at most. */
  global: BucketRule;
  /** Client addresses never limited (the operator's own relayers and monitors). */
  trustedClients: readonly string[];
  /** Header carrying the client address when behind a proxy (first entry of a list); unset: the socket's address. */
  clientHeader: string | undefined;
  /** Bytes one read may answer for one token; a larger answer takes one more per started unit [READ_TOKEN_BYTES]. */
  tokenBytes?: number;
}

/**
 * 64 KiB per token: every read but a feed page fits in one (a DID document ~3 KB, /metrics ~25 KB), while a full page
 * of 500 (~500 KB) costs 8. What an answer costs the process (serialising it once aside) is writing it to the
 * socket, which grows with its size: counting requests alone let a reader of 500-item pages take ten times what a
 * reader of documents takes from the same budget.
 */
export const READ_TOKEN_BYTES = 64 * 1024;

/** The client a request counts against: the proxy's header when configured, else the TCP peer. */
export function clientOf(c: Context, header: string | undefined): string {
  if (header) {
    const forwarded = c.req.header(header)?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  // In-process calls (app.request in tests) have no socket.
  return env?.incoming?.socket?.remoteAddress ?? 'in-process';
}

/** Reads are GET/HEAD; /health stays unlimited so supervisors can always tell the process is alive. */
const isLimitedRead = (c: Context) => (c.req.method === 'GET' || c.req.method === 'HEAD') && c.req.path !== '/health';

/**
 * Limits public reads per client and in total; writes (the signed POST routes) never pass through a bucket. Over a
 * limit: 429 with Retry-After and the JSON error body.
 */
export function readLimiter(cfg: ReadLimitConfig, onLimited: (scope: 'client' | 'global') => void, now: () => number = Date.now): MiddlewareHandler {
  const perClient = new TokenBuckets(cfg.perClient);
  const global = new TokenBuckets(cfg.global, 1);
  const trusted = new Set(cfg.trustedClients);
  const tokenBytes = cfg.tokenBytes ?? READ_TOKEN_BYTES;
  return async (c, next) => {
    if (!isLimitedRead(c)) return next();
    const client = clientOf(c, cfg.clientHeader);
    if (trusted.has(client)) {
      c.set('readTrusted', true);
      return next();
    }
    const t = now();
    const mine = perClient.take(client, t);
    const verdict = mine.ok ? global.take('all', t) : mine;
    if (!verdict.ok) {
      const scope = mine.ok ? 'global' : 'client';
      onLimited(scope);
      const message = scope === 'client' ? 'too many reads from this client; retry after the Retry-After seconds' : 'the oracle is serving its read budget; retry after the Retry-After seconds';
      return c.json({ error: { code: 'rate_limited', message } }, 429, { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    await next();
    // One token was taken up front; an answer past tokenBytes takes one more per started unit from both budgets.
    const extra = Math.ceil((c.get('readBytes') ?? 0) / tokenBytes) - 1;
    if (extra > 0) {
      perClient.charge(client, extra, t);
      global.charge('all', extra, t);
    }
  };
}
