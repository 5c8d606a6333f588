import { concat, keccak256, stringToBytes } from 'viem';
import type { FromSchema } from 'json-schema-to-ts';
import type { DidHash } from '../ids.js';
import { u } from './codec.js';
import { DRAFT, registryDid } from './json.js';
import { defineKind, defineSource } from './spec.js';

/**
 * Kind 9: the issuer's redemption gate policy for a DID (RwaDidRegistry.setRedemptionPolicy), sent to every chain.
 *
 * ```
 * offset size field
 *  42     2   stageBBps
 *  44     2   stageCBps
 *  46     1   instalments
 *  47     4   windowSeconds
 *  51     1   emergency
 * ```
 */
export const REDEMPTION_POLICY_LENGTH = 52;

/** Defaults every chain applies to a DID until its first policy attestation arrives. */
export const DEFAULT_REDEMPTION_POLICY = { stageBBps: 100, stageCBps: 300, instalments: 7, windowSeconds: 7 * 86_400, emergency: false } as const;

export interface RedemptionPolicyMessage {
  kind: 'redemptionPolicy';
  did: DidHash;
  nonce: bigint;
  /** uint16 each; valid when 0 < stageBBps <= stageCBps <= 10000. */
  stageBBps: number;
  stageCBps: number;
  /** uint8, >= 1. */
  instalments: number;
  /** uint32 seconds, >= instalments. */
  windowSeconds: number;
  emergency: boolean;
}

/** A DID's redemption policy as the hub registry holds it (RwaDidRegistry.setRedemptionPolicy). */
export const policySnapshotSchema = {
  $schema: DRAFT,
  $id: 'https://rwa-oracle.local/schemas/policy-snapshot.json',
  title: "The hub registry's redemption policy of a DID",
  type: 'object',
  additionalProperties: false,
  required: ['did', 'revision', 'stageBBps', 'stageCBps', 'instalments', 'windowSeconds', 'emergency'],
  properties: {
    did: registryDid,
    revision: {
      type: 'integer',
      minimum: 1,
      maximum: 9007199254740991,
      description: "the aggregator's count of policy attestations for the DID, this one included: tells apart a policy set again after a change (A, B, A)",
    },
    stageBBps: { type: 'integer', minimum: 1, maximum: 10000 },
    stageCBps: { type: 'integer', minimum: 1, maximum: 10000 },
    instalments: { type: 'integer', minimum: 1, maximum: 255 },
    windowSeconds: { type: 'integer', minimum: 1, maximum: 4294967295 },
    emergency: { type: 'boolean' },
  },
} as const;
export type PolicySnapshot = FromSchema<typeof policySnapshotSchema>;

export const redemptionPolicy = defineKind({
  code: 9,
  name: 'redemptionPolicy',
  label: 'redemption policy',
  encodeBody: (m: RedemptionPolicyMessage) => concat([u(m.stageBBps, 2), u(m.stageCBps, 2), u(m.instalments, 1), u(m.windowSeconds, 4), u(m.emergency ? 1 : 0, 1)]),
  decodeBody: ({ did, nonce }, r): RedemptionPolicyMessage => {
    r.exact(REDEMPTION_POLICY_LENGTH, 'redemption policy');
    return { kind: 'redemptionPolicy', did, nonce, stageBBps: r.num(42, 44), stageCBps: r.num(44, 46), instalments: r.num(46, 47), windowSeconds: r.num(47, 51), emergency: r.num(51, 52) !== 0 };
  },
});

/** The policy with its keys in one order, so its idempotency key never depends on who built the object. */
export const canonicalPolicy = (p: PolicySnapshot): PolicySnapshot => ({
  did: p.did,
  revision: p.revision,
  stageBBps: p.stageBBps,
  stageCBps: p.stageCBps,
  instalments: p.instalments,
  windowSeconds: p.windowSeconds,
  emergency: p.emergency,
});

/** A policy's idempotency key: the hash of its content and revision, so each registry change is attested once. */
export const policyRef = (p: PolicySnapshot): string => `policy:${keccak256(stringToBytes(JSON.stringify(canonicalPolicy(p))))}`;

export const redemptionPolicySource = defineSource({
  kind: 'redemptionPolicy',
  requestSchema: policySnapshotSchema,
  fromRequest: (request: PolicySnapshot) => ({ kind: 'redemptionPolicy' as const, request: canonicalPolicy(request) }),
  build: ({ request: p }: { kind: 'redemptionPolicy'; request: PolicySnapshot }, did, nonce): RedemptionPolicyMessage => ({
    kind: 'redemptionPolicy',
    did,
    nonce,
    stageBBps: p.stageBBps,
    stageCBps: p.stageCBps,
    instalments: p.instalments,
    windowSeconds: p.windowSeconds,
    emergency: p.emergency,
  }),
  ref: (s) => policyRef(s.request),
});
