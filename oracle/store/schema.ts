import { sqliteTable, integer, text, uniqueIndex, primaryKey, index } from 'drizzle-orm/sqlite-core';

/** Every attestation the committee signed, in oracle order (`seq` is the relayers' feed cursor). */
export const attestations = sqliteTable(
  'attestations',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    did: text('did').notNull(),
    didHash: text('did_hash').notNull(),
    nonce: integer('nonce').notNull(),
    kind: text('kind', { enum: ['settlement', 'nav', 'config', 'allowlist', 'pause', 'reserve'] }).notNull(),
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
  },
  (t) => [primaryKey({ columns: [t.attestationSeq, t.chainId] })],
);
