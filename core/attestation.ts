import { getAddress, keccak256, stringToBytes, zeroHash, type Hex } from 'viem';
import type { ConfigSnapshot } from '../schemas/committee.js';
import type { AllowListRequest, MoveRequest, NavRequest, PauseRequest, ReserveRequest, SettlementRequest } from '../schemas/http.js';
import { refHash, type DidHash } from '../schemas/ids.js';
import type { AttestationMessage } from '../schemas/message.js';
import type { DidRecord } from './chain/registry.js';
import { redemptionAttestationOf, redemptionSourceRefOf, type RedemptionSource } from './redemption-attestation.js';
import { quorumAttestationOf, quorumRef, type QuorumSource } from './quorum-attestation.js';

/**
 * The attestation a request becomes at a given nonce. The aggregator and every signer build it with these
 * functions, so a signer signs exactly the bytes the aggregator stores, without trusting the aggregator's copy.
 */
export function settlementAttestation(body: SettlementRequest, did: DidHash, nonce: bigint): AttestationMessage {
  return {
    kind: 'settlement',
    did,
    nonce,
    settlementKind: body.kind,
    settlementRef: refHash(body.settlementRef),
    investor: getAddress(body.investor),
    amount: BigInt(body.amount),
    cashLegRef: body.cashLegRef as Hex,
    settledAt: BigInt(body.settledAt),
    peerChainId: 0n,
  };
}

export function navAttestation(body: NavRequest, did: DidHash, nonce: bigint): AttestationMessage {
  return { kind: 'nav', did, nonce, nav: BigInt(body.nav), asOf: BigInt(body.asOf) };
}

/**
 * Which leg of a cross-chain move: the burn on the from-chain, the mint on the to-chain after the burn applied; or,
 * when the mint cannot land, the void on the to-chain (kind 15: the in leg can never apply after it) and the return
 * to the from-chain (kind 16: mints the burned units back, signed only once the void applied).
 */
export type MoveLeg = 'out' | 'in' | 'void' | 'return';

/**
 * One leg of a custodian's move as the committee signs it: `settledAt` is the aggregator's clock when it issued the
 * leg (unix seconds); an in leg names the DID nonce of its out leg, which must be used on the from-chain first.
 */
export type MoveSource = { kind: 'move'; request: MoveRequest; leg: 'out'; settledAt: number } | { kind: 'move'; request: MoveRequest; leg: 'in' | 'void' | 'return'; settledAt: number; outNonce: string };

/**
 * A move leg is an ordinary settlement to one chain: moveOut burns on the from-chain (peer = to-chain), moveIn mints
 * on the to-chain (peer = from-chain). Both carry keccak256(ref) as settlement reference and no cash leg.
 */
export function moveAttestation(body: MoveRequest, leg: MoveLeg, settledAt: number, did: DidHash, nonce: bigint): AttestationMessage {
  if (leg === 'void' || leg === 'return') {
    return {
      kind: leg === 'void' ? 'moveVoid' : 'moveReturn',
      did,
      nonce,
      moveRef: refHash(body.ref),
      investor: getAddress(body.investor),
      amount: BigInt(body.amount),
      peerChainId: BigInt(leg === 'void' ? body.fromChainId : body.toChainId),
    };
  }
  return {
    kind: 'settlement',
    did,
    nonce,
    settlementKind: leg === 'out' ? 'moveOut' : 'moveIn',
    settlementRef: refHash(body.ref),
    investor: getAddress(body.investor),
    amount: BigInt(body.amount),
    cashLegRef: zeroHash,
    settledAt: BigInt(settledAt),
    peerChainId: BigInt(leg === 'out' ? body.toChainId : body.fromChainId),
  };
}

/** The chain a move leg is signed for: the from-chain for the out leg and the return, the to-chain for the in leg and the void. */
export const moveLegChain = (body: MoveRequest, leg: MoveLeg): number => (leg === 'out' || leg === 'return' ? body.fromChainId : body.toChainId);

/** The kind a move leg is stored and fed under. */
export const moveLegKind = (leg: MoveLeg): 'settlement' | 'moveVoid' | 'moveReturn' => (leg === 'void' ? 'moveVoid' : leg === 'return' ? 'moveReturn' : 'settlement');

/** The idempotency key of a move leg among the DID's settlements (oracle store) and signed messages (signers). */
export const moveSourceRef = (ref: string, leg: MoveLeg): string => `move:${ref}:${leg}`;

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
  };
}

