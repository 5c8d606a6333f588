import { beforeEach, describe, expect, it } from 'vitest';
import { keccak256, stringToBytes } from 'viem';
import pino from 'pino';
import { DEV_ISSUER_KEY } from '../../schemas/dev-keys.js';
import type { StageChangedLog } from '../../core/chain/redemption-types.js';
import { signDisclosure } from '../../clients/custodian.js';
import { attestationOf } from '../../core/attestation.js';
import { liquidityFigures } from '../../core/buyback.js';
import type { BuyBackReportRequest, BuyBackReportSource, LiquidityBandsSnapshot } from '../../schemas/kinds/buyback-report.js';
import { DID, DOMAIN, HASH, HUB, INVESTOR, NOW, SPOKE_A, SPOKE_B, makeRedemptions } from '../../testkit/oracle-redemption.js';
import { RedemptionView } from '../api/redemption-view.js';
import { issueAttestation } from '../issue/issue.js';
import { issueDepsOf } from '../redemption-deps.js';
import { NoticeMonitor } from './notice-monitor.js';

// Unit test: registry and chains are the testkit's in-memory fakes; store, stage watcher, services and the hono app
// are real (app.request in process).
let k: ReturnType<typeof makeRedemptions>;

const stageLog = (stageSeq: bigint, stage: StageChangedLog['stage'], since: number, blockNumber: bigint): StageChangedLog => ({
  did: HASH,
  stageSeq,
  stage,
  since: BigInt(since),
  reason: stage === 'A' ? 'none' : 'threshold',
  dayRequested: 150n,
  poolSupply: 10_000n,
  blockNumber,
  logIndex: 0,
});

/** The hub's stage changes so far: the stage watcher reads them into the store (and sends each to the spokes). */
async function hubStages(...logs: StageChangedLog[]): Promise<void> {
  k.world.stageLogs.set(HUB, logs);
  const head = logs.reduce((m, l) => (l.blockNumber > m ? l.blockNumber : m), 0n) + 1n;
  k.world.heads.set(HUB, head).set(SPOKE_A, head).set(SPOKE_B, head);
  await k.stageWatcher.tick();
}

/** The issuer posts a disclosure; the oracle signs it for every chain of the DID. Its id, nonce and chains. */
const post = async (asOf: number, docKind: 'incidentNotice' | 'navReport' = 'incidentNotice') => {
  const body = await signDisclosure(DEV_ISSUER_KEY, DOMAIN, { did: DID, docKind, docHash: keccak256(stringToBytes(`${docKind} ${asOf}`)), uri: `https://issuer.example/${docKind}/${asOf}.pdf`, asOf });
  const res = await k.app.request('/v1/disclosures', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; nonce: string; deliveries: { chainId: number }[] };
};

/** The chains apply it (the relayer's job): the fake chains report its nonce used on each of `chains` (default all). */
const apply = (a: { nonce: string; deliveries: { chainId: number }[] }, chains = a.deliveries.map((d) => d.chainId)) => {
  for (const c of chains) k.used.add(`${c}:${a.nonce}`);
};

/** A disclosure posted and applied on every chain: anchored. */
const postNotice = async (asOf: number, docKind: 'incidentNotice' | 'navReport' = 'incidentNotice') => {
  const a = await post(asOf, docKind);
  apply(a);
  return a.id;
};

const noticeOf = async () => {
  const res = await k.app.request(`/v1/dids/${DID}/notice`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { did: string; notice: Record<string, unknown> }).notice;
};

const dueMetric = async (): Promise<string | undefined> => {
  await k.view.refreshNotices();
  const text = await (await k.app.request('/metrics')).text();
  return text.split('\n').find((l) => l.startsWith(`oracle_notice_due{did="${DID}"}`));
};

/**
 * A buy-back report the committee accepted for every chain (kind 17): a pool of `poolCash` in cash against an asset pool
 * of 100M, no open request, the issuer's `bands` (the floor travels in the message).
 */
