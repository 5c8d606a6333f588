import type { Hex } from 'viem';
import type { Logger } from 'pino';
import { classifyError } from './errors.js';
import type { Job } from './store/outbox.js';
import { BatchItemRevertedError, BatchTooLargeError, type Replacement, type Transport } from './transports/transport.js';
import { asSubmitted, replacementOf, type DeliveryHost } from './worker-deps.js';

/**
 * Delivers a group of one chain's jobs on one transport in one transaction (`submitBatch`), with the guarantees of
 * the single delivery (worker.ts `process`):
 * - a group sent before (it shares a stored transaction: a restart, or not mined within the last wait) is followed
 *   first: its transaction awaited, and when not mined replaced with the same nonce and escalated fees;
 * - the chain is asked for each job before anything is sent: what it has is settled and left out;
 * - the batch is dry-run: cut to what fits a block (BatchTooLargeError); an item a Merkle-root batch names as not
 *   fitting its root (BatchItemRevertedError) goes alone; when it reverts otherwise each item is dry-run alone, the
 *   failing ones take the single delivery's failure path and the rest go on;
 * - each job is recorded `submitted` with the batch's hash, nonce and fees as soon as the node accepted it, and
 *   settled from the chain's state (its own message applied) once the transaction is mined.
 * The receiver skips an item whose (DID, nonce) is already used (receiveBatch after checking its proof), so a batch
 * re-sent after a crash never applies an item twice.
 */
export async function deliverBatch(w: DeliveryHost, t: Transport, group: readonly Job[]): Promise<void> {
  const first = group[0];
  if (!first || !t.submitBatch || !t.simulateBatch) return;
  const log = w.log(first).child({ batch: group.map((j) => j.id) });
  let open: Job[] = [...group];
  try {
    let stuck: Replacement | undefined;
    if (first.state === 'submitted' && first.txHash) {
      const r = await w.track(t, first.txHash as Hex, first);
      if (r.status === 'inFlight') return open.forEach((j) => w.inFlight(j, r.detail, w.log(j)));
      if (r.status === 'unknown') stuck = replacementOf(first);
    }
    open = await settleApplied(w, t, open, log);
    // From here on, jobs dryRun left out are written by it or untouched: a later failure concerns the batch alone.
    const batch = await dryRun(w, t, open, log);
    open = batch;
    if (open.length === 0) return;
    const endTurn = await w.turn(first);
    const sent = await t.submitBatch(open, stuck).finally(endTurn);
    const now = w.d.now();
    w.d.outbox.markAllSubmitted(
      open.map((j) => j.id),
      sent,
      now,
    );
    w.d.metrics.batchSize.observe({ chain: String(w.d.chainId), transport: t.name }, open.length);
    if (sent.call) w.d.metrics.batchCalls.inc({ chain: String(w.d.chainId), call: sent.call });
    open = open.map((j) => asSubmitted(j, sent));
    w.unblock(log);
    log.info({ txHash: sent.txHash, nonce: sent.nonce, items: open.length, call: sent.call, replaces: stuck ? first.txHash : undefined }, stuck ? 'batch replaced' : 'batch submitted');
    const r = await w.track(t, sent.txHash, open[0]!);
    if (r.status === 'inFlight') return open.forEach((j) => w.inFlight(j, r.detail, w.log(j)));
    // Trust the chain's state, not the receipt: after a reorg a receipt can outlive its transaction. Asked for every
    // item at once; a read failing fails the whole batch's jobs alike (caught below).
    const landed = r.status === 'success' ? await Promise.all(open.map((j) => w.onChain(t, j))) : [];
    // The batch's outcomes are written in one transaction (one commit, not one per item).
    w.d.outbox.atomically(() =>
      open.forEach((j, i) => {
        const onChain = landed[i];
        if (onChain) w.settle(j, sent.txHash, w.log(j), onChain);
        else w.failed(j, { kind: 'retryable', reason: `transaction ${sent.txHash} ${r.status}` }, w.log(j));
      }),
    );
  } catch (err) {
    // Sent or not, each open job takes the single delivery's failure path (a blocked chain blocks it once).
    for (const j of open) await w.fail(t, j, j, err, w.log(j));
  }
}

/** Settles the jobs the chain already has (applied, arrived, or used by another message) and returns the rest. */
async function settleApplied(w: DeliveryHost, t: Transport, jobs: readonly Job[], log: Logger): Promise<Job[]> {
  const onChain = await Promise.all(jobs.map((j) => w.onChain(t, j)));
  const open = jobs.filter((_, i) => !onChain[i]);
  if (open.length === jobs.length) return open;
  // What the chain has is written in one transaction.
  w.d.outbox.atomically(() =>
    jobs.forEach((j, i) => {
      const c = onChain[i];
      if (c) w.settle(j, j.txHash, w.log(j), c);
    }),
  );
  log.info({ settled: jobs.length - open.length }, 'batch items already on chain');
  return open;
}

/**
 * The part of the batch to send: cut to what fits a block (the cut-off jobs stay as they are, for the next pass), and
 * without the items that revert alone (each takes the single delivery's failure path). A batch that reverts though
 * no item does alone is delivered one job at a time.
 */
async function dryRun(w: DeliveryHost, t: Transport, jobs: readonly Job[], log: Logger): Promise<Job[]> {
  let batch = [...jobs];
  let isolated = false;
  while (batch.length > 0) {
    try {
      await t.simulateBatch!(batch);
      return batch;
    } catch (err) {
      if (err instanceof BatchTooLargeError && batch.length > 1) {
        log.info({ items: batch.length, fits: err.fits, estimate: err.estimate, usableGas: err.usableGas }, 'batch cut to fit a block');
        batch = batch.slice(0, Math.min(err.fits, batch.length - 1));
        continue;
      }
      if (err instanceof BatchItemRevertedError && batch[err.index]) {
        // Its proof or DID or kind does not fit the root (receiveBatch names it): it goes alone, with its own
        // signatures; a revert of its own then takes the single delivery's failure path.
        const [item] = batch.splice(err.index, 1);
        log.warn({ err, jobId: item!.id, revert: err.revert, index: err.index }, 'batch item refused under its Merkle root: delivered alone');
        w.d.metrics.failures.inc({ chain: String(w.d.chainId), reason: `batch item: ${err.revert}` });
        await w.process(item!);
        continue;
      }
      // Nothing is written yet: a chain-wide condition is the caller's to record.
      if (!isolated && classifyError(err).kind === 'blocked-chain') throw err;
      if (isolated) {
        log.warn({ err, items: batch.length }, 'batch of items that pass alone reverts: delivered one at a time');
        for (const j of batch) await w.process(j);
        return [];
      }
      isolated = true;
      const good: Job[] = [];
      for (const j of batch) {
        try {
          await t.simulate(j);
          good.push(j);
        } catch (itemErr) {
          await w.fail(t, j, j, itemErr, w.log(j));
        }
      }
      log.warn({ err, items: batch.length, failing: batch.length - good.length }, 'batch reverts in simulation: failing items go alone');
      batch = good;
    }
  }
  return batch;
}
