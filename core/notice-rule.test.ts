import { describe, expect, it } from 'vitest';
import { floorSteps, noticeStatus, type AnchoredNotice, type FloorReport, type StageChange } from './notice-rule.js';

const T = 1_800_000_000;
const change = (stageSeq: number, stage: StageChange['stage'], since: number): StageChange => ({ stage, stageSeq: String(stageSeq), since });
const answered = (asOf: number) => ({ attestationId: `0x${asOf.toString(16)}`, asOf, uri: `https://issuer.example/notice/${asOf}` });
const notice = (asOf: number, applied = true): AnchoredNotice => ({ attestationId: `0x${asOf.toString(16)}`, asOf, uri: `https://issuer.example/notice/${asOf}`, applied });

describe('noticeStatus (issue 23, notices)', () => {
  it('owes nothing before any stage change and in stage A', () => {
    expect(noticeStatus([], [])).toEqual({ due: false, stage: null, since: null, notice: null });
    expect(noticeStatus([change(1, 'B', T), change(2, 'A', T + 100)], [])).toEqual({ due: false, stage: 'A', since: T + 100, notice: null });
  });

  it.each([
    ['B', 'public announcement and filing'],
    ['C', 'regulatory filing and temporary restrictions'],
  ] as const)('owes the stage %s notice (%s) from the change until one is anchored', (stage, required) => {
    expect(noticeStatus([change(1, stage, T)], [])).toEqual({ due: true, stage, since: T, stageSeq: '1', required, pending: null });
  });

  it('counts a notice whose asOf is at or after the change, not one from before it', () => {
    const stages = [change(1, 'B', T)];
    expect(noticeStatus(stages, [notice(T - 1)])).toMatchObject({ due: true, stage: 'B', since: T });
    expect(noticeStatus(stages, [notice(T - 1), notice(T)])).toEqual({ due: false, stage: 'B', since: T, notice: answered(T) });
    // The latest answering notice is the one shown.
    expect(noticeStatus(stages, [notice(T + 50), notice(T + 10)])).toMatchObject({ due: false, notice: { asOf: T + 50 } });
  });

  it('a notice signed but not yet applied on every chain leaves it due, naming the pending one', () => {
    const stages = [change(1, 'B', T)];
    expect(noticeStatus(stages, [notice(T + 5, false)])).toEqual({ due: true, stage: 'B', since: T, stageSeq: '1', required: 'public announcement and filing', pending: notice(T + 5).attestationId });
    // An applied one answers even while a later one is on its way.
    expect(noticeStatus(stages, [notice(T + 9, false), notice(T + 5)])).toMatchObject({ due: false, notice: { asOf: T + 5 } });
  });

  it('asks again when the stage rises to C, or falls from C to B, after a notice', () => {
    const bThenC = [change(1, 'B', T), change(2, 'C', T + 600)];
    expect(noticeStatus(bThenC, [notice(T + 10)])).toEqual({ due: true, stage: 'C', since: T + 600, stageSeq: '2', required: 'regulatory filing and temporary restrictions', pending: null });
    expect(noticeStatus(bThenC, [notice(T + 10), notice(T + 700)])).toMatchObject({ due: false, stage: 'C' });
    const cThenB = [change(1, 'C', T), change(2, 'B', T + 900)];
    expect(noticeStatus(cThenB, [notice(T + 10)])).toMatchObject({ due: true, stage: 'B', since: T + 900, stageSeq: '2' });
  });

  it('a change of reason within the same stage is no new stage: the notice given at entry still answers', () => {
    // C by threshold, then C by the issuer's emergency flag (a new stageSeq, same stage).
    const stages = [change(1, 'A', T - 1000), change(2, 'C', T), change(3, 'C', T + 300)];
    expect(noticeStatus(stages, [notice(T + 5)])).toEqual({ due: false, stage: 'C', since: T, notice: answered(T + 5) });
    expect(noticeStatus(stages, [])).toMatchObject({ due: true, since: T, stageSeq: '2' });
  });

  it('orders changes by stageSeq as integers, whatever order the store gave them in', () => {
    const stages = [change(10, 'B', T + 1000), change(9, 'A', T + 500), change(2, 'C', T)];
    expect(noticeStatus(stages, [])).toMatchObject({ due: true, stage: 'B', stageSeq: '10', since: T + 1000 });
  });

  describe('the liquidity floor of the buy-back reports raises the stage (RwaRedemptions effectiveStageOf)', () => {
    const HB = 86_400;
    const report = (asOf: number, fresh: FloorReport['fresh'], stale: FloorReport['stale'] = 'B'): FloorReport => ({ asOf, fresh, stale });
    const floor = (reports: FloorReport[], now = T + 1_000) => ({ reports, heartbeat: HB, now });

    it('a report whose floor is B (pool below the share, LCR under the B band) owes the stage B notice from its asOf, with no hub change at all', () => {
      expect(noticeStatus([], [], floor([report(T, 'B')]))).toEqual({ due: true, stage: 'B', since: T, stageSeq: '0', required: 'public announcement and filing', pending: null });
      expect(noticeStatus([], [notice(T - 1)], floor([report(T, 'B')]))).toMatchObject({ due: true, since: T });
      expect(noticeStatus([], [notice(T + 1)], floor([report(T, 'B')]))).toEqual({ due: false, stage: 'B', since: T, notice: answered(T + 1) });
    });

    it('a floor at C (LCR under the C band) above a hub stage B owes the stage C notice from the report, after the B one', () => {
      const hubB = [change(1, 'B', T - 500)];
      const s = noticeStatus(hubB, [notice(T - 400)], floor([report(T - 600, 'A'), report(T, 'C')]));
      expect(s).toEqual({ due: true, stage: 'C', since: T, stageSeq: '1', required: 'regulatory filing and temporary restrictions', pending: null });
    });

    it('a floor below or equal to the hub stage changes nothing; later reports keeping the floor asks no new notice', () => {
      expect(noticeStatus([change(1, 'C', T)], [notice(T + 1)], floor([report(T + 10, 'B')]))).toMatchObject({ due: false, stage: 'C', since: T });
      const keptB = floor([report(T, 'B'), report(T + 3_600, 'B'), report(T + 7_200, 'B')], T + 8_000);
      expect(noticeStatus([], [notice(T + 5)], keptB)).toMatchObject({ due: false, stage: 'B', since: T });
      // The hub reaching B while the floor already holds B is no new stage either.
      expect(noticeStatus([change(1, 'B', T + 4_000)], [notice(T + 5)], keptB)).toMatchObject({ due: false, stage: 'B', since: T });
    });

    it('a stale report (no newer one within the heartbeat) raises B from asOf + heartbeat; a fresh report ends it', () => {
      const one = [report(T, 'A', 'B')];
      expect(noticeStatus([], [], floor(one, T + HB))).toEqual({ due: false, stage: 'A', since: T, notice: null });
      expect(noticeStatus([], [], floor(one, T + HB + 1))).toMatchObject({ due: true, stage: 'B', since: T + HB, stageSeq: '0' });
      expect(noticeStatus([], [], floor([...one, report(T + HB + 50, 'A')], T + HB + 60))).toEqual({ due: false, stage: 'A', since: T + HB + 50, notice: null });
      // The issuer's staleFloor off: stale stays A.
      expect(noticeStatus([], [], floor([report(T, 'A', 'A')], T + 2 * HB))).toMatchObject({ due: false, stage: 'A' });
    });

    it('floorSteps applies reports by asOf, drops a superseded one, and marks the stale gaps', () => {
      expect(floorSteps({ reports: [report(T + 10, 'B'), report(T, 'C'), report(T + 10, 'C')], heartbeat: 5, now: T + 100 })).toEqual([
        { stage: 'C', since: T },
        { stage: 'B', since: T + 5 },
        { stage: 'B', since: T + 10 },
        { stage: 'B', since: T + 15 },
      ]);
    });
  });
});