async function attestBuyBack(asOf: number, poolCash: bigint, bands: LiquidityBandsSnapshot) {
  const request: BuyBackReportRequest = { did: DID, poolCash: String(poolCash), asOf, buckets: [{ kind: 'cash', amount: String(poolCash), haircutBps: 0, daysToCash: 0 }], signature: `0x${'00'.repeat(65)}` };
  const source: BuyBackReportSource = { kind: 'buybackReport', request, liquidity: liquidityFigures(request, 100_000_000n, 0n, bands) };
  const nonce = k.store.nextNonce(HASH);
  await issueAttestation(issueDepsOf(k.deps), attestationOf(source, HASH, BigInt(nonce)), source, { signers: k.record.signers, threshold: 2 }, [BigInt(HUB), BigInt(SPOKE_A), BigInt(SPOKE_B)], {
    did: DID, didHash: HASH, nonce, kind: 'buybackReport', sourceRef: String(asOf), requestHash: keccak256(stringToBytes(`buyback ${asOf}`)), request: JSON.stringify(request), submitter: INVESTOR, asOf,
  });
}
/** Floor B: the pool (2% of the asset pool) is below the issuer's 5% share; no LCR band. */
const SHORT: LiquidityBandsSnapshot = { minShareBps: 500, stageBBelowBps: 0, stageCBelowBps: 0, staleFloor: true, stressRateBps: 3_000, horizonDays: 7 };
/** Floor C: 2M liquid against 30M of stressed outflows is an LCR of 6.66%, under the 70% band. */
const LCR_C: LiquidityBandsSnapshot = { minShareBps: 0, stageBBelowBps: 10_000, stageCBelowBps: 7_000, staleFloor: true, stressRateBps: 3_000, horizonDays: 7 };
/** Floor A while fresh: a 5% pool over a 1% share, no LCR band; stale it is B. */
const HEALTHY: LiquidityBandsSnapshot = { ...SHORT, minShareBps: 100 };

beforeEach(() => {
  k = makeRedemptions();
});

