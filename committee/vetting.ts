import type { AnySource, SignKind } from '../schemas/kinds/index.js';
import type { DidHash } from '../schemas/ids.js';
import { vetSignRequest, type SignerCheckDeps, type Vetted } from './checks.js';
import { vetAdminRequest } from './admin-checks.js';
import { vetMoveRequest } from './move-checks.js';
import { vetRedemptionRequest } from './redemption-checks.js';
import { vetQuorumRequest } from './quorum-checks.js';
import { vetBuyBackRequest } from './buyback-checks.js';
import { vetBrakesRequest } from './brakes-checks.js';

/** A sign request as one kind's checks see it; `rules` is false for a message already approved (new chains only). */
export interface VetInput<K extends SignKind> {
  source: Extract<AnySource, { kind: K }>;
  did: DidHash;
  chainIds: readonly number[];
  nonce: bigint;
  rules: boolean;
}

type Vetter<K extends SignKind> = (d: SignerCheckDeps, v: VetInput<K>) => Promise<Vetted>;

/**
 * How a signer vets each sign kind, on its own, before it signs: one row per kind of schemas/kinds/index.ts
 * SOURCES (the mapped type makes a kind without a row a type error).
 */
export const VETTERS: { readonly [K in SignKind]: Vetter<K> } = {
  settlement: (d, v) => vetSignRequest(d, v.source, v.did, v.chainIds, { rules: v.rules, nonce: v.nonce }),
  nav: (d, v) => vetSignRequest(d, v.source, v.did, v.chainIds, { rules: v.rules, nonce: v.nonce }),
  config: (d, v) => vetAdminRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  allowlist: (d, v) => vetAdminRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  pause: (d, v) => vetAdminRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  reserve: (d, v) => vetAdminRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  move: (d, v) => vetMoveRequest(d, v.source, v.did, v.chainIds, { rules: v.rules, nonce: v.nonce }),
  redemptionRequest: (d, v) => vetRedemptionRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  redemptionStage: (d, v) => vetRedemptionRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  redemptionPolicy: (d, v) => vetRedemptionRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  redemptionFulfilment: (d, v) => vetRedemptionRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  redemptionAcceptance: (d, v) => vetRedemptionRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  disclosure: (d, v) => vetRedemptionRequest(d, v.source, v.did, v.chainIds, v.nonce, { rules: v.rules }),
  transportQuorum: (d, v) => vetQuorumRequest(d, v.source, v.did, v.chainIds),
  buybackReport: (d, v) => vetBuyBackRequest(d, v.source, v.did, v.chainIds, { rules: v.rules }),
  brakes: (d, v) => vetBrakesRequest(d, v.source, v.did, v.chainIds),
};

/** Vets a sign request with its kind's row. */
export function vet(d: SignerCheckDeps, v: VetInput<SignKind>): Promise<Vetted> {
  return (VETTERS[v.source.kind] as Vetter<SignKind>)(d, v);
}
