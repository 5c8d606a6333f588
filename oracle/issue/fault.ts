import type { BatchOutcome, CommitteePort, PackedSignatures, QuorumRequest } from '../../core/committee-port.js';

/**
 * Fault injection for the crash tests (dev mode only, ORACLE_FAULT=step[:kind]): the oracle kills itself at one
 * step of a signing round, for one attestation kind or any:
 * - before_ask: the proposal is stored, no signer asked yet;
 * - after_one_signer: one signer answered with valid signatures (remote committee only);
 * - after_threshold: the committee has a quorum, nothing stored yet;
 * - before_answer: the attestation is stored, the HTTP answer not sent.
 */
export const FAULT_STEPS = ['before_ask', 'after_one_signer', 'after_threshold', 'before_answer'] as const;
export type FaultStep = (typeof FAULT_STEPS)[number];

export interface FaultSpec {
  step: FaultStep;
  /** A committee sign-request kind (settlement, nav, move, reserve, config, ...); absent = every kind. */
  kind?: string;
}

/** Parses `step` or `step:kind`; undefined when unset; throws on an unknown step. */
export function parseFault(value: string | undefined): FaultSpec | undefined {
  if (value === undefined || value === '') return undefined;
  const [step, kind] = value.split(':');
  if (!(FAULT_STEPS as readonly string[]).includes(step ?? '')) throw new Error(`ORACLE_FAULT step must be one of ${FAULT_STEPS.join(', ')}`);
  return { step: step as FaultStep, ...(kind ? { kind } : {}) };
}

/** The hook the round calls at each step: runs `act` (dev: SIGKILL itself) where the spec matches. */
export type FaultHook = (step: FaultStep, kind: string) => void;

export function faultHook(spec: FaultSpec | undefined, act: () => void): FaultHook {
  return (step, kind) => {
    if (spec && spec.step === step && (spec.kind === undefined || spec.kind === kind)) act();
  };
}

/** The committee with the before_ask and after_threshold hooks around each round (a batch: around each of its proposals). */
export function faultyCommittee(inner: CommitteePort, hit: FaultHook): CommitteePort {
  const batch = inner.signBatch?.bind(inner);
  return {
    describe: () => inner.describe(),
    ...(batch
      ? {
          async signBatch(reqs: readonly QuorumRequest[]): Promise<BatchOutcome[]> {
            for (const req of reqs) hit('before_ask', req.source.kind);
            const outcomes = await batch(reqs);
            outcomes.forEach((o, i) => o.ok && hit('after_threshold', reqs[i]!.source.kind));
            return outcomes;
          },
        }
      : {}),
    async sign(req: QuorumRequest): Promise<PackedSignatures[]> {
      hit('before_ask', req.source.kind);
      const packed = await inner.sign(req);
      hit('after_threshold', req.source.kind);
      return packed;
    },
  };
}

/** Attestation kinds stored as settlements are sent to signers as `move` when their reference is a move leg's. */
export const storedKindOf = (kind: string, sourceRef: string): string => (kind === 'settlement' && sourceRef.startsWith('move:') ? 'move' : kind);
