/**
 * Reads the relayer's status API (GET /v1/queues, /v1/dead-letters, /v1/recent) and the oracle's feed, each answer
 * parsed at the edge: a relayer of another version that answers another shape is an error on the page, not a crash.
 */
import { parserFor } from '../schemas/validate.js';
import { RwaError } from '../common/errors.js';
import type { OracleRead, RelayerDeadLetter, RelayerDelivery, RelayerQueue, RelayerRead } from './inputs.js';

/** Recent deliveries asked per chain (over every DID). */
export const RECENT_LIMIT = 20;
/** The oracle feed page read past the relayer's cursor: a backlog this long or longer shows as "500+". */
export const BACKLOG_PAGE = 500;

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;

const queuesSchema = {
  type: 'object',
  required: ['chains', 'cursor'],
  properties: {
    cursor: int,
    chains: {
      type: 'array',
      items: {
        type: 'object',
        required: ['chainId', 'depth', 'parked', 'blocked', 'waiting'],
        properties: {
          chainId: int,
          depth: int,
          parked: int,
          blocked: { anyOf: [{ type: 'null' }, { type: 'object', required: ['reason', 'since', 'retryAt'], properties: { reason: str, since: str, retryAt: str } }] },
          waiting: { type: 'array', items: { type: 'object', required: ['did', 'kind'], properties: { did: str, kind: str, lastError: nullableStr } } },
        },
      },
    },
  },
} as const;

const deadSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: { type: 'object', required: ['attestationId', 'did', 'kind', 'chainId', 'transport'], properties: { attestationId: str, did: str, kind: str, chainId: int, transport: str, lastError: nullableStr } },
    },
  },
} as const;

const recentSchema = {
  type: 'object',
  required: ['chains'],
  properties: {
    chains: {
      type: 'array',
      items: {
        type: 'object',
        required: ['chainId', 'deliveries'],
        properties: {
          chainId: int,
          deliveries: {
            type: 'array',
            items: {
              type: 'object',
              required: ['attestationId', 'seq', 'did', 'kind', 'transport', 'txHash', 'confirmedAt'],
              properties: { attestationId: str, seq: int, did: str, kind: str, transport: str, txHash: nullableStr, confirmedAt: nullableStr },
            },
          },
        },
      },
    },
  },
} as const;

const feedSchema = { type: 'object', required: ['items'], properties: { items: { type: 'array' } } } as const;

const parseQueues = parserFor<{ cursor: number; chains: RelayerQueue[] }>(queuesSchema);
const parseDead = parserFor<{ items: RelayerDeadLetter[] }>(deadSchema);
const parseRecent = parserFor<{ chains: { chainId: number; deliveries: RelayerDelivery[] }[] }>(recentSchema);
const parseFeed = parserFor<{ items: unknown[] }>(feedSchema);

/** A source answered something the page cannot use (unreachable, a non-200, or an unexpected shape). */
export class SourceError extends RwaError<'source_unavailable'> {
  override readonly name = 'SourceError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'source_unavailable', retryable: true, cause: options?.cause });
  }
}

/** GET a JSON document and parse it; any failure is a SourceError naming the URL. */
export async function getJson<T>(url: string, parse: (input: unknown) => { ok: true; value: T } | { ok: false; issue: { field: string; message: string } }, timeoutMs: number): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).catch((err: unknown) => {
    throw new SourceError(`GET ${url}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  if (!res.ok) throw new SourceError(`GET ${url}: HTTP ${res.status}`);
  const parsed = parse(await res.json());
  if (!parsed.ok) throw new SourceError(`GET ${url}: ${parsed.issue.field} ${parsed.issue.message}`);
  return parsed.value;
}

/** The relayer's queues, dead letters and recent deliveries, read together. */
export async function readRelayer(baseUrl: string, timeoutMs: number): Promise<RelayerRead> {
  const [queues, dead, recent] = await Promise.all([
    getJson(`${baseUrl}/v1/queues`, parseQueues, timeoutMs),
    getJson(`${baseUrl}/v1/dead-letters`, parseDead, timeoutMs),
    getJson(`${baseUrl}/v1/recent?limit=${RECENT_LIMIT}`, parseRecent, timeoutMs),
  ]);
  return { cursor: queues.cursor, queues: queues.chains, dead: dead.items, recent: recent.chains };
}

/** Attestations the oracle signed past the relayer's feed cursor (what the relayer has not taken yet). */
export async function readOracleBacklog(baseUrl: string, relayerCursor: number, timeoutMs: number): Promise<OracleRead> {
  const page = await getJson(`${baseUrl}/v1/attestations?after=${relayerCursor}&limit=${BACKLOG_PAGE}`, parseFeed, timeoutMs);
  return { backlog: page.items.length, backlogCapped: page.items.length >= BACKLOG_PAGE };
}
