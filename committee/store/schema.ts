import { SIGN_KINDS } from '../../schemas/committee.js';
import { sqliteTable, integer, text, uniqueIndex, primaryKey, index, foreignKey } from 'drizzle-orm/sqlite-core';

/**
 * Every message this signer has signed, one row per (DID, nonce): the equivocation record. A signer never signs a
 * second message for a (DID, nonce) nor the same request under a second nonce.
 */
export const signedMessages = sqliteTable(
  'signed_messages',
  {
    didHash: text('did_hash').notNull(),
    /** uint64 as a decimal string: SQLite integers stop at 2^63 - 1. */
    nonce: text('nonce').notNull(),
    /** keccak256 of the message bytes (the attestation id). */
    messageHash: text('message_hash').notNull(),
    message: text('message').notNull(),
    did: text('did').notNull(),
    kind: text('kind', { enum: SIGN_KINDS }).notNull(),
    /** The request's idempotency key (core/attestation.ts sourceRefOf): settlement or issuer reference, as-of time, config hash. */
    sourceRef: text('source_ref').notNull(),
    /** NAV value (decimal string) and as-of (unix seconds, NAV and reserve), for the next one's move and order checks. */
    navValue: text('nav_value'),
    asOf: integer('as_of'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.didHash, t.nonce] }),
    uniqueIndex('signed_messages_source').on(t.didHash, t.kind, t.sourceRef),
    index('signed_messages_nav').on(t.didHash, t.kind, t.asOf),
  ],
);

/** This signer's EIP-712 signature of a signed message for one destination chain (that chain's receiver domain). */
export const signedChains = sqliteTable(
  'signed_chains',
  {
    didHash: text('did_hash').notNull(),
    nonce: text('nonce').notNull(),
    chainId: integer('chain_id').notNull(),
    receiver: text('receiver').notNull(),
    signature: text('signature').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.didHash, t.nonce, t.chainId] }),
    foreignKey({ columns: [t.didHash, t.nonce], foreignColumns: [signedMessages.didHash, signedMessages.nonce] }),
  ],
);
