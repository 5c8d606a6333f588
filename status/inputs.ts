/**
 * What one refresh of the status page reads, before it becomes the view (view.ts): per DID per chain the on-chain
 * state, the relayer's queues, dead letters and recent deliveries, and optionally the oracle's feed backlog. Each
 * source is read on its own; one that fails is shown as an error on its rows, never hides the others.
 */

/** A DID on one chain, as the chain holds it (RwaReceiver, RwaHoldings, RwaNavFeed, RwaRedemptions). */
export interface ChainRead {
  /** false while the DID's config attestation has not reached this chain (no token, no feed yet). */
  configured: boolean;
  holdingsDecimals: number;
  navDecimals: number;
  totalSupply: bigint;
  /** The mint ceiling the reserve split gave this chain (RwaHoldings.supplyCap). */
  supplyCap: bigint;
  paused: boolean;
  /** 0: no NAV applied yet. */
  navRound: bigint;
  nav: bigint | undefined;
  /** Unix seconds the NAV was struck (the feed's updatedAt). */
  navAsOf: bigint | undefined;
  heartbeatSeconds: number;
  /** RwaNavFeed.isStale(): no NAV, or older than the heartbeat by the chain's clock. */
  navStale: boolean;
  /** RwaRedemptions.stageOf: 1 A, 2 B, 3 C; reason 0 none, 1 threshold, 2 emergency. */
  stage: { stage: number; since: bigint; reason: number };
  /** Unix seconds of the reserve report behind the cap (0: none applied). */
  reserveAsOf: bigint;
}

export type Sourced<T> = { ok: true; value: T } | { ok: false; error: string };

/** One relayer job as the status API lists it (the fields the page uses). */
export interface RelayerDelivery {
  attestationId: string;
  seq: number;
  did: string;
  kind: string;
  transport: string;
  txHash: string | null;
  confirmedAt: string | null;
}

export interface RelayerDeadLetter {
  attestationId: string;
  did: string;
  kind: string;
  chainId: number;
  transport: string;
  lastError: string | null;
}

export interface RelayerQueue {
  chainId: number;
  /** Unfinished jobs (pending + submitted) of every DID on the chain. */
  depth: number;
  /** Jobs out of the chain's order until a later try (redemption fulfilments the chain refuses for now). */
  parked: number;
  blocked: { reason: string; since: string; retryAt: string } | null;
  /** Unfinished jobs that failed at least once (a DID waiting on the chain). */
  waiting: { did: string; kind: string; lastError: string | null }[];
}

export interface RelayerRead {
  cursor: number;
  queues: RelayerQueue[];
  dead: RelayerDeadLetter[];
  recent: { chainId: number; deliveries: RelayerDelivery[] }[];
}

/** The oracle's side: attestations signed and not yet taken by the relayer (its feed after the relayer's cursor). */
export interface OracleRead {
  backlog: number;
  /** true when the backlog is at least the page read (there may be more). */
  backlogCapped: boolean;
}

/** The incident notice a DID's issuer owes, as the oracle says (GET /v1/dids/:did/notice; docs/liquidity.md, Notices). */
export interface NoticeRead {
  due: boolean;
  /** The DID's current redemption stage on the hub; null before any stage change. */
  stage: string | null;
  /** Unix seconds the stage was entered; null before any stage change. */
  since: number | null;
  /** What the notice must be (stage B: public announcement and filing; C: regulatory filing ...); null when not due. */
  required: string | null;
}

export interface StatusInputs {
  /** Milliseconds since the epoch when the reads started. */
  now: number;
  dids: readonly { did: string; didHash: string }[];
  chains: readonly { chainId: number; name: string; transport: string }[];
  /** Keyed `${didHash}:${chainId}`. */
  chainReads: ReadonlyMap<string, Sourced<ChainRead>>;
  relayer: { url: string; read: Sourced<RelayerRead> };
  oracle?: { url: string; read: Sourced<OracleRead> };
  /** Per DID (keyed by the DID string), read from the oracle when it is configured. */
  notices?: ReadonlyMap<string, Sourced<NoticeRead>>;
}

export const chainKey = (didHash: string, chainId: number): string => `${didHash.toLowerCase()}:${chainId}`;
