import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak256, stringToBytes } from 'viem';
import { openDb } from '../common/sqlite.js';
import * as schema from './store/schema.js';
import { Outbox } from './store/outbox.js';
import { createMetrics } from './metrics.js';
import { createStatusApp } from './http.js';

const TOKEN = 'a'.repeat(40);
const DID = 'did:rwa:test:fund';

/** An outbox with one job, dead-lettered, and the status app over it (admin token `token`). */
function setup(token?: string) {
  const { db } = openDb(join(tmpdir(), `retry-route-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'store', 'migrations'));
  const outbox = new Outbox(db);
  const message = keccak256(stringToBytes('message'));
  outbox.ingest(
    [{ attestationId: keccak256(message), seq: 1, did: DID, didHash: keccak256(stringToBytes(DID)), nonce: '1', kind: 'nav', chainId: 31338, transport: 'cctp', receiver: `0x${'11'.repeat(20)}`, quorumTransports: null, message, signatures: '0x' }],
    1,
    1_000,
  );
  const job = outbox.head(31338);
  if (!job) throw new Error('no job ingested');
  outbox.markDead(job.id, 5, 'receiver refused: UnknownDid', 2_000);
  const app = createStatusApp(outbox, createMetrics(), [31338], undefined, undefined, undefined, { ...(token ? { token } : {}), now: () => 3_000 });
  return { app, outbox, jobId: job.id };
}

const retry = (app: ReturnType<typeof setup>['app'], jobId: number | string, auth?: string) =>
  app.request(`/v1/dead-letters/${jobId}/retry`, { method: 'POST', headers: auth ? { authorization: auth } : {} });

describe('relayer POST /v1/dead-letters/:jobId/retry', () => {
  it('puts a dead letter back in the queue with the admin token', async () => {
    const { app, outbox, jobId } = setup(TOKEN);
    const res = await retry(app, jobId, `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ jobId, state: 'pending' });
    expect(outbox.deadLetters()).toEqual([]);
    expect(outbox.head(31338)).toMatchObject({ id: jobId, state: 'pending', attempts: 0, nextAttemptAt: 3_000 });
  });

  it('refuses without the token, with another token, or when no token is configured; the job stays dead', async () => {
    const { app, outbox, jobId } = setup(TOKEN);
    for (const auth of [undefined, `Bearer ${'b'.repeat(40)}`, TOKEN]) {
      const res = await retry(app, jobId, auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized', field: 'authorization' } });
    }
    const off = setup();
    const res = await retry(off.app, off.jobId, `Bearer ${TOKEN}`);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'admin_disabled' } });
    expect(outbox.deadLetters().map((j) => j.id)).toEqual([jobId]);
    expect(off.outbox.deadLetters().map((j) => j.id)).toEqual([off.jobId]);
  });

  it('answers 404 not_dead for a job that is not a dead letter and 400 for a malformed id', async () => {
    const { app, jobId } = setup(TOKEN);
    expect((await retry(app, jobId, `Bearer ${TOKEN}`)).status).toBe(200);
    const again = await retry(app, jobId, `Bearer ${TOKEN}`);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: { code: 'not_dead', field: 'jobId' } });
    const bad = await retry(app, 'x1', `Bearer ${TOKEN}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_id', field: 'jobId' } });
  });
});
