import type { Logger } from 'pino';
import { refHash, type DidHash } from '../../schemas/ids.js';
import { moveRequestSchema, type MoveRequest } from '../../schemas/http.js';
import { parserFor } from '../../schemas/validate.js';
import type { DestinationsPort } from '../../core/chain/destinations.js';
import type { AttestationRow } from '../store/attestations.js';
import type { MoveRow, MoveStore } from '../store/moves.js';
import type { MoveState } from '../store/schema.js';
import type { MoveLeg } from '../../core/attestation.js';
import { checkSettlementApplies } from '../../core/rules.js';
import type { OracleMetrics } from '../metrics.js';

export interface MoveMachineDeps {
  moves: MoveStore;
  destinations: DestinationsPort;
  metrics: OracleMetrics;
  logger: Logger;
  /** The stored out leg of a move (its nonce, request and DID hash). */
  outLeg(did: string, ref: string): AttestationRow | undefined;
  /** Issues (or finds, when already signed) one leg of a move; signers may refuse it (throws). */
  issueLeg(out: AttestationRow, body: MoveRequest, leg: Exclude<MoveLeg, 'out'>): Promise<AttestationRow>;
  nowMs: () => number;
  /** How long the in leg may be refused or unapplied, from the out leg applied, before the move is voided and returned. */
  inPatienceMs: number;
  /** A move unfinished this long after acceptance is stranded (alert). */
  deadlineMs: number;
}

const parseMove = parserFor<MoveRequest>(moveRequestSchema);

/**
 * The move loop's state machine. Every accepted move ends "arrived" or "returned":
 *
 *   accepted -> out_applied -> in_signed -> arrived
 *                     |             |
 *                     +-------------+--> void_signed -> return_signed -> returned
 *                                            |
 *                                            +--> arrived (the in leg applied before the void: the void reverts)
 *
 * The in leg is signed only once the to-chain would accept it now (the oracle's check here, and each signer's own);
 * while it is refused or signed but not applied, the move waits, up to `inPatienceMs` after the out leg applied. Past that it
 * is voided on the to-chain (kind 15, consumes the move there, so the in leg can never apply afterwards), and only
 * once the void is read applied there is the return (kind 16) signed for the from-chain. The state lives in SQLite
 * and every step is re-derived from the chains, so a pass after a crash resumes where the chains are.
 */
export class MoveMachine {
  constructor(private readonly d: MoveMachineDeps) {}

  /** One pass over the unfinished moves; returns the moves whose state changed. */
  async tick(): Promise<MoveRow[]> {
    const changed: MoveRow[] = [];
    for (const row of this.d.moves.unfinished()) {
      const log = this.d.logger.child({ did: row.did, ref: row.ref, state: row.state });
      try {
        const next = await this.step(row, log);
        if (next) {
          log.info({ next, reason: this.d.moves.get(row.did, row.ref)?.reason ?? undefined }, 'move state changed');
          changed.push({ ...row, state: next });
        }
      } catch (err) {
        this.d.metrics.refusals.inc({ code: 'move_step_failed' });
        log.warn({ err }, 'move step failed; retrying on the next pass');
      }
      this.alertIfStranded(row, log);
    }
    this.observe();
    return changed;
  }

  private async step(row: MoveRow, log: Logger): Promise<MoveState | undefined> {
    const out = this.d.outLeg(row.did, row.ref);
    if (!out) return undefined;
    const parsed = parseMove(JSON.parse(out.request));
    if (!parsed.ok) return undefined;
    const body = parsed.value;
    const did = out.didHash as DidHash;
    const moveRef = refHash(body.ref);
    const now = this.d.nowMs();
    const patient = now - (row.outAppliedAtMs ?? row.acceptedAtMs) < this.d.inPatienceMs;
    const go = (from: MoveState, to: MoveState, reason?: string | null) => (this.d.moves.advance(row.did, row.ref, from, to, now, reason) ? to : undefined);

    switch (row.state) {
      case 'accepted':
        if (!(await this.d.destinations.isApplied(body.fromChainId, did, BigInt(out.nonce)))) return undefined;
        return this.d.moves.outApplied(row.did, row.ref, now) ? 'out_applied' : undefined;
      case 'out_applied': {
        if (!patient) return this.voidMove(out, body, 'out_applied', row.reason ?? 'the in leg was not signed in time', log);
        const state = await this.d.destinations.holdingsState(body.toChainId, did, body.investor as `0x${string}`);
        const refusal = checkSettlementApplies('subscription', BigInt(body.amount), state);
        if (refusal) {
          this.d.moves.note(row.did, row.ref, `to-chain refuses the in leg now: ${refusal.code}`, now);
          return undefined;
        }
        try {
          await this.d.issueLeg(out, body, 'in');
        } catch (err) {
          this.d.moves.note(row.did, row.ref, `signers refuse the in leg now: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`, now);
          log.warn({ err }, 'in leg not signed');
          return undefined;
        }
        return go('out_applied', 'in_signed', null);
      }
      case 'in_signed': {
        const outcome = await this.d.destinations.moveOutcomeOf(body.toChainId, did, moveRef);
        if (outcome === 'arrived') return go('in_signed', 'arrived', null);
        if (patient) return undefined;
        return this.voidMove(out, body, 'in_signed', 'the in leg did not apply on the to-chain in time', log);
      }
      case 'void_signed': {
        const outcome = await this.d.destinations.moveOutcomeOf(body.toChainId, did, moveRef);
        if (outcome === 'arrived') return go('void_signed', 'arrived', 'the in leg applied before the void');
        if (outcome !== 'voided') return undefined;
        await this.d.issueLeg(out, body, 'return');
        return go('void_signed', 'return_signed');
      }
      case 'return_signed':
        return (await this.d.destinations.moveOutcomeOf(body.fromChainId, did, moveRef)) === 'returned' ? go('return_signed', 'returned') : undefined;
      default:
        return undefined;
    }
  }

  private async voidMove(out: AttestationRow, body: MoveRequest, from: MoveState, reason: string, log: Logger): Promise<MoveState | undefined> {
    await this.d.issueLeg(out, body, 'void');
    log.warn({ reason }, 'in leg cannot land: voiding the move on the to-chain, then returning the units');
    return this.d.moves.advance(out.did, body.ref, from, 'void_signed', this.d.nowMs(), reason) ? 'void_signed' : undefined;
  }

  private alertIfStranded(row: MoveRow, log: Logger): void {
    const now = this.d.nowMs();
    if (row.alertedAtMs !== null || now - row.acceptedAtMs < this.d.deadlineMs) return;
    const current = this.d.moves.get(row.did, row.ref);
    if (!current || current.state === 'arrived' || current.state === 'returned') return;
    this.d.moves.markAlerted(row.did, row.ref, now);
    log.error({ ageMs: now - row.acceptedAtMs, deadlineMs: this.d.deadlineMs, reason: current.reason }, 'move stranded past its deadline: units are on no chain');
  }

  /** Moves by state, the age of the oldest unfinished one and how many are past their deadline. */
  private observe(): void {
    const counts = this.d.moves.countsByState();
    this.d.metrics.moves.reset();
    for (const [state, n] of counts) this.d.metrics.moves.set({ state }, n);
    const now = this.d.nowMs();
    const open = this.d.moves.unfinished();
    this.d.metrics.moveOldestUnfinishedSeconds.set(open.length ? (now - open[0]!.acceptedAtMs) / 1000 : 0);
    this.d.metrics.movesStranded.set(open.filter((m) => now - m.acceptedAtMs >= this.d.deadlineMs).length);
  }
}
