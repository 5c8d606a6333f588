import { getAddress, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import type { Logger } from 'pino';
import type { MoveRequest } from '../../schemas/http.js';
import { type DidHash } from '../../schemas/ids.js';
import type { KeyedMutex } from '../../common/mutex.js';
import type { DidRecord, RegistryPort } from '../../core/chain/registry.js';
import type { DestinationsPort } from '../../core/chain/destinations.js';
import type { CommitteePort } from '../../core/committee-port.js';
import { moveAttestation, moveLegChain, moveLegKind, moveSourceRef, type MoveLeg, type MoveSource } from '../../core/attestation.js';
import type { MoveRow, MoveStore } from '../store/moves.js';
import { MoveMachine } from '../mirror/move-machine.js';
import type { MoveState } from '../store/schema.js';
import { recoverMoveSigner } from '../../core/custodian-auth.js';
import { issueAttestation, type IssueDeps } from '../issue/issue.js';
import { OracleError } from '../../core/errors.js';
import { checkAmount, checkSettlementApplies, type Refusal } from '../../core/rules.js';
import { PendingReservations } from '../issue/pending.js';
import type { AttestationRow, AttestationStore } from '../store/attestations.js';
import type { OracleMetrics } from '../metrics.js';
import { signerSetOnChains } from './settlement-service.js';
import { scaleForAmount } from '../issue/amount-line.js';
import { readChain, recoveredSigner, registeredDid, requireRole } from '../../core/guards.js';

export interface MoveDeps {
  registry: Pick<RegistryPort, 'getDid' | 'isCustodian'>;
  registryAddress: Address;
  hubChainId: bigint;
  destinations: DestinationsPort;
  committee: CommitteePort;
  store: AttestationStore;
  moves: MoveStore;
  metrics: OracleMetrics;
  logger: Logger;
  /** Shared with the other services: one lock per DID for every kind, so nonces never collide. */
  lock: KeyedMutex;
  now: () => bigint;
  /** Move loop timing (oracle/mirror/move-machine.ts); defaults: 10 minutes of patience for the in leg, 30 minutes deadline. */
  inPatienceMs?: number;
  deadlineMs?: number;
  nowMs?: () => number;
}

/** `queued`: a leg the chain's brakes queued (its nonce used, applied when the queue drains; docs/brakes.md). */
export type LegState = 'applied' | 'queued' | 'pending' | 'unknown';

export interface MoveLegView {
  id: string;
  nonce: string;
  chainId: number;
  state: LegState;
}

export interface MoveView {
  did: string;
  ref: string;
  investor: string;
  amount: string;
  fromChainId: number;
  toChainId: number;
  /** accepted, out_applied, in_signed, arrived; or void_signed, return_signed, returned (oracle/mirror/move-machine.ts). */
  state: MoveState;
  /** Why the in leg is waiting, or why the move was returned. */
  reason: string | null;
  acceptedAt: string;
  out: MoveLegView;
  /** Absent until the out leg applied on the from-chain and the move loop issued the in leg. */
  in: MoveLegView | null;
  /** The void on the to-chain (kind 15), once the in leg could not land in time. */
  void: MoveLegView | null;
  /** The return to the from-chain (kind 16), once the void applied. */
  return: MoveLegView | null;
}

const refuse = (r: Refusal | undefined) => {
  if (r) throw new OracleError(r.code, r.message, r.field);
};

/** What the request hash covers: the signed instruction with a checksummed investor, not the signature bytes. */
const requestHashOf = (body: MoveRequest): Hex =>
  keccak256(stringToBytes(JSON.stringify({ did: body.did, ref: body.ref, investor: getAddress(body.investor), amount: body.amount, fromChainId: body.fromChainId, toChainId: body.toChainId })));

/**
 * Cross-chain moves signed by a custodian: the investor's units are burned on the from-chain (settlement kind
 * moveOut) and minted on the to-chain (moveIn), so the total over all chains never changes. The out leg is issued
 * on request; the in leg only by `tick()` once the out leg's nonce is used on the from-chain, so the to-chain's
 * supply never runs ahead of the burn (which would let supply exceed the reserve for a while).
 */
export class MoveService {
  private readonly machine: MoveMachine;
  private readonly pending: PendingReservations;

  constructor(private readonly d: MoveDeps) {
    this.pending = new PendingReservations(d);
    this.machine = new MoveMachine({
      moves: d.moves,
      destinations: d.destinations,
      metrics: d.metrics,
      logger: d.logger,
      outLeg: (did, ref) => d.store.findBySource(did, 'settlement', moveSourceRef(ref, 'out')),
      inLeg: (did, ref) => d.store.findBySource(did, moveLegKind('in'), moveSourceRef(ref, 'in')),
      issueLeg: (out, body, leg) => this.issueLeg(out, body, leg),
      nowMs: d.nowMs ?? (() => Date.now()),
      inPatienceMs: d.inPatienceMs ?? 600_000,
      deadlineMs: d.deadlineMs ?? 1_800_000,
    });
  }

  /**
   * One pass of the move loop: out legs stored without a move row (a crash between the two writes, or moves from
   * before the table) get one, then every unfinished move takes its next step. Returns the moves that changed.
   */
  async tick(): Promise<MoveRow[]> {
    for (const out of this.d.store.movesAwaitingIn()) {
      const ref = out.sourceRef.slice('move:'.length, -':out'.length);
      this.d.moves.accept(out.did, ref, Date.parse(out.createdAt));
    }
    return this.machine.tick();
  }

  private get issue(): IssueDeps {
    return { committee: this.d.committee, store: this.d.store, metrics: this.d.metrics, logger: this.d.logger, chain: (id) => this.d.destinations.get(id) };
  }


  private enabled(record: DidRecord, chainId: number): boolean {
    return record.chainIds.includes(BigInt(chainId)) && this.d.destinations.get(chainId) !== undefined;
  }

  async submitMove(body: MoveRequest): Promise<{ created: boolean; move: MoveView }> {
    const { hash, record } = await registeredDid(this.d.registry, body.did);
    const signer = await recoveredSigner(recoverMoveSigner({ hubChainId: this.d.hubChainId, registry: this.d.registryAddress }, body));
    await requireRole(this.d.registry, { hash, record }, 'custodian', signer);
    if (body.fromChainId === body.toChainId) throw new OracleError('same_chain', 'fromChainId and toChainId must differ', 'toChainId');
    for (const field of ['fromChainId', 'toChainId'] as const) {
      if (!this.enabled(record, body[field])) throw new OracleError('chain_not_enabled', `chain ${body[field]} is not enabled for ${body.did}`, field);
    }
    const amount = BigInt(body.amount);
    refuse(checkAmount(amount));
    const requestHash = requestHashOf(body);
    const outRef = moveSourceRef(body.ref, 'out');

    const existing = this.d.store.findBySource(body.did, 'settlement', outRef);
    if (existing) return { created: false, move: await this.view(this.repeat(existing, requestHash)) };

    const investor = getAddress(body.investor);
    const readHoldings = () =>
      Promise.all(
        [body.fromChainId, body.toChainId].map((chainId) => readChain(`holdings on chain ${chainId}`, () => this.d.destinations.holdingsState(chainId, hash, investor))),
      );
    const [from, to] = await readHoldings();
    // The out leg is a burn like a redemption on the from-chain, the in leg a mint like a subscription on the to-chain.
    refuse(relabel(checkSettlementApplies('redemption', amount, from!), 'fromChainId'));
    refuse(relabel(checkSettlementApplies('subscription', amount, to!), 'toChainId'));

    const row = await this.d.lock.run(hash, async () => {
      const again = this.d.store.findBySource(body.did, 'settlement', outRef);
      if (again) return { created: false, row: this.repeat(again, requestHash) };
      // Under the lock, what is signed and not yet applied reserves holdings and cap (oracle/issue/pending.ts); when the
      // chains' nonces had to be read, the holdings are read again after them (never counted zero times).
      const [out, into] = await readChain('applied nonces on the chains of the move', () =>
        Promise.all([
          this.pending.settlements(body.did, hash, body.fromChainId, investor, (r) => !checkSettlementApplies('redemption', amount, from!, r), outRef),
          this.pending.settlements(body.did, hash, body.toChainId, investor, (r) => !checkSettlementApplies('subscription', amount, to!, r), outRef),
        ]),
      );
      const [fromNow, toNow] = out!.refined || into!.refined ? await readHoldings() : [from, to];
      refuse(relabel(checkSettlementApplies('redemption', amount, fromNow!, out!.reserved), 'fromChainId'));
      refuse(relabel(checkSettlementApplies('subscription', amount, toNow!, into!.reserved), 'toChainId'));
      const nonce = this.d.store.nextNonce(hash);
      const source: MoveSource = { kind: 'move', request: body, leg: 'out', settledAt: Number(this.d.now()) };
      const attestation = await issueAttestation(this.issue, moveAttestation(body, 'out', source.settledAt, hash, BigInt(nonce)), source, scaleForAmount(this.d.store, body.did, body.fromChainId, BigInt(body.amount), signerSetOnChains(this.d.store, record)), [BigInt(body.fromChainId)], {
        did: body.did,
        didHash: hash,
        nonce,
        kind: 'settlement',
        sourceRef: outRef,
        requestHash,
        request: JSON.stringify(body),
        submitter: signer,
      });
      this.d.moves.accept(body.did, body.ref, (this.d.nowMs ?? Date.now)());
      return { created: true, row: attestation };
    });
    return { created: row.created, move: await this.view(row.row) };
  }

  private repeat(existing: AttestationRow, requestHash: Hex): AttestationRow {
    if (existing.requestHash !== requestHash) {
      throw new OracleError('conflicting_repeat', `ref was already used with a different body (attestation ${existing.id})`, 'ref');
    }
    return existing;
  }

  /** A move by DID and ref, with both legs' attestation ids and whether their chains applied them. */
  async status(did: string, ref: string): Promise<MoveView> {
    const out = this.d.store.findBySource(did, 'settlement', moveSourceRef(ref, 'out'));
    if (!out) throw new OracleError('unknown_move', `no move ${ref} for ${did}`, 'ref');
    return this.view(out);
  }

  private async view(out: AttestationRow): Promise<MoveView> {
    const body = JSON.parse(out.request) as MoveRequest;
    const leg = async (l: Exclude<MoveLeg, 'out'>) => {
      const row = this.d.store.findBySource(out.did, moveLegKind(l), moveSourceRef(body.ref, l));
      return row ? this.legView(row, moveLegChain(body, l)) : null;
    };
    // A move accepted before the moves table existed, or whose row was lost in a crash after the out leg was stored.
    this.d.moves.accept(out.did, body.ref, Date.parse(out.createdAt));
    const move = this.d.moves.get(out.did, body.ref)!;
    return {
      did: body.did,
      ref: body.ref,
      investor: getAddress(body.investor),
      amount: body.amount,
      fromChainId: body.fromChainId,
      toChainId: body.toChainId,
      state: move.state,
      reason: move.reason,
      acceptedAt: new Date(move.acceptedAtMs).toISOString(),
      out: await this.legView(out, body.fromChainId),
      in: await leg('in'),
      void: await leg('void'),
      return: await leg('return'),
    };
  }

  private async legView(row: AttestationRow, chainId: number): Promise<MoveLegView> {
    let state: LegState;
    try {
      state = await this.d.destinations.settlementState(chainId, row.didHash as DidHash, BigInt(row.nonce));
    } catch (err) {
      this.d.logger.warn({ err, chainId, attestationId: row.id }, 'chain unreachable for move status');
      state = 'unknown';
    }
    return { id: row.id, nonce: String(row.nonce), chainId, state };
  }

  /** Issues one later leg of a move under the DID's lock with its next nonce, or returns the one already signed. */
  async issueLeg(out: AttestationRow, body: MoveRequest, leg: Exclude<MoveLeg, 'out'>): Promise<AttestationRow> {
    const { hash, record } = await registeredDid(this.d.registry, out.did);
    const ref = moveSourceRef(body.ref, leg);
    const kind = moveLegKind(leg);
    const chainId = moveLegChain(body, leg);
    return this.d.lock.run(hash, async () => {
      const existing = this.d.store.findBySource(out.did, kind, ref);
      if (existing) return existing;
      const nonce = this.d.store.nextNonce(hash);
      const source: MoveSource = { kind: 'move', request: body, leg, settledAt: Number(this.d.now()), outNonce: String(out.nonce) };
      // The in leg is a settlement (mint) and meets the to-chain's amount line; void and return are not settlements.
      const set = signerSetOnChains(this.d.store, record);
      const signerSet = kind === 'settlement' ? scaleForAmount(this.d.store, out.did, chainId, BigInt(body.amount), set) : set;
      const row = await issueAttestation(this.issue, moveAttestation(body, leg, source.settledAt, hash, BigInt(nonce)), source, signerSet, [BigInt(chainId)], {
        did: out.did,
        didHash: hash,
        nonce,
        kind,
        sourceRef: ref,
        requestHash: out.requestHash,
        request: out.request,
        submitter: out.submitter,
      });
      this.d.logger.info({ did: out.did, ref: body.ref, leg, attestationId: row.id, nonce: row.nonce, chainId }, 'move leg issued');
      return row;
    });
  }
}

/** Chain-level refusals name the chain the move reads (`chainId` in the settlement rules). */
function relabel(r: Refusal | undefined, chainField: 'fromChainId' | 'toChainId'): Refusal | undefined {
  return r && r.field === 'chainId' ? { ...r, field: chainField } : r;
}
