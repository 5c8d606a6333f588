import { sqliteTable, integer, text, uniqueIndex, primaryKey, index } from 'drizzle-orm/sqlite-core';
import { ATTESTATION_KINDS } from '../../schemas/http.js';

/** Every attestation the committee signed, in oracle order (`seq` is the relayers' feed cursor). */
export const attestations = sqliteTable(
  'attestations',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    did: text('did').notNull(),
    didHash: text('did_hash').notNull(),
    nonce: integer('nonce').notNull(),
    kind: text('kind', { enum: ATTESTATION_KINDS }).notNull(),
    /** Idempotency key with did + kind: settlement reference, NAV or reserve as-of time, issuer's ref, config hash. */
    sourceRef: text('source_ref').notNull(),
    /** keccak256 of the canonical request: same key + same hash is a repeat, same key + other hash a conflict. */
    requestHash: text('request_hash').notNull(),
    request: text('request').notNull(),
    submitter: text('submitter').notNull(),
    message: text('message').notNull(),
    /** NAV value (decimal string) and as-of time, kept to check the next NAV's move and order. */
    navValue: text('nav_value'),
    asOf: integer('as_of'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('attestations_id').on(t.id),
    uniqueIndex('attestations_did_nonce').on(t.didHash, t.nonce),
    uniqueIndex('attestations_source').on(t.did, t.kind, t.sourceRef),
    index('attestations_did_kind_asof').on(t.didHash, t.kind, t.asOf),
  ],
);

/** The committee's signatures for one destination chain (EIP-712 domain of that chain's receiver). */
export const deliveries = sqliteTable(
  'deliveries',
  {
    attestationSeq: integer('attestation_seq')
      .notNull()
      .references(() => attestations.seq),
    chainId: integer('chain_id').notNull(),
    receiver: text('receiver').notNull(),
    signatures: text('signatures').notNull(),
    /**
     * Set when the committee also signed the message in a batch root for this chain (group commit, docs/batches.md):
     * the root, the message's proof (JSON array of bytes32, bottom up) and the root's packed signatures.
     */
    batchRoot: text('batch_root'),
    batchProof: text('batch_proof'),
    batchSignatures: text('batch_signatures'),
  },
  (t) => [primaryKey({ columns: [t.attestationSeq, t.chainId] })],
);

/** How far a chain watcher has read: the next block to read, per chain and event stream. */
export const chainCursors = sqliteTable(
  'chain_cursors',
  {
    chainId: integer('chain_id').notNull(),
    stream: text('stream', { enum: ['redemption-requests', 'redemption-stages'] }).notNull(),
    /** Block number as a decimal string. */
    nextBlock: text('next_block').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.stream] })],
);

/** Redemption requests the request watcher saw on a chain's redemptions module (RedeemRequested past confirmations). */
export const redemptionRequests = sqliteTable(
  'redemption_requests',
  {
    didHash: text('did_hash').notNull(),
    chainId: integer('chain_id').notNull(),
    /** uint64 as a decimal string. */
    requestId: text('request_id').notNull(),
    owner: text('owner').notNull(),
    /** Token base units locked, decimal string. */
    amount: text('amount').notNull(),
    requestedAt: integer('requested_at').notNull(),
    blockNumber: text('block_number').notNull(),
    logIndex: integer('log_index').notNull(),
    /**
     * The blocks (JSON [{chainId, blockNumber}]) the pool supply of this request's report was read at, and that sum:
     * chosen once, so a retried report proposes the same message at the same nonce.
     */
    pins: text('pins'),
    poolSupply: text('pool_supply'),
    /** Set when RedeemCancelled is seen; the unfulfilled remainder went back to the owner. */
    cancelled: integer('cancelled', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.didHash, t.chainId, t.requestId] }), index('redemption_requests_time').on(t.didHash, t.requestedAt)],
);

/** Stage changes the stage watcher saw on the hub (RedemptionStageChanged past confirmations), one row per stageSeq. */
export const redemptionStages = sqliteTable(
  'redemption_stages',
  {
    didHash: text('did_hash').notNull(),
    stageSeq: text('stage_seq').notNull(),
    /** 1 A, 2 B, 3 C. */
    stage: integer('stage').notNull(),
    since: integer('since').notNull(),
    /** 0 none, 1 threshold, 2 emergency. */
    reason: integer('reason').notNull(),
    dayRequested: text('day_requested').notNull(),
    poolSupply: text('pool_supply').notNull(),
    blockNumber: text('block_number').notNull(),
    logIndex: integer('log_index').notNull(),
  },
  (t) => [primaryKey({ columns: [t.didHash, t.stageSeq] })],
);

/** Where a cross-chain move stands (oracle/mirror/move-machine.ts): one row per move, advanced by the move loop. */
export const MOVE_STATES = ['accepted', 'out_applied', 'in_signed', 'arrived', 'void_signed', 'return_signed', 'returned'] as const;
export type MoveState = (typeof MOVE_STATES)[number];

export const moves = sqliteTable(
  'moves',
  {
    did: text('did').notNull(),
    ref: text('ref').notNull(),
    state: text('state', { enum: MOVE_STATES }).notNull(),
    /** Why the in leg has not landed (the to-chain's or the signers' refusal), or why the move was returned. */
    reason: text('reason'),
    /** When the oracle accepted the move (unix ms); the deadline counts from here. */
    acceptedAtMs: integer('accepted_at_ms').notNull(),
    /** When the move loop saw the out leg applied (unix ms); the in leg's patience counts from here. */
    outAppliedAtMs: integer('out_applied_at_ms'),
    updatedAtMs: integer('updated_at_ms').notNull(),
    /** Set once the stranded alert fired for this move (one error log per move). */
    alertedAtMs: integer('alerted_at_ms'),
  },
  (t) => [primaryKey({ columns: [t.did, t.ref] }), index('moves_state').on(t.state)],
);

/**
 * Signing rounds, stored before any signer is asked: the exact message at its nonce, where it goes, which set signs
 * it and the request it came from. A nonce proposed here is never proposed for another message: after a crash, a
 * signer timeout or a partial quorum the same proposal is completed (signers answer a message they signed again
 * with the same signatures), or closed with a reason, and its nonce is skipped (receivers keep a nonce bitmap).
 */
export const proposals = sqliteTable(
  'proposals',
  {
    didHash: text('did_hash').notNull(),
    nonce: integer('nonce').notNull(),
    did: text('did').notNull(),
    kind: text('kind', { enum: ATTESTATION_KINDS }).notNull(),
    sourceRef: text('source_ref').notNull(),
    requestHash: text('request_hash').notNull(),
    /** attestationId of `message`. */
    id: text('id').notNull(),
    /** The encoded message (hex), exactly as signed. */
    message: text('message').notNull(),
    /** JSON: the source request sent to the signers (with a move leg's settledAt, a reserve's caps). */
    source: text('source').notNull(),
    /** JSON [{chainId, receiver}]. */
    destinations: text('destinations').notNull(),
    /** JSON {signers, threshold}: the set the chains held when proposed. */
    signerSet: text('signer_set').notNull(),
    /** JSON of the attestation row's remaining columns (request, submitter, navValue, asOf). */
    row: text('row').notNull(),
    state: text('state', { enum: ['open', 'done', 'closed'] }).notNull(),
    closedReason: text('closed_reason'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.didHash, t.nonce] }), index('proposals_source').on(t.did, t.kind, t.sourceRef), index('proposals_state').on(t.state)],
);