describe('incident notices (issue 23, item 4)', () => {
  it('owes nothing in stage A', async () => {
    expect(await noticeOf()).toEqual({ due: false, stage: null, since: null, notice: null });
    await hubStages(stageLog(1n, 'B', NOW - 500, 3n), stageLog(2n, 'A', NOW - 100, 4n));
    expect(await noticeOf()).toEqual({ due: false, stage: 'A', since: NOW - 100, notice: null });
    expect(await dueMetric()).toBe(`oracle_notice_due{did="${DID}"} 0`);
  });

  it('a change to stage B owes the notice (status, metric) until an incidentNotice from after the change is anchored', async () => {
    await hubStages(stageLog(1n, 'B', NOW - 20, 9n));
    expect(await noticeOf()).toEqual({ due: true, stage: 'B', since: NOW - 20, stageSeq: '1', required: 'public announcement and filing', pending: null });
    expect(await dueMetric()).toBe(`oracle_notice_due{did="${DID}"} 1`);
    const view = (await (await k.app.request(`/v1/dids/${DID}/redemptions`)).json()) as { notice: { due: boolean } };
    expect(view.notice).toMatchObject({ due: true, stage: 'B' });

    // Neither a NAV report nor an incident notice dated before the change answers it.
    await postNotice(NOW - 10, 'navReport');
    await postNotice(NOW - 30);
    expect(await noticeOf()).toMatchObject({ due: true, stage: 'B' });
    expect(await dueMetric()).toBe(`oracle_notice_due{did="${DID}"} 1`);

    // Signed for every chain, applied on two of three: not anchored yet, still due, naming the pending notice.
    const signed = await post(NOW - 5);
    expect(signed.deliveries.map((d) => d.chainId).sort()).toEqual([HUB, SPOKE_A, SPOKE_B]);
    apply(signed, [HUB, SPOKE_A]);
    expect(await noticeOf()).toMatchObject({ due: true, stage: 'B', pending: signed.id });
    expect(await dueMetric()).toBe(`oracle_notice_due{did="${DID}"} 1`);
    apply(signed);
    const id = signed.id;
    expect(await noticeOf()).toEqual({ due: false, stage: 'B', since: NOW - 20, notice: { attestationId: id, asOf: NOW - 5, uri: `https://issuer.example/incidentNotice/${NOW - 5}.pdf` } });
    expect(await dueMetric()).toBe(`oracle_notice_due{did="${DID}"} 0`);
  });

  it('a rise to stage C owes a new notice (regulatory filing) even after the stage B one', async () => {
    await hubStages(stageLog(1n, 'B', NOW - 600, 3n));
    await postNotice(NOW - 590);
    expect(await noticeOf()).toMatchObject({ due: false, stage: 'B' });
    await hubStages(stageLog(1n, 'B', NOW - 600, 3n), stageLog(2n, 'C', NOW - 60, 5n));
    expect(await noticeOf()).toEqual({ due: true, stage: 'C', since: NOW - 60, stageSeq: '2', required: 'regulatory filing and temporary restrictions', pending: null });
    await postNotice(NOW - 1);
    expect(await noticeOf()).toMatchObject({ due: false, stage: 'C' });
  });

  it('is derived from the store and the chains: a restarted oracle (new view and monitor on the same database) answers the same', async () => {
    await hubStages(stageLog(1n, 'C', NOW - 20, 9n));
    const restarted = new RedemptionView(k.deps);
    expect((await restarted.noticeOf(DID)).notice).toMatchObject({ due: true, stage: 'C', since: NOW - 20, pending: null });
    await postNotice(NOW);
    const again = new RedemptionView(k.deps);
    expect((await again.noticeOf(DID)).notice).toMatchObject({ due: false, stage: 'C' });
  });

  it('logs a warning once when a notice falls due and an info when it is anchored', async () => {
    const lines: { level: number; msg: string; did?: string; required?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as (typeof lines)[number]) });
    const monitor = new NoticeMonitor({ ...k.deps, logger });
    await hubStages(stageLog(1n, 'B', NOW - 20, 9n));
    await monitor.refresh();
    await monitor.refresh();
    const warns = lines.filter((l) => l.level === 40);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ did: DID, required: 'public announcement and filing' });
    await postNotice(NOW);
    await monitor.refresh();
    expect(lines.filter((l) => l.level === 30 && l.msg === 'incident notice no longer due')).toHaveLength(1);
  });

  it('keeps the notice due while a chain cannot be read, counting and logging the failure', async () => {
    const lines: { level: number; msg: string; chainId?: number }[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as (typeof lines)[number]) });
    const down = { ...k.deps.destinations, isApplied: async (chainId: number) => (chainId === SPOKE_B ? Promise.reject(new Error('rpc down')) : true) };
    const monitor = new NoticeMonitor({ ...k.deps, destinations: down, logger });
    await hubStages(stageLog(1n, 'C', NOW - 20, 9n));
    await post(NOW);
    expect(await monitor.statusOf(DID, HASH)).toMatchObject({ due: true, stage: 'C' });
    expect(lines.some((l) => l.level === 40 && l.chainId === SPOKE_B && l.msg === 'chain unreadable for an incident notice; still due')).toBe(true);
    const failures = (await k.metrics.watcherFailures.get()).values.find((v) => v.labels.watcher === 'notices' && v.labels.chain === String(SPOKE_B));
    expect(failures?.value).toBe(1);
  });

  it('is a 404 for an unknown DID and a 400 for a malformed one', async () => {
    expect((await k.app.request('/v1/dids/did:rwa:test:nope/notice')).status).toBe(404);
    expect((await k.app.request('/v1/dids/not-a-did/notice')).status).toBe(400);
  });

  describe('the liquidity floor of the buy-back reports raises the stage (effectiveStageOf)', () => {
    it('a report whose pool is below the issuer share owes the stage B notice without any hub change (API, metric) until one is anchored', async () => {
      await attestBuyBack(NOW - 50, 2_000_000n, SHORT);
      expect(await noticeOf()).toEqual({ due: true, stage: 'B', since: NOW - 50, stageSeq: '0', required: 'public announcement and filing', pending: null });
      expect(await dueMetric()).toBe(`oracle_notice_due{did="${DID}"} 1`);
      await postNotice(NOW - 60);
      expect(await noticeOf()).toMatchObject({ due: true, stage: 'B' });
      const id = await postNotice(NOW - 40);
      expect(await noticeOf()).toMatchObject({ due: false, stage: 'B', since: NOW - 50, notice: { attestationId: id } });
      expect(await dueMetric()).toBe(`oracle_notice_due{did="${DID}"} 0`);
    });

    it('an LCR under the C band above a hub stage B owes the C notice from the report, after the B one; a restart answers the same', async () => {
      await hubStages(stageLog(1n, 'B', NOW - 600, 3n));
      await postNotice(NOW - 590);
      expect(await noticeOf()).toMatchObject({ due: false, stage: 'B' });
      await attestBuyBack(NOW - 100, 2_000_000n, LCR_C);
      expect(await noticeOf()).toEqual({ due: true, stage: 'C', since: NOW - 100, stageSeq: '1', required: 'regulatory filing and temporary restrictions', pending: null });
      expect((await new RedemptionView(k.deps).noticeOf(DID)).notice).toMatchObject({ due: true, stage: 'C', since: NOW - 100 });
      expect(await dueMetric()).toBe(`oracle_notice_due{did="${DID}"} 1`);
    });

    it('a report left stale past the heartbeat raises B from asOf + heartbeat; nothing is due while it is fresh', async () => {
      const asOf = NOW - 86_400 + 10;
      await attestBuyBack(asOf, 5_000_000n, HEALTHY);
      expect(await noticeOf()).toEqual({ due: false, stage: 'A', since: asOf, notice: null });
      k.clock.now = BigInt(asOf + 86_400 + 1);
      expect(await noticeOf()).toMatchObject({ due: true, stage: 'B', since: asOf + 86_400, stageSeq: '0' });
    });
  });
});
