import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { ATTESTATION_KINDS } from '../../schemas/http.js';

/** Where the relayer stands in the oracle's feed. One row. */
export const feedCursor = sqliteTable('feed_cursor', {
  id: integer('id').primaryKey(),
  after: integer('after').notNull(),
});

/**
 * Outbox: one delivery job per (attestation, destination chain).
 * States: pending -> submitted -> confirmed, or dead (with a reason) when retrying cannot help.
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
    transport: text('transport', { enum: ['cctp', 'ccip', 'wormhole'] }).notNull(),
    receiver: text('receiver').notNull(),
    message: text('message').notNull(),
    signatures: text('signatures').notNull(),
    state: text('state', { enum: ['pending', 'submitted', 'confirmed', 'dead'] }).notNull(),
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
  (t) => [uniqueIndex('jobs_attestation_chain').on(t.attestationId, t.chainId), index('jobs_chain_state_seq').on(t.chainId, t.state, t.seq)],
);
