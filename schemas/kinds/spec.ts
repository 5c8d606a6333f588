import type { Hex } from 'viem';
import type { DidHash } from '../ids.js';
import type { FieldReader, Header } from './codec.js';

/** The committee's EIP-712 message of one attestation (primary type of schemas/eip712.ts attestationTypes + message). */
export interface TypedAttestation {
  primaryType: 'SettlementAttestation' | 'NavAttestation' | 'AdminAttestation';
  message: Record<string, unknown>;
}

/**
 * Everything TypeScript knows about one attestation kind on the wire: its code (the byte at offset 1), its name
 * (the JSON and store name), how its body is written and read, and what the committee signs for it. The list of
 * kinds (schemas/kinds/index.ts) and everything derived from it (KIND, ATTESTATION_KINDS, decodeMessage) come
 * from these objects; the Solidity side is contracts/src/libraries/AttestationCodec.sol.
 */
export interface KindSpec<N extends string = string, C extends number = number, M extends { kind: string } = { kind: string }> {
  readonly code: C;
  readonly name: N;
  /** How a decode error names the kind ("redemption request message must be 150 bytes"). */
  readonly label: string;
  /** The bytes after the 42-byte header. */
  encodeBody(m: M): Hex;
  /** Reads the body of a message whose header says this kind; checks the exact length with `r.exact`. */
  decodeBody(h: Header, r: FieldReader): M;
  /** What the committee signs; absent: AdminAttestation(did, nonce, code, body). */
  typed?(m: M): TypedAttestation;
}

export const defineKind = <const N extends string, const C extends number, M extends { kind: string }>(spec: KindSpec<N, C, M>): KindSpec<N, C, M> => spec;

