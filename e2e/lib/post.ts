import { postJson } from '../../clients/custodian.js';
import { waitFor } from '../../testkit/wait.js';

type Post = (url: string, body: unknown) => Promise<{ status: number; json: unknown }>;

/**
 * POSTs a signed request as a custodian does: a 503 (a chain the oracle must read is down) is retried with the same
 * body, with backoff, until `timeoutMs`; 201 (new) or 200 (the same request already accepted) is the answer; any
 * other status throws at once with the oracle's error.
 */
export async function postAccepted(url: string, body: unknown, timeoutMs: number, post: Post = postJson): Promise<{ status: 200 | 201; json: unknown }> {
  let last = '';
  const answer = await waitFor(
    async () => {
      const r = await post(url, body);
      if (r.status === 503) {
        last = JSON.stringify(r.json);
        return false;
      }
      return r;
    },
    { what: `POST ${url} accepted`, timeoutMs },
  ).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)} (last answer: 503 ${last})`, { cause: err });
  });
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`POST ${url} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  return { status: answer.status, json: answer.json };
}

/** A count that others can wait on reaching a value, without polling; `fail` rejects every wait. */
export class Counter {
  private n = 0;
  private failed: unknown;
  private waiters: { at: number; resolve: () => void; reject: (err: unknown) => void }[] = [];

  get value(): number {
    return this.n;
  }

  add(): void {
    this.n += 1;
    const due = this.waiters.filter((w) => w.at <= this.n);
    this.waiters = this.waiters.filter((w) => w.at > this.n);
    for (const w of due) w.resolve();
  }

  fail(err: unknown): void {
    this.failed = err;
    for (const w of this.waiters) w.reject(err);
    this.waiters = [];
  }

  reached(at: number): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    if (this.n >= at) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ at, resolve, reject }));
  }
}
