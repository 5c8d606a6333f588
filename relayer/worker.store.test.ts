import { describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openDb } from '../common/sqlite.js';
import * as schema from './store/schema.js';
import { Outbox } from './store/outbox.js';
import { BatchScriptedTransport, CHAIN, setup } from '../testkit/relayer-worker.js';

/** Issue 21 (throughput): the store work of the delivery loop and of each delivery. */
const DID = `0x${'aa'.repeat(32)}`;

function store() {
  const { db } = openDb(join(tmpdir(), `worker-store-${process.pid}-${Math.random().toString(16).slice(2)}.sqlite`), schema, join(import.meta.dirname, 'store', 'migrations'));
  return { client: db.$client, outbox: new Outbox(db) };
}

describe('ChainWorker: store work per pass and per delivery', () => {
  it('takes the queue depth from the pass’s own read and reads the parked count at most once a second', async () => {
    const w = setup([new BatchScriptedTransport('cctp')], { pipeline: { maxInFlight: 0, maxBatch: 8 } });
    for (let s = 1; s <= 3; s++) w.add(s, 'cctp', null, 'settlement', DID);
    const depth = vi.spyOn(w.outbox, 'depth');
    const parked = vi.spyOn(w.outbox, 'parkedCount');
    for (let i = 0; i < 5; i++) await w.tick();
    expect(depth).not.toHaveBeenCalled();
    expect(parked).toHaveBeenCalledTimes(1);
    w.advance(1_000);
    await w.tick();
    expect(parked).toHaveBeenCalledTimes(2);
    expect((await w.metrics.queueDepth.get()).values.find((v) => v.labels.chain === String(CHAIN))?.value).toBe(3);
    expect((await w.metrics.parked.get()).values.find((v) => v.labels.chain === String(CHAIN))?.value).toBe(0);
  });

  it('counts the depth in the store when the pass hit its scan limit', async () => {
    const w = setup([new BatchScriptedTransport('cctp')], { pipeline: { maxInFlight: 0, maxBatch: 8, scanLimit: 2 } });
    for (let s = 1; s <= 3; s++) w.add(s, 'cctp', null, 'settlement', DID);
    await w.tick();
    expect((await w.metrics.queueDepth.get()).values.find((v) => v.labels.chain === String(CHAIN))?.value).toBe(3);
  });

  it('writes a batch’s submissions in one transaction and its confirmations in another', async () => {
    const { client, outbox } = store();
    const cctp = new BatchScriptedTransport('cctp');
    const w = setup([cctp], { outbox, pipeline: { maxInFlight: 4, maxBatch: 8 } });
    for (let s = 1; s <= 3; s++) w.add(s, 'cctp', null, 'settlement', DID);
    const transactions = vi.spyOn(client, 'transaction');
    const writes: [string, boolean][] = [];
    const confirm = outbox.markConfirmed.bind(outbox);
    vi.spyOn(outbox, 'markConfirmed').mockImplementation((...a) => {
      writes.push(['markConfirmed', client.inTransaction]);
      confirm(...a);
    });
    await w.tick();
    expect(cctp.calls.filter((c) => c.startsWith('submit'))).toEqual(['submitBatch:1,2,3']);
    expect([1, 2, 3].map((s) => w.job(s).state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(writes.filter(([, inTx]) => !inTx)).toEqual([]);
    expect(writes.filter(([n]) => n === 'markConfirmed')).toHaveLength(3);
    expect(transactions).toHaveBeenCalledTimes(2);
  });
});
