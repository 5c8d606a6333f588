import type { Logger } from 'pino';
import type { Hex } from 'viem';
import { packProof } from './transports/root-batch.js';
import { attestationFeedSchema, type AttestationFeed } from '../schemas/http.js';
import { parserFor } from '../schemas/validate.js';
import type { Outbox, NewJob, QuorumRow } from './store/outbox.js';
import { decodeQuorumRule } from './quorum.js';
import { maskToTransports } from '../schemas/message.js';
import type { RouteResolver } from './routes.js';
import { originOf } from './lanes.js';
import { RwaError } from '../common/errors.js';

const parseFeed = parserFor<AttestationFeed>(attestationFeedSchema);

type FeedBatch = AttestationFeed['items'][number]['deliveries'][number]['batch'];

/** A delivery's Merkle root, proof (packed: 32 bytes per sibling) and root signatures as the outbox keeps them. */
export function batchColumns(b: FeedBatch): Pick<NewJob, 'batchRoot' | 'batchProof' | 'batchSignatures'> {
  if (!b) return { batchRoot: null, batchProof: null, batchSignatures: null };
  return { batchRoot: b.root.toLowerCase(), batchProof: packProof(b.proof as Hex[]), batchSignatures: b.signatures };
}

export class FeedError extends RwaError<'feed_unreadable'> {
  override readonly name = 'FeedError';
  /** The oracle may answer on the next poll. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'feed_unreadable', retryable: true, cause: options?.cause });
  }
}

/**
 * Reads the oracle's attestation feed page by page and turns each attestation into jobs for the destination chains
 * this relayer serves: one per chain (its route's transport), or, where the DID requires a transport quorum on that
 * chain, one per transport of the quorum. The quorum in force is the one the feed's latest transport-quorum attestation
 * (kind 12) for that chain set before this attestation: the chain applies them in the same order. The page, the
 * quorums it sets and the cursor are stored in one transaction: a crash replays at most one page, and replayed jobs
 * are ignored by the unique key.
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
      const quorums = new Map<string, QuorumRow>();
      const quorumOf = (didHash: string, chainId: number) => quorums.get(`${didHash}:${chainId}`) ?? this.outbox.quorumOf(didHash, chainId);
      for (const item of page.items) {
        const from = originOf(item.kind, item.message, this.hubChainId);
        for (const d of item.deliveries) {
          const routed = this.route(item.did, item.kind, d.chainId, from);
          if (!routed) continue;
          const quorum = quorumOf(item.didHash, d.chainId);
          const gated = quorum !== undefined && quorum.transports !== 0;
          for (const transport of gated ? maskToTransports(quorum.transports) : [routed]) {
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
              quorumTransports: gated ? quorum.transports : null,
              ...batchColumns(d.batch),
            });
          }
        }
        if (item.kind === 'transportQuorum') {
          const rule = decodeQuorumRule(item.message as Hex);
          quorums.set(`${item.didHash}:${rule.chainId}`, { didHash: item.didHash, chainId: rule.chainId, k: rule.k, transports: rule.transports, seq: item.seq });
          this.logger.info({ did: item.did, chainId: rule.chainId, k: rule.k, transports: maskToTransports(rule.transports), seq: item.seq }, 'transport quorum set by the feed');
        }
      }
      const n = this.outbox.ingest(newJobs, page.next, now(), [...quorums.values()]);
      added += n;
      this.logger.info({ after, next: page.next, attestations: page.items.length, jobsAdded: n }, 'feed page ingested');
    }
  }
}
