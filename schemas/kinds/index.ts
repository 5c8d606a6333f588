import { settlement, settlementSource, settlementSigning } from './settlement.js';
import { nav, navSource, navSigning } from './nav.js';
import { config, configSource } from './config.js';
import { allowlist, allowListSource, allowListSigning } from './allowlist.js';
import { pause, pauseSource, pauseSigning } from './pause.js';
import { reserve, reserveSource, reserveSigning } from './reserve.js';
import { redemptionRequest, redemptionRequestSource } from './redemption-request.js';
import { redemptionStage, redemptionStageSource } from './redemption-stage.js';
import { redemptionPolicy, redemptionPolicySource } from './redemption-policy.js';
import { redemptionFulfilment, redemptionFulfilmentSource, redemptionFulfilmentSigning } from './redemption-fulfilment.js';
import { disclosure, disclosureSource, disclosureSigning } from './disclosure.js';
import { transportQuorum, transportQuorumSource } from './transport-quorum.js';
import { brakes } from './brakes.js';
import { brakesSource } from './brakes-source.js';
import { redemptionAcceptance, redemptionAcceptanceSource, redemptionAcceptanceSigning } from './redemption-acceptance.js';
import { moveReturn, moveSigning, moveSource, moveVoid } from './move.js';
import { buybackReport, buybackReportSource, buybackReportSigning } from './buyback-report.js';
import type { KindSpec, SourceSpec } from './spec.js';

/**
 * The attestation kinds, one module each: the only list. KIND, ATTESTATION_KINDS, the codec's dispatch, the
 * committee's sign kinds and parser, and the oracle's kind routes and OpenAPI paths derive from these two lists.
 * Adding a kind: docs/adding-a-kind.md.
 */
export const KINDS = [
  settlement,
  nav,
  config,
  allowlist,
  pause,
  reserve,
  redemptionRequest,
  redemptionStage,
  redemptionPolicy,
  redemptionFulfilment,
  disclosure,
  transportQuorum,
  redemptionAcceptance,
  brakes,
  moveVoid,
  moveReturn,
  buybackReport,
] as const;

/** What the committee is asked to sign (`POST /v1/sign` kinds): one source per kind, but one move for kinds 1, 15, 16. */
export const SOURCES = [
  settlementSource,
  navSource,
  configSource,
  allowListSource,
  pauseSource,
  reserveSource,
  moveSource,
  redemptionRequestSource,
  redemptionStageSource,
  redemptionPolicySource,
  redemptionFulfilmentSource,
  disclosureSource,
  transportQuorumSource,
  redemptionAcceptanceSource,
  buybackReportSource,
  brakesSource,
] as const;

/** The EIP-712 types requests are signed as (custodian domain): one per kind with a posted request. */
export const REQUEST_SIGNINGS = [
  settlementSigning,
  navSigning,
  reserveSigning,
  allowListSigning,
  pauseSigning,
  moveSigning,
  redemptionFulfilmentSigning,
  redemptionAcceptanceSigning,
  disclosureSigning,
  buybackReportSigning,
] as const;

type Kinds = typeof KINDS;
/** A tuple's element names, as a tuple (generic, so the mapping keeps the tuple shape). */
type NamesOf<T extends readonly unknown[], F extends string> = { readonly [I in keyof T]: T[I] extends Record<F, infer N> ? N : never };
type Spec = Kinds[number];
type Sources = typeof SOURCES;
type Source = Sources[number];

export type KindName = Spec['name'];
export type KindCode = Spec['code'];
/** Every message kind's decoded form. */
export type AttestationMessage = Spec extends infer S ? (S extends KindSpec<string, number, infer M> ? M : never) : never;
/** What the committee is asked to sign, tagged by kind (the original request, with a reserve's caps or a move's leg). */
export type AnySource = Source extends infer S ? (S extends SourceSpec<string, unknown, infer Src, { kind: string }> ? Src : never) : never;
export type SignKind = Source['kind'];

/** Kind name -> wire code, e.g. KIND.settlement === 1. */
export const KIND = Object.fromEntries(KINDS.map((k) => [k.name, k.code])) as { readonly [S in Spec as S['name']]: S['code'] };

/** The kind names in code order, as a tuple (drizzle and JSON Schema enums want one). */
export const ATTESTATION_KINDS = KINDS.map((k) => k.name) as unknown as NamesOf<Kinds, 'name'>;
/** The sign kinds, as a tuple. */
export const SIGN_KINDS = SOURCES.map((s) => s.kind) as unknown as NamesOf<Sources, 'kind'>;

/** Compile-time check: every source builds a message of the kind list (its build returns a member of AttestationMessage). */
type BuiltBy<S> = S extends { build(...args: never[]): infer M } ? M : never;
type UnknownBuilt = Exclude<BuiltBy<Source>, AttestationMessage>;
const sourcesBuildKnownMessages: [UnknownBuilt] extends [never] ? true : UnknownBuilt = true;
void sourcesBuildKnownMessages;

const byCode = new Map<number, Spec>(KINDS.map((k) => [k.code, k]));
const byName = new Map<string, Spec>(KINDS.map((k) => [k.name, k]));
const sourceByKind = new Map<string, Source>(SOURCES.map((s) => [s.kind, s]));

/** The kind of a wire code, or undefined. */
export const kindByCode = (code: number): KindSpec<KindName, KindCode, AttestationMessage> | undefined => byCode.get(code) as KindSpec<KindName, KindCode, AttestationMessage> | undefined;

/** The kind of a message: its codec and EIP-712 form, typed for the whole union (each module handles its own kind). */
export function kindOf(m: AttestationMessage): KindSpec<KindName, KindCode, AttestationMessage> {
  const spec = byName.get(m.kind);
  if (!spec) throw new Error(`no kind module for ${m.kind}`);
  return spec as KindSpec<KindName, KindCode, AttestationMessage>;
}

/** The source spec of a sign kind (the table the committee parser, builders and references dispatch on). */
export function sourceOf(kind: SignKind): SourceSpec<SignKind, unknown, AnySource, AttestationMessage> {
  const spec = sourceByKind.get(kind);
  if (!spec) throw new Error(`no source module for ${kind}`);
  return spec as unknown as SourceSpec<SignKind, unknown, AnySource, AttestationMessage>;
}

export const isSignKind = (kind: string): kind is SignKind => sourceByKind.has(kind);

/** The oracle path a kind's request is posted to (its module's route), e.g. kindPath('disclosure') === '/v1/disclosures'. */
export function kindPath(kind: SignKind): string {
  const path = sourceByKind.get(kind)?.route?.path;
  if (!path) throw new Error(`kind ${kind} has no route`);
  return path;
}

/** Sources posted over the oracle's HTTP API, with their routes. */
export const ROUTED_SOURCES = SOURCES.filter((s) => 'route' in s && s.route !== undefined);

export * from './codec.js';
export * from './spec.js';
