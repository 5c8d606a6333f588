import type { DidHash } from '../schemas/ids.js';
import type { AttestationMessage } from '../schemas/message.js';
import { sourceOf, type AnySource } from '../schemas/kinds/index.js';
import type { ConfigSnapshot } from '../schemas/kinds/config.js';
import type { NavRequest } from '../schemas/kinds/nav.js';
import type { SettlementRequest } from '../schemas/kinds/settlement.js';
import type { ReserveSource } from '../schemas/kinds/reserve.js';
import type { AllowListRequest } from '../schemas/kinds/allowlist.js';
import type { PauseRequest } from '../schemas/kinds/pause.js';
import type { DidRecord } from './chain/registry.js';

/**
 * The attestation a request becomes at a given nonce. The aggregator and every signer build it with the kind
 * modules' builders (schemas/kinds/), so a signer signs exactly the bytes the aggregator stores, without trusting
 * the aggregator's copy. Re-exported here for the oracle's call sites.
 */
export { settlementAttestation } from '../schemas/kinds/settlement.js';
export { navAttestation } from '../schemas/kinds/nav.js';
export { configAttestation, configRef } from '../schemas/kinds/config.js';
export { allowListAttestation, allowListEntries } from '../schemas/kinds/allowlist.js';
export { pauseAttestation } from '../schemas/kinds/pause.js';
export { reserveAttestation, type ReserveCaps } from '../schemas/kinds/reserve.js';
export { moveAttestation, moveLegChain, moveLegKind, moveSourceRef, type MoveLeg, type MoveSource } from '../schemas/kinds/move.js';
export type { AnySource } from '../schemas/kinds/index.js';

/** The hub registry's config of a DID as the oracle mirrors it to the receivers (what a config attestation says). */
export type RegistryConfigSnapshot = ConfigSnapshot;

/** The snapshot of a registry record: what the aggregator proposes and what a signer compares it with. */
export function configSnapshotOf(record: DidRecord): RegistryConfigSnapshot {
  return {
    did: record.did,
    threshold: record.threshold,
    navDecimals: record.navDecimals,
    tokenDecimals: record.tokenDecimals,
    heartbeat: record.heartbeat,
    maxNavMoveBps: record.maxNavMoveBps,
    signers: [...record.signers],
    name: record.name,
    symbol: record.symbol,
    signersValidUntil: record.signersValidUntil,
  };
}

/** Requests from custodians and NAV publishers. */
export type SourceRequest = { kind: 'settlement'; request: SettlementRequest } | { kind: 'nav'; request: NavRequest };

/** Requests behind the admin kinds: reserve from custodians, allow-list and pause from the DID's issuer, config from the hub registry. */
export type AdminSource = ReserveSource | { kind: 'allowlist'; request: AllowListRequest } | { kind: 'pause'; request: PauseRequest } | { kind: 'config'; request: RegistryConfigSnapshot };

/** The attestation of any source at a nonce: the builder of its kind module. */
export const attestationOf = (s: AnySource, did: DidHash, nonce: bigint): AttestationMessage => sourceOf(s.kind).build(s, did, nonce);

/** The request's idempotency key among the DID's attestations (settlement reference, NAV as-of, ...): its kind module's. */
export const sourceRefOf = (s: AnySource): string => sourceOf(s.kind).ref(s);
