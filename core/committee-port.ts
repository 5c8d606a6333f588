import type { Address, Hex } from 'viem';
import type { AttestationMessage } from '../schemas/message.js';
import type { AnySource } from './attestation.js';
import { RwaError } from '../common/errors.js';

/** Where an attestation goes: the EIP-712 domain of that chain's receiver. */
export interface Destination {
  chainId: bigint;
  receiver: Address;
}

export interface QuorumRequest {
  message: AttestationMessage;
  /** The request the message was built from (config: the registry snapshot); remote signers re-check it on their own. */
  source: AnySource;
  destinations: readonly Destination[];
  /**
   * The set that must sign and its threshold: the DID's, as the hub registry has them now; for a config the
   * governance set (first config) or the set of the last attested config, which the chains hold.
   */
  signers: readonly Address[];
  threshold: number;
  /**
   * A settlement above its destination chain's large-amount line (kind 14): `threshold` is the line's, and the
   * message is never put in a batch root (RwaReceiver.receiveBatch refuses it).
   */
  aboveLine?: boolean;
}

/** Exactly `threshold` 65-byte signatures for one chain, by strictly increasing signer address. */
export interface PackedSignatures {
  chainId: number;
  receiver: Address;
  signatures: Hex;
  /** Set when the committee also signed this message in a batch root for this chain (RwaReceiver.receiveBatch). */
  batch?: BatchSeal;
}

/** A message's place in a batch root: the root, its proof (core/batch-tree.ts) and the root's packed quorum. */
export interface BatchSeal {
  root: Hex;
  proof: Hex[];
  /** Exactly `threshold` signatures over AttestationBatch{did, root} in this chain's domain, ascending signer. */
  signatures: Hex;
}

/** One proposal's outcome in a batch: its packed quorums, or why it has none (the others are not affected). */
export type BatchOutcome = { ok: true; packed: PackedSignatures[] } | { ok: false; error: QuorumUnavailableError };

/**
 * How the aggregator gets committee signatures: from keys it holds (dev / single process) or from independent
 * signer processes. Either returns one packed quorum per destination or throws QuorumUnavailableError.
 */
export interface CommitteePort {
  sign(req: QuorumRequest): Promise<PackedSignatures[]>;
  /**
   * Several proposals in one round (group commit): one call to each signer, each proposal answered on its own. A
   * port without it is asked proposal by proposal.
   */
  signBatch?(reqs: readonly QuorumRequest[]): Promise<BatchOutcome[]>;
  /** What to log at boot: held addresses or signer URLs. */
  describe(): { mode: 'local'; addresses: readonly Address[] } | { mode: 'remote'; urls: readonly string[] };
}

/**
 * Fewer than `threshold` valid signatures for some chain. Retryable (signers may come back) unless `impossible`:
 * so many signers refused this very message for good (4xx: another message at this nonce, the request signed at
 * another nonce, a rule) that the rest cannot reach the threshold; `refusals` are their error codes.
 */
export class QuorumUnavailableError extends RwaError<'quorum_unavailable'> {
  override readonly name = 'QuorumUnavailableError';
  readonly refusals: readonly string[];
  readonly impossible: boolean;

  constructor(message: string, opts: { refusals?: readonly string[]; impossible?: boolean } = {}) {
    super(message, { code: 'quorum_unavailable', retryable: !(opts.impossible ?? false), details: { refusals: opts.refusals ?? [] } });
    this.refusals = opts.refusals ?? [];
    this.impossible = opts.impossible ?? false;
  }
}

/** Signer refusals that no retry of the same message changes (a 401, 429 or 5xx may). */
export const DEFINITIVE_REFUSAL_STATUSES: ReadonlySet<number> = new Set([400, 403, 404, 409, 422]);
