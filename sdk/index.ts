/** The reader SDK: typed reads of RWA DIDs on every chain of a deployment (docs/sdk.md). */
export { createRwaReader, type RwaReader, type RwaReaderOptions } from './reader.js';
export { createRwaReaderFromFile, type FromFileOptions } from './from-file.js';
export type { ChainInput } from './context.js';
export type { NavReading } from './nav.js';
export { freshnessOf, type Freshness, type FreshnessInput, type DoNotUseReason, type RedemptionStageName } from './freshness.js';
export type { ChainHolding, ChainSupply, SupplyReport } from './holdings.js';
export type { RedemptionStageView, RedemptionPolicyView, StageReason } from './redemption.js';
export type { DisclosureView, DisclosuresView } from './disclosures.js';
export { diffSnapshots, COMPARED, type ChainSnapshot, type ConsistencyReport, type Difference, type ComparedField, type ComparedGroup, type SnapshotValue } from './consistency.js';
export {
  SdkError,
  InvalidDeploymentError,
  InvalidInputError,
  UnknownDidError,
  UnknownChainError,
  ChainUnreachableError,
  ChainMismatchError,
  DidNotConfiguredError,
  ReadFailedError,
  type SdkErrorCode,
} from './errors.js';
