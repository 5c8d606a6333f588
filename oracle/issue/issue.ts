import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import { attestationId, decodeMessage, encodeMessage, type AttestationMessage } from '../../schemas/message.js';
import { QuorumUnavailableError, type BatchOutcome, type CommitteePort, type PackedSignatures, type Destination, type QuorumRequest } from '../../core/committee-port.js';
import type { AnySource } from '../../core/attestation.js';
import { OracleError } from '../../core/errors.js';
import type { AttestationRow, AttestationStore } from '../store/attestations.js';
import type { NewProposal, ProposalRow } from '../store/proposals.js';
import type { OracleMetrics } from '../metrics.js';
import type { DeployedChain } from '../../schemas/deployment.js';
import type { ScaledSignerSet } from './amount-line.js';

export interface IssueDeps {
  committee: CommitteePort;
  store: AttestationStore;
  metrics: OracleMetrics;
  logger: Logger;
  chain: (chainId: number) => DeployedChain | undefined;
}

export type IssueRow = Omit<AttestationRow, 'seq' | 'id' | 'message' | 'createdAt' | 'navValue' | 'asOf'> & { navValue?: string; asOf?: number };

/** The attestation columns a proposal keeps as JSON until it is completed. */
type RowRest = Pick<IssueRow, 'request' | 'submitter'> & { navValue: string | null; asOf: number | null };

/** How many times one request is proposed again at a fresh nonce when signers signed another message at its nonce. */
const MAX_REPROPOSALS = 3;

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

/**
 * The one way an attestation comes to exist. The exact message at its nonce is stored as a proposal before any
 * signer is asked; then the committee signs it for each destination chain and message and signatures are stored in
 * one transaction that also marks the proposal done. A request whose proposal is still open (a crash, a signer
 * timeout, a partial quorum) completes that proposal, message for message, instead of building a new one. Callers
 * hold the DID's lock and chose the nonce (AttestationStore.nextNonce).
 */
export async function issueAttestation(
  d: IssueDeps,
  message: AttestationMessage,
  source: AnySource,
  signerSet: ScaledSignerSet,
  chainIds: readonly bigint[],
  row: IssueRow,
): Promise<AttestationRow> {
  const open = d.store.proposals.openBySource(row.did, row.kind, row.sourceRef);
  if (open) {
    if (open.requestHash !== row.requestHash) {
      throw new OracleError('conflicting_repeat', `${row.sourceRef} is already proposed with a different body (nonce ${open.nonce})`, 'request');
    }
    d.logger.info({ did: open.did, nonce: open.nonce, kind: open.kind }, 'request repeated: completing its open proposal');
    // The same message; signed by the set the chains hold now (a rotation may have applied since it was proposed).
    return runProposal(d, open, signerSet);
  }
  const proposal = d.store.proposals.insert(newProposal(d, message, source, signerSet, chainIds, row));
  d.metrics.proposalsOpen.set(d.store.proposals.countOpen());
  return runProposal(d, proposal);
}

/** The proposal of a new message at its nonce (row.nonce): what is stored before any signer is asked. */
export function newProposal(
  d: Pick<IssueDeps, 'chain'>,
  message: AttestationMessage,
  source: AnySource,
  signerSet: ScaledSignerSet,
  chainIds: readonly bigint[],
  row: IssueRow,
): NewProposal {
  const destinations: Destination[] = [];
  for (const chainId of chainIds) {
    const chain = d.chain(Number(chainId));
    if (chain) destinations.push({ chainId, receiver: chain.receiver as Address });
  }
  const rest: RowRest = { request: row.request, submitter: row.submitter, navValue: row.navValue ?? null, asOf: row.asOf ?? null };
  const encoded = encodeMessage(message);
  return {
    didHash: row.didHash,
    nonce: row.nonce,
    did: row.did,
    kind: row.kind,
    sourceRef: row.sourceRef,
    requestHash: row.requestHash,
    id: attestationId(encoded),
    message: encoded,
    source: json(source),
    destinations: json(destinations),
    signerSet: json({ signers: signerSet.signers, threshold: signerSet.threshold, ...(signerSet.largeThreshold !== undefined ? { largeThreshold: signerSet.largeThreshold } : {}) }),
    row: json(rest),
    createdAt: new Date().toISOString(),
  };
}

/**
 * Completes a proposal; when signers refuse it because they signed another message at its nonce (a store restored
 * from a backup), closes it and proposes the same request again at the DID's next nonce, a few times at most.
 * Throws OracleError 503 `quorum_unavailable` when the round cannot complete now (the proposal stays open, or is
 * closed when signers refused it for good).
 */
