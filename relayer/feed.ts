import type { Logger } from 'pino';
import { attestationFeedSchema, type AttestationFeed } from '../schemas/http.js';
import { parserFor } from '../schemas/validate.js';
import type { Outbox, NewJob } from './store/outbox.js';
import type { RouteResolver } from './routes.js';
import { originOf } from './lanes.js';

const parseFeed = parserFor<AttestationFeed>(attestationFeedSchema);

export class FeedError extends Error {
  override readonly name = 'FeedError';
}

/**
 * Reads the oracle's attestation feed page by page and turns each attestation into one job per destination chain
 * this relayer serves. The page and the cursor are stored in one transaction: a crash replays at most one page,
 * and replayed jobs are ignored by the unique key.
 */
export class FeedReader {
  constructor(
    private readonly oracleUrl: string,
    private readonly outbox: Outbox,
    /** The transport that carries an attestation to a chain; undefined for a chain this relayer does not serve. */
    private readonly route: RouteResolver,
    private readonly hubChainId: number,
    private readonly logger: Logger,
  ) {}

  /** Pulls every available page; returns how many jobs were added. */
  async pull(now: () => number): Promise<number> {
    let added = 0;
    for (;;) {
      const after = this.outbox.cursor();
      const url = `${this.oracleUrl}/v1/attestations?after=${after}&limit=200`;
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new FeedError(`oracle feed answered ${res.status}`);
      const parsed = parseFeed(await res.json());
      if (!parsed.ok) throw new FeedError(`oracle feed page is malformed: ${parsed.issue.field} ${parsed.issue.message}`);
      const page = parsed.value;
      if (page.items.length === 0) return added;
      const newJobs: NewJob[] = [];
      for (const item of page.items) {
        const from = originOf(item.kind, item.message, this.hubChainId);
        for (const d of item.deliveries) {
          const transport = this.route(item.did, item.kind, d.chainId, from);
          if (!transport) continue;
          newJobs.push({
            attestationId: item.id,
            seq: item.seq,
            did: item.did,
            didHash: item.didHash,
            nonce: item.nonce,
            kind: item.kind,
            chainId: d.chainId,
            transport,
            receiver: d.receiver,
            message: item.message,
            signatures: d.signatures,
          });
        }
      }
      const n = this.outbox.ingest(newJobs, page.next, now());
      added += n;
      this.logger.info({ after, next: page.next, attestations: page.items.length, jobsAdded: n }, 'feed page ingested');
    }
  }
}
