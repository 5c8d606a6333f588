import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { ATTESTATION_KINDS } from '../../schemas/http.js';
import { TRANSPORT_NAMES } from '../../schemas/deployment.js';

/** Where the relayer stands in the oracle's feed. One row. */
export const feedCursor = sqliteTable('feed_cursor', {
  id: integer('id').primaryKey(),
  after: integer('after').notNull(),
});

/**
 * Transport quorum in force per (DID, destination chain), as the oracle's feed set it (kind 12, transportQuorum):
 * the jobs of later attestations to that chain fan out over every transport in `transports`. One row per pair.
 */
export const quorums = sqliteTable(
  'quorums',
  {
    didHash: text('did_hash').notNull(),
    chainId: integer('chain_id').notNull(),
    k: integer('k').notNull(),
    /** Bitmask: 1 cctp, 2 ccip, 4 wormhole; 0 with k 0 = no quorum (one job, by route). */
    transports: integer('transports').notNull(),
    /** Feed seq of the attestation that set it. */
    seq: integer('seq').notNull(),
  },
  (t) => [uniqueIndex('quorums_did_chain').on(t.didHash, t.chainId)],
);

/**
 * Outbox: one delivery job per (attestation, destination chain, transport). A chain without a transport quorum for
 * the DID gets one job (its route's transport); a chain with one gets a job per transport of the quorum.
 * States: pending -> submitted -> confirmed, or dead (with a reason) when retrying cannot help, or parked: a redemption
 * fulfilment the chain refuses for now (stage C, instalment not due), out of the chain's order, tried again later.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    attestationId: text('attestation_id').notNull(),
    seq: integer('seq').notNull(),
    did: text('did').notNull(),
    didHash: text('did_hash').notNull(),
    nonce: text('nonce').notNull(),
    /** The attestation kind as the oracle's feed names it. */
    kind: text('kind', { enum: ATTESTATION_KINDS }).notNull(),
    chainId: integer('chain_id').notNull(),
    transport: text('transport', { enum: TRANSPORT_NAMES }).notNull(),
    receiver: text('receiver').notNull(),
    /** The quorum's transports (bitmask) when the DID requires one on this chain; null: one job, applied on arrival. */
    quorumTransports: integer('quorum_transports'),
    message: text('message').notNull(),
    signatures: text('signatures').notNull(),
    /**
     * The Merkle root the attestation was signed under on this chain (RwaReceiver.receiveBatch), its proof (the
     * siblings, 32 bytes each, packed in one hex string) and the committee's signatures over the root; null when the
     * oracle signed it alone. Jobs of one root travel in one receiveBatch.
     */
    batchRoot: text('batch_root'),
    batchProof: text('batch_proof'),
    batchSignatures: text('batch_signatures'),
    state: text('state', { enum: ['pending', 'submitted', 'confirmed', 'dead', 'parked'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    txHash: text('tx_hash'),
    /** Nonce and EIP-1559 fees of the submitted transaction, so a stuck one is replaced, not doubled. */
    txNonce: integer('tx_nonce'),
    maxFeePerGas: text('max_fee_per_gas'),
    maxPriorityFeePerGas: text('max_priority_fee_per_gas'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    confirmedAt: integer('confirmed_at'),
  },
  (t) => [uniqueIndex('jobs_attestation_chain_transport').on(t.attestationId, t.chainId, t.transport), index('jobs_chain_state_seq').on(t.chainId, t.state, t.seq)],
);