export async function runProposal(
  d: IssueDeps,
  first: ProposalRow,
  signerSet?: { signers: readonly Address[]; threshold: number },
  firstOutcome?: Completion,
): Promise<AttestationRow> {
  let p = first;
  for (let round = 0; ; round += 1) {
    const outcome = round === 0 && firstOutcome ? firstOutcome : await completeProposal(d, p, signerSet);
    if (outcome.ok) return outcome.attestation;
    const err = outcome.error;
    const otherMessageAtNonce = err.impossible && err.refusals.length > 0 && err.refusals.every((c) => c === 'equivocation');
    if (!otherMessageAtNonce || round >= MAX_REPROPOSALS) {
      throw new OracleError('quorum_unavailable', err.impossible ? `signers refused this request (${err.message})` : err.message, undefined, { cause: err });
    }
    const nonce = d.store.nextNonce(p.didHash);
    const message: AttestationMessage = { ...decodeMessage(p.message as Hex), nonce: BigInt(nonce) };
    const encoded = encodeMessage(message);
    const now = new Date().toISOString();
    const { didHash, did, kind, sourceRef, requestHash, source, destinations, row } = p;
    p = d.store.proposals.insert({ didHash, did, kind, sourceRef, requestHash, source, destinations, signerSet: p.signerSet, row, nonce, id: attestationId(encoded), message: encoded, createdAt: now });
    d.metrics.proposals.inc({ outcome: 'reproposed', reason: 'equivocation' });
    d.logger.warn({ did: p.did, kind: p.kind, closedNonce: first.nonce, nonce }, 'signers hold another message at this nonce: request proposed again at the next nonce');
  }
}

export type Completion = { ok: true; attestation: AttestationRow } | { ok: false; error: QuorumUnavailableError };

/**
 * What the committee is asked for a stored proposal: its message, destinations and the set that must sign. A
 * settlement proposed above its chain's large-amount line keeps the line's threshold whatever set signs it now
 * (oracle/issue/amount-line.ts), and is marked so that it never goes in a batch root.
 */
export function quorumRequestOf(p: ProposalRow, signerSet?: { signers: readonly Address[]; threshold: number }): QuorumRequest {
  const message = decodeMessage(p.message as Hex);
  const destinations = (JSON.parse(p.destinations) as { chainId: string; receiver: Address }[]).map((x) => ({ chainId: BigInt(x.chainId), receiver: x.receiver }));
  const stored = JSON.parse(p.signerSet) as ScaledSignerSet;
  const set = signerSet ?? stored;
  const source = JSON.parse(p.source) as AnySource;
  if (stored.largeThreshold !== undefined) return { message, source, destinations, signers: set.signers, threshold: stored.largeThreshold, aboveLine: true };
  return { message, source, destinations, signers: set.signers, threshold: set.threshold };
}

/** Asks the committee for the stored message and stores the attestation; a failed round stays open or is closed. */
export async function completeProposal(d: IssueDeps, p: ProposalRow, signerSet?: { signers: readonly Address[]; threshold: number }): Promise<Completion> {
  let outcome: BatchOutcome;
  try {
    outcome = { ok: true, packed: await d.committee.sign(quorumRequestOf(p, signerSet)) };
  } catch (err) {
    if (!(err instanceof QuorumUnavailableError)) throw err;
    outcome = { ok: false, error: err };
  }
  return settleRound(d, p, outcome);
}

/**
 * Stores what the committee answered for a proposal: the attestation with its signatures, marking the proposal done;
 * or, without a quorum, the proposal closed (signers refused it for good) or left open for a retry or the sweep.
 */
export function settleRound(d: IssueDeps, p: ProposalRow, outcome: BatchOutcome): Completion {
  const log = d.logger.child({ attestationId: p.id, did: p.did, nonce: p.nonce, kind: p.kind });
  if (!outcome.ok) {
    const err = outcome.error;
    const at = new Date().toISOString();
    if (err.impossible) {
      const reason = [...new Set(err.refusals)].join(',');
      d.store.proposals.close(p.didHash, p.nonce, `signers refused: ${reason}`, at);
      d.metrics.proposals.inc({ outcome: 'closed', reason });
      d.metrics.proposalsOpen.set(d.store.proposals.countOpen());
      log.warn({ refusals: err.refusals }, 'proposal closed: signers refused it for good; its nonce is skipped');
    } else {
      d.store.proposals.attempted(p.didHash, p.nonce, at);
      d.metrics.proposals.inc({ outcome: 'stalled', reason: 'quorum_unavailable' });
      log.warn({ detail: err.message }, 'proposal stays open: quorum not reached yet');
    }
    return { ok: false, error: err };
  }
  const perChain = outcome.packed;
  const rest = JSON.parse(p.row) as RowRest;
  const full = { did: p.did, didHash: p.didHash, nonce: p.nonce, kind: p.kind, sourceRef: p.sourceRef, requestHash: p.requestHash, ...rest, id: p.id, message: p.message, createdAt: new Date().toISOString() };
  const seq = d.store.insert(full, deliveryRowsOf(perChain));
  d.metrics.attestations.inc({ kind: p.kind });
  d.metrics.proposals.inc({ outcome: 'completed', reason: '' });
  d.metrics.proposalsOpen.set(d.store.proposals.countOpen());
  log.info({ chains: perChain.map((c) => c.chainId), seq }, 'attestation signed');
  return { ok: true, attestation: { ...full, seq } };
}

/** The delivery rows of a quorum's per-chain signatures, with the batch root, proof and root signatures where sealed. */
export function deliveryRowsOf(perChain: readonly PackedSignatures[]) {
  return perChain.map(({ batch, ...c }) => ({ ...c, ...(batch ? { batchRoot: batch.root, batchProof: JSON.stringify(batch.proof), batchSignatures: batch.signatures } : {}) }));
}
