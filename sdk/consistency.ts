import type { RedemptionStageName } from './freshness.js';
import type { ChainUnreachableError } from './errors.js';

/**
 * What one chain holds for a DID, flat, so that chains compare field by field. Values a chain has not got yet are
 * null (no NAV, DID not configured there). supplyCap and totalSupply are per chain by design (each chain's share of
 * the reserve, each chain's holders): reported, never compared.
 */
export interface ChainSnapshot {
  chainId: number;
  name: string;
  blockNumber: bigint;
  configured: boolean;
  navRound: bigint | null;
  navAnswer: bigint | null;
  navAsOf: bigint | null;
  navDecimals: number | null;
  tokenDecimals: number | null;
  heartbeat: bigint | null;
  maxMoveBps: number | null;
  threshold: number | null;
  /** Nonce of the newest DID config applied on the chain (the signer set, token and feed parameters). */
  configNonce: bigint | null;
  /** As-of time of the reserve attestation in force: the same reserve sets every chain's cap. */
  reserveAsOf: bigint | null;
  paused: boolean | null;
  /** Nonce of the newest pause decision applied (null: none ever). */
  pauseNonce: bigint | null;
  stage: RedemptionStageName | null;
  stageSeq: bigint | null;
  emergency: boolean | null;
  supplyCap: bigint | null;
  totalSupply: bigint | null;
}

export type SnapshotValue = bigint | number | boolean | string | null;

/** The fields that must agree on every chain, by the question they answer. */
export const COMPARED = {
  deployment: ['configured'],
  nav: ['navRound', 'navAnswer', 'navAsOf'],
  config: ['navDecimals', 'tokenDecimals', 'heartbeat', 'maxMoveBps', 'threshold', 'configNonce'],
  cap: ['reserveAsOf'],
  pause: ['paused', 'pauseNonce'],
  redemption: ['stage', 'stageSeq', 'emergency'],
} as const satisfies Record<string, readonly (keyof ChainSnapshot)[]>;

export type ComparedGroup = keyof typeof COMPARED;
export type ComparedField = (typeof COMPARED)[ComparedGroup][number];

export interface Difference {
  group: ComparedGroup;
  field: ComparedField;
  /** Every compared chain's value, in the reader's chain order. */
  values: { chainId: number; value: SnapshotValue }[];
}

export interface ConsistencyReport {
  did: string;
  /** True only when every chain answered and no compared field differs. */
  consistent: boolean;
  differences: Difference[];
  chains: ChainSnapshot[];
  /** Chains that did not answer: they are not compared, and make the report inconsistent. */
  unreachable: ChainUnreachableError[];
}

/**
 * The fields that differ between chains. `configured` compares every chain; the other fields compare the chains
 * where the DID is configured (a chain without the DID differs once, in `configured`, not in every field).
 */
export function diffSnapshots(chains: readonly ChainSnapshot[]): Difference[] {
  const differences: Difference[] = [];
  for (const [group, fields] of Object.entries(COMPARED) as [ComparedGroup, readonly ComparedField[]][]) {
    for (const field of fields) {
      const compared = field === 'configured' ? chains : chains.filter((c) => c.configured);
      const values = compared.map((c) => ({ chainId: c.chainId, value: c[field] as SnapshotValue }));
      const first = values[0];
      if (first !== undefined && values.some((v) => v.value !== first.value)) differences.push({ group, field, values });
    }
  }
  return differences;
}

export function consistencyReport(did: string, chains: ChainSnapshot[], unreachable: ChainUnreachableError[]): ConsistencyReport {
  const differences = diffSnapshots(chains);
  return { did, consistent: differences.length === 0 && unreachable.length === 0, differences, chains, unreachable };
}
