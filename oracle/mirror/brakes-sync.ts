import type { DidHash } from '../../schemas/ids.js';
import type { BrakesPort, DidRecord } from '../../core/chain/registry.js';
import { brakesRef, brakesValuesOf, canonicalBrakes, NO_BRAKES_VALUES, sameBrakes, type BrakesSnapshot, type BrakesSource } from '../../schemas/kinds/brakes-source.js';
import { attestedBrakes } from '../issue/amount-line.js';
import type { AttestationRow } from '../store/attestations.js';
import { PerChainSync, type PerChainSyncDeps } from './per-chain-sync.js';

export type BrakesSyncDeps = PerChainSyncDeps & { brakes: BrakesPort };

/**
 * Mirrors each DID's brakes per chain from the hub registry (RwaDidRegistry.setBrakes) to that chain alone as kind
 * 14. A (DID, chain) has no brakes until its first one applies, so none is sent while the registry holds none;
 * after that every change gets the next revision of that (DID, chain), a new attestation at the DID's next nonce
 * (the receiver applies the newest and supersedes an older one). Runs in the registry sync loop after the transport
 * quorums; the loop, its isolation, restart safety and failure counting are PerChainSync's, as for QuorumSync.
 */
export class BrakesSync {
  private readonly log;
  private readonly loop: PerChainSync<BrakesSource>;

  constructor(private readonly d: BrakesSyncDeps) {
    this.log = d.logger.child({ module: 'brakes-sync' });
    const setting = { loop: 'brakes', watcher: 'brakes', what: 'brakes', sourceRef: (s: BrakesSource) => brakesRef(s.request) };
    this.loop = new PerChainSync(d, { ...setting, next: (hash, record, chainId) => this.next(hash, record, chainId) }, this.log);
  }

  async sync(): Promise<AttestationRow[]> {
    const created = await this.loop.sync();
    for (const row of created) {
      const s = JSON.parse(row.request) as BrakesSnapshot;
      this.log.info(
        { attestationId: row.id, did: row.did, chainId: s.chainId, nonce: row.nonce, revision: s.revision, mintCapacity: s.mintCapacity, burnCapacity: s.burnCapacity, largeAmount: s.largeAmount, largeThreshold: s.largeThreshold },
        'brakes attested',
      );
    }
    return created;
  }

  private async next(hash: DidHash, record: DidRecord, chainId: number): Promise<BrakesSource | undefined> {
    const current = await this.d.brakes.brakesOf(hash, BigInt(chainId));
    const attested = attestedBrakes(this.d.store, record.did, chainId);
    if (sameBrakes(current, attested ? brakesValuesOf(attested) : NO_BRAKES_VALUES)) return undefined;
    const request = canonicalBrakes({
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
    return { kind: 'brakes', request };
  }
}
