import { keccak256, stringToBytes } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import type { BrakesPort, DidRecord, RegistryListPort } from '../../core/chain/registry.js';
import { attestationOf } from '../../core/attestation.js';
import {
  brakesRef,
  brakesValuesOf,
  canonicalBrakes,
  NO_BRAKES_VALUES,
  sameBrakes,
  type BrakesSnapshot,
  type BrakesSource,
} from '../../schemas/kinds/brakes-source.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import { attestedBrakes } from '../issue/amount-line.js';
import { enabledChains, issueDepsOf, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains } from '../intake/settlement-service.js';
import type { AttestationRow } from '../store/attestations.js';
import { DidIsolation } from './did-isolation.js';

export type BrakesSyncDeps = Pick<RedemptionDeps, 'registryAddress' | 'destinations' | 'committee' | 'store' | 'metrics' | 'logger' | 'lock'> & {
  registry: RegistryListPort;
  brakes: BrakesPort;
  /** Wall clock (ms) of the per-DID backoff; Date.now unless a test sets it. */
  clockMs?: () => number;
};

/**
 * Mirrors each DID's brakes per chain from the hub registry (RwaDidRegistry.setBrakes) to that chain alone as kind
 * 14. A (DID, chain) has no brakes until its first one applies, so none is sent while the registry holds none;
 * after that every change gets the next revision of that (DID, chain), a new attestation at the DID's next nonce
 * (the receiver applies the newest and supersedes an older one). Runs in the registry sync loop after the transport
 * quorums. Restart safe as QuorumSync: the revision and the change are derived from the store, and a round left
 * open by a crash is the same request (same reference), completed rather than proposed again. A (DID, chain) that
 * fails (registry read, committee) is logged, counted and retried on the next pass without holding back the others.
 */
export class BrakesSync {
  private readonly log;
  private readonly dids: DidIsolation;

  constructor(private readonly d: BrakesSyncDeps) {
    this.log = d.logger.child({ module: 'brakes-sync' });
    this.dids = new DidIsolation('brakes', { ...d, logger: this.log });
  }

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
          this.d.metrics.watcherFailures.inc({ watcher: 'brakes', chain: String(chainId) });
          this.log.warn({ err, did: record.did, chainId }, 'brakes sync failed');
        }
      }
      return created;
    });
  }

  private async syncChain(hash: DidHash, record: DidRecord, chainId: number): Promise<AttestationRow | undefined> {
    const current = await this.d.brakes.brakesOf(hash, BigInt(chainId));
    const attested = attestedBrakes(this.d.store, record.did, chainId);
    if (sameBrakes(current, attested ? brakesValuesOf(attested) : NO_BRAKES_VALUES)) return undefined;
    const snapshot: BrakesSnapshot = canonicalBrakes({
      did: record.did,
      chainId,
      revision: (attested?.revision ?? 0) + 1,
      mintCapacity: current.mintCapacity.toString(),
      mintRefillPerSecond: current.mintRefillPerSecond.toString(),
      burnCapacity: current.burnCapacity.toString(),
      burnRefillPerSecond: current.burnRefillPerSecond.toString(),
      largeAmount: current.largeAmount.toString(),
      largeThreshold: current.largeThreshold,
    });
    const sourceRef = brakesRef(snapshot);
    const requestHash = keccak256(stringToBytes(JSON.stringify(snapshot)));
    const source: BrakesSource = { kind: 'brakes', request: snapshot };
    const r = await issueOnce(this.d, { did: record.did, hash, kind: 'brakes', sourceRef, requestHash, field: 'brakes' }, (nonce) =>
      issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), [BigInt(chainId)], {
        did: record.did,
        didHash: hash,
        nonce,
        kind: 'brakes',
        sourceRef,
        requestHash,
        request: JSON.stringify(snapshot),
        submitter: this.d.registryAddress,
      }),
    );
    if (!r.created) return undefined;
    this.log.info(
      { attestationId: r.attestation.id, did: record.did, chainId, nonce: r.attestation.nonce, revision: snapshot.revision, mintCapacity: snapshot.mintCapacity, burnCapacity: snapshot.burnCapacity, largeAmount: snapshot.largeAmount, largeThreshold: snapshot.largeThreshold },
      'brakes attested',
    );
    return r.attestation;
  }
}
