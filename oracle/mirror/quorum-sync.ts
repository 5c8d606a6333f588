import { keccak256, stringToBytes } from 'viem';
import type { QuorumSnapshot } from '../../schemas/committee.js';
import type { DidHash } from '../../schemas/ids.js';
import { UNGATED_QUORUM } from '../../schemas/message.js';
import type { DidRecord, RegistryListPort, TransportQuorum, TransportQuorumPort } from '../../core/chain/registry.js';
import { attestationOf } from '../../core/attestation.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import { canonicalQuorum, quorumRef, quorumRefPrefix, type QuorumSource } from '../../core/quorum-attestation.js';
import { enabledChains, issueDepsOf, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains } from '../intake/settlement-service.js';
import type { AttestationRow } from '../store/attestations.js';
import { DidIsolation } from './did-isolation.js';

export type QuorumSyncDeps = Pick<RedemptionDeps, 'registryAddress' | 'destinations' | 'committee' | 'store' | 'metrics' | 'logger' | 'lock'> & {
  registry: RegistryListPort;
  quorums: TransportQuorumPort;
  /** Wall clock (ms) of the per-DID backoff; Date.now unless a test sets it. */
  clockMs?: () => number;
};

const sameQuorum = (a: TransportQuorum, b: TransportQuorum): boolean => a.k === b.k && a.transports === b.transports;

/**
 * Mirrors each DID's transport quorum per chain from the hub registry (RwaDidRegistry.setTransportQuorum) to that
 * chain alone as kind 12. A (DID, chain) is ungated (0/0) until its first one applies, so none is sent while the
 * registry says 0/0; after that, every change gets the next revision of that (DID, chain). Runs in the registry sync
 * loop after the configs and policies. A (DID, chain) that fails (registry read, committee) is logged, counted and
 * retried on the next pass without holding back the others.
 */
export class QuorumSync {
  private readonly log;
  private readonly dids: DidIsolation;

  constructor(private readonly d: QuorumSyncDeps) {
    this.log = d.logger.child({ module: 'quorum-sync' });
    this.dids = new DidIsolation('quorum', { ...d, logger: this.log });
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
          this.d.metrics.watcherFailures.inc({ watcher: 'transport-quorum', chain: String(chainId) });
          this.log.warn({ err, did: record.did, chainId }, 'transport quorum sync failed');
        }
      }
      return created;
    });
  }

  /** The latest quorum attested for (DID, chain): its snapshot, or undefined before the first. */
  private attested(record: DidRecord, chainId: number): QuorumSnapshot | undefined {
    const prefix = quorumRefPrefix(chainId);
    // ofKind: highest nonce first (kind 12 has no as-of).
    const last = this.d.store.ofKind(record.did, 'transportQuorum').find((r) => r.sourceRef.startsWith(prefix));
    return last ? (JSON.parse(last.request) as QuorumSnapshot) : undefined;
  }

  private async syncChain(hash: DidHash, record: DidRecord, chainId: number): Promise<AttestationRow | undefined> {
    const current = await this.d.quorums.transportQuorumOf(hash, BigInt(chainId));
    const attested = this.attested(record, chainId);
    if (sameQuorum(current, attested ?? UNGATED_QUORUM)) return undefined;
    const snapshot = canonicalQuorum({ did: record.did, chainId, revision: (attested?.revision ?? 0) + 1, k: current.k, transports: current.transports });
    const sourceRef = quorumRef(snapshot);
    const requestHash = keccak256(stringToBytes(JSON.stringify(snapshot)));
    const source: QuorumSource = { kind: 'transportQuorum', request: snapshot };
    const r = await issueOnce(this.d, { did: record.did, hash, kind: 'transportQuorum', sourceRef, requestHash, field: 'transportQuorum' }, (nonce) =>
      issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), [BigInt(chainId)], {
        did: record.did,
        didHash: hash,
        nonce,
        kind: 'transportQuorum',
        sourceRef,
        requestHash,
        request: JSON.stringify(snapshot),
        submitter: this.d.registryAddress,
      }),
    );
    if (!r.created) return undefined;
    this.log.info({ attestationId: r.attestation.id, did: record.did, chainId, nonce: r.attestation.nonce, k: snapshot.k, transports: snapshot.transports, revision: snapshot.revision }, 'transport quorum attested');
    return r.attestation;
  }
}