/** A request the committee cannot take, naming the field of the sign request (`request.x`, `caps`, `leg`, ...). */
export class RequestIssue extends Error {
  override readonly name = 'RequestIssue';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The envelope fields of a sign request (schemas/committee.ts SignRequest) a kind's fromRequest reads; declared here
 * and not imported, since the sign request's kind enum derives from the kinds.
 */
export interface SignEnvelope {
  kind: string;
  caps?: { chainId: number; cap: string; ceiling: string }[];
  leg?: 'out' | 'in' | 'void' | 'return';
  settledAt?: number;
  outNonce?: string;
  liquidity?: LiquidityFigures;
}

/**
 * What the oracle adds to a buy-back custodian's report (kind 17, envelope extra `liquidity`): the asset pool, the
 * open requests, the LCR it computed (liquidity/lcr.ts; lcrBps null = unbounded) and the issuer's bands from the hub
 * registry. Numbers past 2^53 as decimal strings.
 */
export interface LiquidityFigures {
  assetPoolValue: string;
  openRequests: string;
  liquidAssets: string;
  outflows: string;
  lcrBps: string | null;
  bands: { minShareBps: number; stageBBelowBps: number; stageCBelowBps: number; staleFloor: boolean; stressRateBps: number; horizonDays: number };
}

/** Envelope fields of a sign request beyond kind, request, nonce and chainIds; each belongs to the kinds that list it. */
export type EnvelopeExtra = 'caps' | 'leg' | 'settledAt' | 'outNonce' | 'liquidity';

/** One documented answer of a route. */
export type OpenApiResponses = Record<string, { description: string; error?: true }>;

/** What is particular to one signed POST route's answers; the rest every such route shares. */
export interface SignedPostAnswers {
  /** Who must have signed, as in "signer is not <signer> of the DID" (403). */
  signer: string;
  /** 200: the same request seen before. */
  repeat: string;
  /** 409: the idempotency key reused with another body. */
  conflict: string;
  created?: string;
  badBody?: string;
  unknown?: string;
  /** 422: the rules that refuse it, if any. */
  refused?: string;
  /** 503: what could not be reached, if anything is read. */
  unavailable?: string;
}

/** The answers of a signed POST route: 201, 200 repeat, 400 schema, 401 signature, 403 role, 404 DID, 409, [422], [503]. */
export function signedPostResponses(a: SignedPostAnswers): OpenApiResponses {
  return {
    '201': { description: a.created ?? 'attestation signed' },
    '200': { description: a.repeat },
    '400': { description: a.badBody ?? 'body fails the schema', error: true },
    '401': { description: 'signature does not recover', error: true },
    '403': { description: `signer is not ${a.signer} of the DID`, error: true },
    '404': { description: a.unknown ?? 'unknown DID', error: true },
    '409': { description: a.conflict, error: true },
    ...(a.refused === undefined ? {} : { '422': { description: a.refused, error: true as const } }),
    ...(a.unavailable === undefined ? {} : { '503': { description: a.unavailable, error: true as const } }),
  };
}

/** A route of the oracle's HTTP API that takes this kind's request (POST, body = the request schema). */
export interface KindRoute {
  /** Path under the oracle's root, e.g. `/v1/settlements`. */
  path: string;
  /** Components name of the request schema in the OpenAPI document. */
  schemaName: string;
  summary: string;
  description?: string;
  /** Status -> description; `error: true` answers carry the Error body. */
  responses: OpenApiResponses;
}

/**
 * How a request becomes attestations: what the committee is asked to sign (`POST /v1/sign` kind), the schema of
 * the request it re-checks, the message it builds at a nonce and the idempotency key of the request. Mostly one
 * per wire kind; a move is one source behind three kinds (settlement legs, move void, move return).
 */
export interface SourceSpec<S extends string = string, Req = unknown, Src extends { kind: S; request: Req } = { kind: S; request: Req }, M extends { kind: string } = { kind: string }> {
  readonly kind: S;
  /** JSON Schema of `request` (a posted body, a registry snapshot or an event report). */
  readonly requestSchema: object;
  /** Envelope fields this kind takes (refused for the others). */
  readonly extras?: readonly EnvelopeExtra[];
  /**
   * The source from a schema-valid request and its envelope: canonical key order, range checks a pattern cannot
   * make, the extras. Throws RequestIssue. Absent: `{ kind, request }`.
   */
  fromRequest?(request: Req, env: SignEnvelope): Src;
  /** The message at a nonce; the aggregator and every signer build it with this, from the same source. */
  build(s: Src, did: DidHash, nonce: bigint): M;
  /** Idempotency key of the request among the DID's attestations of this kind (oracle store, signer store). */
  ref(s: Src): string;
  /**
   * The request's as-of time (unix seconds) for kinds that must move forward in time (NAV, reserve, disclosure):
   * what the signer records to refuse an older one.
   */
  asOf?(s: Src): number;
  /** Its POST route on the oracle, for a request posted by a custodian, NAV publisher or issuer. */
  readonly route?: KindRoute;
}

export const defineSource = <const S extends string, Req, Src extends { kind: S; request: Req }, M extends { kind: string }>(spec: SourceSpec<S, Req, Src, M>): SourceSpec<S, Req, Src, M> => spec;

/** One field of an EIP-712 struct. */
export interface TypedField {
  readonly name: string;
  readonly type: string;
}

/**
 * How a custodian, NAV publisher or issuer signs a kind's request: its EIP-712 type in the custodian domain
 * (schemas/eip712.ts custodianDomain) and the typed message built from the body. Clients sign this message and the
 * oracle and signers recover from it, so the two can never disagree on what was signed.
 */
export interface RequestSigning<P extends string = string, F extends readonly TypedField[] = readonly TypedField[], B = never, R = Record<string, unknown>> {
  readonly primaryType: P;
  readonly fields: F;
  message(body: B): R;
}

export const defineSigning = <const P extends string, const F extends readonly TypedField[], B, R extends Record<string, unknown>>(s: RequestSigning<P, F, B, R>): RequestSigning<P, F, B, R> => s;
