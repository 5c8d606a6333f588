import { and, asc, count, desc, eq, gt, max, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { attestations, deliveries, proposals } from './schema.js';

/**
 * The statements a settlement runs on its way (intake, plan, round, store), each built by drizzle and prepared by
 * SQLite once, on first use, then bound with placeholders at every call: building a query and preparing it on every
 * call was most of the oracle's store time under load (drizzle's query building, `is` checks, sqlite3_prepare).
 * Same SQL, same rows, same mapping as the ad-hoc queries they replace.
 */
const p = sql.placeholder;

/** Prepares on first call, then hands back the same statement. */
function once<T>(build: () => T): () => T {
  let stmt: T | undefined;
  return () => (stmt ??= build());
}

export function attestationQueries(db: Db) {
  return {
    bySource: once(() =>
      db
        .select()
        .from(attestations)
        .where(and(eq(attestations.did, p('did')), eq(attestations.kind, p('kind')), eq(attestations.sourceRef, p('sourceRef'))))
        .prepare(),
    ),
    latestOfKind: once(() =>
      db
        .select()
        .from(attestations)
        .where(and(eq(attestations.didHash, p('didHash')), eq(attestations.kind, p('kind'))))
        .orderBy(desc(attestations.nonce))
        .limit(1)
        .prepare(),
    ),
    ofKind: once(() =>
      db
        .select()
        .from(attestations)
        .where(and(eq(attestations.did, p('did')), eq(attestations.kind, p('kind'))))
        .orderBy(desc(attestations.asOf), desc(attestations.nonce))
        .prepare(),
    ),
    ofKindAfter: once(() =>
      db
        .select()
        .from(attestations)
        .where(and(eq(attestations.did, p('did')), eq(attestations.kind, p('kind')), gt(attestations.seq, p('after'))))
        .orderBy(asc(attestations.seq))
        .prepare(),
    ),
    deliveriesOf: once(() => db.select().from(deliveries).where(eq(deliveries.attestationSeq, p('seq'))).orderBy(asc(deliveries.chainId)).prepare()),
    insert: once(() =>
      db
        .insert(attestations)
        .values({
          id: p('id'),
          did: p('did'),
          didHash: p('didHash'),
          nonce: p('nonce'),
          kind: p('kind'),
          sourceRef: p('sourceRef'),
          requestHash: p('requestHash'),
          request: p('request'),
          submitter: p('submitter'),
          message: p('message'),
          navValue: p('navValue'),
          asOf: p('asOf'),
          createdAt: p('createdAt'),
        })
        .returning({ seq: attestations.seq })
        .prepare(),
    ),
    insertDelivery: once(() =>
      db
        .insert(deliveries)
        .values({
          attestationSeq: p('attestationSeq'),
          chainId: p('chainId'),
          receiver: p('receiver'),
          signatures: p('signatures'),
          batchRoot: p('batchRoot'),
          batchProof: p('batchProof'),
          batchSignatures: p('batchSignatures'),
        })
        .prepare(),
    ),
    markDone: once(() =>
      db
        .update(proposals)
        .set({ state: 'done', updatedAt: sql`${p('updatedAt')}` })
        .where(and(eq(proposals.didHash, p('didHash')), eq(proposals.nonce, p('nonce'))))
        .prepare(),
    ),
  };
}
export type AttestationQueries = ReturnType<typeof attestationQueries>;

export function proposalQueries(db: Db) {
  return {
    maxProposed: once(() => db.select({ n: max(proposals.nonce) }).from(proposals).where(eq(proposals.didHash, p('didHash'))).prepare()),
    maxAttested: once(() => db.select({ n: max(attestations.nonce) }).from(attestations).where(eq(attestations.didHash, p('didHash'))).prepare()),
    openBySource: once(() =>
      db
        .select()
        .from(proposals)
        .where(and(eq(proposals.did, p('did')), eq(proposals.kind, p('kind')), eq(proposals.sourceRef, p('sourceRef')), eq(proposals.state, 'open')))
        .prepare(),
    ),
    openOfKind: once(() =>
      db
        .select()
        .from(proposals)
        .where(and(eq(proposals.did, p('did')), eq(proposals.kind, p('kind')), eq(proposals.state, 'open')))
        .prepare(),
    ),
    insert: once(() =>
      db
        .insert(proposals)
        .values({
          didHash: p('didHash'),
          nonce: p('nonce'),
          did: p('did'),
          kind: p('kind'),
          sourceRef: p('sourceRef'),
          requestHash: p('requestHash'),
          id: p('id'),
          message: p('message'),
          source: p('source'),
          destinations: p('destinations'),
          signerSet: p('signerSet'),
          row: p('row'),
          state: 'open',
          attempts: 0,
          createdAt: p('createdAt'),
          updatedAt: p('updatedAt'),
        })
        .returning()
        .prepare(),
    ),
    countOpen: once(() => db.select({ n: count() }).from(proposals).where(eq(proposals.state, 'open')).prepare()),
  };
}
export type ProposalQueries = ReturnType<typeof proposalQueries>;
