import type { QuorumSnapshot } from '../../schemas/committee.js';
import type { DidHash } from '../../schemas/ids.js';
import { UNGATED_QUORUM } from '../../schemas/message.js';
import type { DidRecord, TransportQuorum, TransportQuorumPort } from '../../core/chain/registry.js';
import { canonicalQuorum, quorumRef, quorumRefPrefix, type QuorumSource } from '../../core/quorum-attestation.js';
import type { AttestationRow } from '../store/attestations.js';
import { PerChainSync, type PerChainSyncDeps } from './per-chain-sync.js';

export type QuorumSyncDeps = PerChainSyncDeps & { quorums: TransportQuorumPort };

const sameQuorum = (a: TransportQuorum, b: TransportQuorum): boolean => a.k === b.k && a.transports === b.transports;

/**
 * Mirrors each DID's transport quorum per chain from the hub registry (RwaDidRegistry.setTransportQuorum) to that
 * chain alone as kind 12. A (DID, chain) is ungated (0/0) until its first one applies, so none is sent while the
 * registry says 0/0; after that, every change gets the next revision of that (DID, chain). Runs in the registry sync
 * loop after the configs and policies; the loop, its isolation and its failure counting are PerChainSync's.
 */
export class QuorumSync {
  private readonly log;
  private readonly loop: PerChainSync<QuorumSource>;

  constructor(private readonly d: QuorumSyncDeps) {
    this.log = d.logger.child({ module: 'quorum-sync' });
    const setting = { loop: 'quorum', watcher: 'transport-quorum', what: 'transport quorum', sourceRef: (s: QuorumSource) => quorumRef(s.request) };
    this.loop = new PerChainSync(d, { ...setting, next: (hash, record, chainId) => this.next(hash, record, chainId) }, this.log);
  }

  async sync(): Promise<AttestationRow[]> {
    const created = await this.loop.sync();
    for (const row of created) {
      const s = JSON.parse(row.request) as QuorumSnapshot;
      this.log.info({ attestationId: row.id, did: row.did, chainId: s.chainId, nonce: row.nonce, k: s.k, transports: s.transports, revision: s.revision }, 'transport quorum attested');
    }
    return created;
  }

  /** The latest quorum attested for (DID, chain): its snapshot, or undefined before the first. */
  private attested(record: DidRecord, chainId: number): QuorumSnapshot | undefined {
    const prefix = quorumRefPrefix(chainId);
    // ofKind: highest nonce first (kind 12 has no as-of).
    const last = this.d.store.ofKind(record.did, 'transportQuorum').find((r) => r.sourceRef.startsWith(prefix));
    return last ? (JSON.parse(last.request) as QuorumSnapshot) : undefined;
  }

  private async next(hash: DidHash, record: DidRecord, chainId: number): Promise<QuorumSource | undefined> {
    const current = await this.d.quorums.transportQuorumOf(hash, BigInt(chainId));
    const attested = this.attested(record, chainId);
    if (sameQuorum(current, attested ?? UNGATED_QUORUM)) return undefined;
    return { kind: 'transportQuorum', request: canonicalQuorum({ did: record.did, chainId, revision: (attested?.revision ?? 0) + 1, k: current.k, transports: current.transports }) };
  }
}
