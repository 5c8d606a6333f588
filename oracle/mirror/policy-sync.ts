import { keccak256, stringToBytes } from 'viem';
import type { PolicySnapshot } from '../../schemas/committee.js';
import { DEFAULT_REDEMPTION_POLICY } from '../../schemas/message.js';
import type { RegistryListPort } from '../../core/chain/registry.js';
import type { RedemptionPolicy, RedemptionPolicyPort } from '../../core/chain/redemption-types.js';
import { attestationOf } from '../../core/attestation.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import { canonicalPolicy, policyRef, type RedemptionSource } from '../../core/redemption-attestation.js';
import { enabledChains, issueDepsOf, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains } from '../intake/settlement-service.js';
import type { AttestationRow } from '../store/attestations.js';
import { DidIsolation } from './did-isolation.js';

const samePolicy = (a: RedemptionPolicy, b: RedemptionPolicy): boolean =>
  a.stageBBps === b.stageBBps && a.stageCBps === b.stageCBps && a.instalments === b.instalments && a.windowSeconds === b.windowSeconds && a.emergency === b.emergency;

/**
 * Mirrors each DID's redemption policy from the hub registry (RwaDidRegistry.setRedemptionPolicy) to every chain as
 * kind 9. The chains apply the defaults until a policy arrives, so a DID whose registry policy still equals the
 * defaults gets none; after that, every change gets the next revision. Runs in the registry sync loop, after the
 * configs, so a DID's config always takes the lower nonce.
 */
export class PolicySync {
  /** One DID's failure (registry read, committee) never holds another's policy, an issuer's emergency flag least of all. */
  private readonly dids: DidIsolation;

  constructor(private readonly d: RedemptionDeps & { registry: RegistryListPort; policies: RedemptionPolicyPort; clockMs?: () => number }) {
    this.dids = new DidIsolation('policy', { ...d, logger: d.logger.child({ module: 'policy-sync' }) });
  }

  async sync(): Promise<AttestationRow[]> {
    return this.dids.each(await this.d.registry.listDids(), async (hash, ctx) => {
      const record = await this.d.registry.getDid(hash);
      if (!record) return [];
      ctx.did = record.did;
      const current = await this.d.policies.redemptionPolicyOf(hash);
      if (!current) return [];
      const last = this.d.store.latestOfKind(hash, 'redemptionPolicy');
      const attested = last ? (JSON.parse(last.request) as PolicySnapshot) : undefined;
      if (samePolicy(current, attested ?? DEFAULT_REDEMPTION_POLICY)) return [];
      const snapshot = canonicalPolicy({ did: record.did, revision: (attested?.revision ?? 0) + 1, ...current });
      const sourceRef = policyRef(snapshot);
      const requestHash = keccak256(stringToBytes(JSON.stringify(snapshot)));
      const source: RedemptionSource = { kind: 'redemptionPolicy', request: snapshot };
      const r = await issueOnce(this.d, { did: record.did, hash, kind: 'redemptionPolicy', sourceRef, requestHash, field: 'policy' }, (nonce) =>
        issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), enabledChains(this.d, record).map(BigInt), {
          did: record.did,
          didHash: hash,
          nonce,
          kind: 'redemptionPolicy',
          sourceRef,
          requestHash,
          request: JSON.stringify(snapshot),
          submitter: this.d.registryAddress,
        }),
      );
      return r.created ? [r.attestation] : [];
    });
  }
}