export function configAttestation(snapshot: RegistryConfigSnapshot, did: DidHash, nonce: bigint): AttestationMessage {
  return {
    kind: 'config',
    did,
    nonce,
    threshold: snapshot.threshold,
    navDecimals: snapshot.navDecimals,
    tokenDecimals: snapshot.tokenDecimals,
    heartbeat: snapshot.heartbeat,
    maxNavMoveBps: snapshot.maxNavMoveBps,
    signers: snapshot.signers as `0x${string}`[],
    name: snapshot.name,
    symbol: snapshot.symbol,
  };
}

/** The issuer's entries with checksummed accounts: what the message carries and what the request hash covers. */
export const allowListEntries = (body: AllowListRequest) => body.entries.map((e) => ({ account: getAddress(e.account), allowed: e.allowed }));

export function allowListAttestation(body: AllowListRequest, did: DidHash, nonce: bigint): AttestationMessage {
  return { kind: 'allowlist', did, nonce, entries: allowListEntries(body) };
}

export function pauseAttestation(body: PauseRequest, did: DidHash, nonce: bigint): AttestationMessage {
  return { kind: 'pause', did, nonce, paused: body.paused };
}

/**
 * Per-chain supply caps and assumed ceilings (the higher of the chain's supply and cap in force) as they travel between
 * aggregator and signers (token base units as decimal strings).
 */
export type ReserveCaps = { chainId: number; cap: string; ceiling: string }[];

/** A reserve report with the caps the aggregator split it into, in that order. */
export function reserveAttestation(body: ReserveRequest, caps: ReserveCaps, did: DidHash, nonce: bigint): AttestationMessage {
  return { kind: 'reserve', did, nonce, reserve: BigInt(body.reserve), asOf: BigInt(body.asOf), caps: caps.map((c) => ({ chainId: BigInt(c.chainId), cap: BigInt(c.cap), ceiling: BigInt(c.ceiling) })) };
}

/**
 * The original request the committee is asked to attest, tagged by kind (what a remote signer re-checks).
 * Settlements, NAV and reserve come from custodians / NAV publishers, allow-list and pause from the DID's issuer,
 * config from the hub registry itself.
 */
export type SourceRequest = { kind: 'settlement'; request: SettlementRequest } | { kind: 'nav'; request: NavRequest };

/** Requests behind the admin kinds. */
export type AdminSource =
  | { kind: 'reserve'; request: ReserveRequest; caps: ReserveCaps }
  | { kind: 'allowlist'; request: AllowListRequest }
  | { kind: 'pause'; request: PauseRequest }
  | { kind: 'config'; request: RegistryConfigSnapshot };

export type AnySource = SourceRequest | AdminSource | MoveSource | RedemptionSource | QuorumSource;

/** The attestation of any source at a nonce: one switch over the builders above. */
export function attestationOf(s: AnySource, did: DidHash, nonce: bigint): AttestationMessage {
  switch (s.kind) {
    case 'settlement':
      return settlementAttestation(s.request, did, nonce);
    case 'nav':
      return navAttestation(s.request, did, nonce);
    case 'config':
      return configAttestation(s.request, did, nonce);
    case 'allowlist':
      return allowListAttestation(s.request, did, nonce);
    case 'pause':
      return pauseAttestation(s.request, did, nonce);
    case 'reserve':
      return reserveAttestation(s.request, s.caps, did, nonce);
    case 'move':
      return moveAttestation(s.request, s.leg, s.settledAt, did, nonce);
    case 'transportQuorum':
      return quorumAttestationOf(s, did, nonce);
    default:
      return redemptionAttestationOf(s, did, nonce);
  }
}

/** The custodian's idempotency key for a request: the settlement reference, or the NAV's as-of time. */
export function sourceRefOf(s: AnySource): string {
  switch (s.kind) {
    case 'settlement':
      return s.request.settlementRef;
    case 'nav':
    case 'reserve':
      return String(s.request.asOf);
    case 'allowlist':
    case 'pause':
      return s.request.ref;
    case 'config':
      return configRef(s.request);
    case 'move':
      return moveSourceRef(s.request.ref, s.leg);
    case 'transportQuorum':
      return quorumRef(s.request);
    default:
      return redemptionSourceRefOf(s);
  }
}

/** A config's idempotency key: the hash of its content, so the same registry state is attested once. */
export const configRef = (c: RegistryConfigSnapshot): string => keccak256(stringToBytes(JSON.stringify(c)));
