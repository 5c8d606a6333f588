import { keccak256, stringToBytes } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import type { BrakesSource } from '../../schemas/kinds/brakes-source.js';
import type { DidRecord, RegistryListPort } from '../../core/chain/registry.js';
import type { QuorumSource } from '../../core/quorum-attestation.js';
import { attestationOf } from '../../core/attestation.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import { enabledChains, issueDepsOf, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains } from '../intake/settlement-service.js';
import type { AttestationRow } from '../store/attestations.js';
import { DidIsolation } from './did-isolation.js';

export type PerChainSyncDeps = Pick<RedemptionDeps, 'registryAddress' | 'destinations' | 'committee' | 'store' | 'metrics' | 'logger' | 'lock'> & {
  registry: RegistryListPort;
  /** Wall clock (ms) of the per-DID backoff; Date.now unless a test sets it. */
  clockMs?: () => number;
};

/** A setting the hub registry keeps per (DID, chain) and mirrors to that chain alone: kind 12 or kind 14. */
export type PerChainSource = QuorumSource | BrakesSource;

/** One per-(DID, chain) setting: how it is named in metrics and logs, and what to attest to a chain now. */
export interface PerChainSetting<S extends PerChainSource> {
  /** DidIsolation's loop label (oracle_registry_sync_failures_total{loop}). */
  loop: string;
  /** oracle_watcher_failures_total{watcher} for a (DID, chain) that failed. */
  watcher: string;
  /** Logged as `<what> sync failed`. */
  what: string;
  /** The snapshot to attest to the chain now (its next revision), or undefined while the chain's last one holds. */
  next(hash: DidHash, record: DidRecord, chainId: number): Promise<S | undefined>;
  /** Each reference names one snapshot of one (DID, chain): a repeat completes it, never issues it twice. */
  sourceRef(source: S): string;
}

/**
 * The loop QuorumSync (kind 12) and BrakesSync (kind 14) share: for each DID of the registry (isolated, DidIsolation)
 * and each of its enabled chains, what `setting.next` says the chain should get now is attested at the DID's next
 * nonce, signed by the set the chains hold and sent to that chain only. A (DID, chain) that fails (registry read,
 * committee) is logged, counted and retried on the next pass without holding back the other chains. Restart safe: a
 * round left open by a crash has the same reference and is completed, not proposed again.
 */
export class PerChainSync<S extends PerChainSource> {
  private readonly dids: DidIsolation;

  constructor(
    private readonly d: PerChainSyncDeps,
    private readonly setting: PerChainSetting<S>,
    private readonly log: PerChainSyncDeps['logger'],
  ) {
    this.dids = new DidIsolation(setting.loop, { ...d, logger: log });
  }

  /** One pass: the attestations created (a repeat of one stored already is not among them). */
  async sync(): Promise<AttestationRow[]> {
    return this.dids.each(await this.d.registry.listDids(), async (hash, ctx) => {
      const created: AttestationRow[] = [];
      const record = await this.d.registry.getDid(hash);
      if (!record) return [];
      ctx.did = record.did;
      for (const chainId of enabledChains(this.d, record)) {
        try {
          const row = await this.syncChain(hash, record, chainId);
          if (row) created.push(row);
        } catch (err) {
          this.d.metrics.watcherFailures.inc({ watcher: this.setting.watcher, chain: String(chainId) });
          this.log.warn({ err, did: record.did, chainId }, `${this.setting.what} sync failed`);
        }
      }
      return created;
    });
  }

  private async syncChain(hash: DidHash, record: DidRecord, chainId: number): Promise<AttestationRow | undefined> {
    const source = await this.setting.next(hash, record, chainId);
    if (!source) return undefined;
    const sourceRef = this.setting.sourceRef(source);
    const request = JSON.stringify(source.request);
    const requestHash = keccak256(stringToBytes(request));
    const kind = source.kind;
    const r = await issueOnce(this.d, { did: record.did, hash, kind, sourceRef, requestHash, field: kind }, (nonce) =>
      issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), [BigInt(chainId)], {
        did: record.did,
        didHash: hash,
        nonce,
        kind,
        sourceRef,
        requestHash,
        request,
        submitter: this.d.registryAddress,
      }),
    );
    return r.created ? r.attestation : undefined;
  }
}
