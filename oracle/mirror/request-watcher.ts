import { keccak256, stringToBytes, type Hex } from 'viem';
import type { RedemptionReport } from '../../schemas/committee.js';
import type { DidHash } from '../../schemas/ids.js';
import { attestationOf } from '../../core/attestation.js';
import { nextRange, reportAwaiting } from '../../core/chain/scan.js';
import { issueAttestation } from '../issue/issue.js';
import { issueOnce } from '../issue/issue-once.js';
import type { RedemptionSource } from '../../core/redemption-attestation.js';
import { enabledChains, issueDepsOf, type RedemptionDeps } from '../redemption-deps.js';
import { signerSetOnChains } from '../intake/settlement-service.js';
import type { AttestationRow } from '../store/attestations.js';
import { requestSourceRef, type RequestRow } from '../store/redemptions.js';

export interface WatcherOptions {
  /** Chains (EVM ids) whose modules are read: every chain of the deployment. */
  chainIds: readonly number[];
  /** First block read on a chain without a cursor. */
  startBlock: bigint;
  /** Most blocks one eth_getLogs covers. */
  maxSpan: bigint;
}

const PAGE = 100;

/** Everything about a request that its report must agree with; pins and pool supply are the aggregator's choice. */
const requestHashOf = (r: RequestRow, did: string): Hex => keccak256(stringToBytes(JSON.stringify([did, r.chainId, r.requestId, r.owner, r.amount, r.requestedAt, r.blockNumber])));

/**
 * Redemption requests, spoke -> hub. Each pass reads RedeemRequested and RedeemCancelled of every chain's module
 * past that chain's confirmations into the store (cursor per chain), then reports to the hub (kind 7) every request
 * not cancelled, not reported yet and accepted by the custodian (kind 13) past its chain's confirmations: the hub
 * measures pressure on units no holder can take back, so a request that is still cancellable waits (left for a later
 * pass) and a cancelled one is never reported. The report carries the pool supply: the DID's total supply summed over its chains, each read at a pinned block
 * (that chain's safe head when the request is first reported, kept for retries so the message stays the same).
 * A chain that cannot be read, or a report without quorum, is logged, counted and retried on the next pass.
 */
export class RequestWatcher {
  constructor(private readonly d: RedemptionDeps, private readonly o: WatcherOptions) {}

  async tick(): Promise<AttestationRow[]> {
    for (const chainId of this.o.chainIds) {
      try {
        await this.scan(chainId);
      } catch (err) {
        this.d.metrics.watcherFailures.inc({ watcher: 'redemption-requests', chain: String(chainId) });
        this.d.logger.warn({ err, chainId }, 'redemption request scan failed; retrying on the next pass');
      }
    }
    // Then every request awaiting its report (see reportAwaiting).
    return reportAwaiting(
      (limit, offset) => this.d.redemptions.requestsAwaitingReport(limit, offset),
      (row) => this.report(row),
      (row, err) => {
        this.d.metrics.watcherFailures.inc({ watcher: 'redemption-reports', chain: String(row.chainId) });
        this.d.logger.warn({ err, chainId: row.chainId, requestId: row.requestId, didHash: row.didHash }, 'redemption request not reported; retrying on the next pass');
      },
      PAGE,
    );
  }

  /** Reads every final block range of one chain not read yet. */
  private async scan(chainId: number): Promise<void> {
    const safe = await this.d.chains.safeHead(chainId);
    for (;;) {
      const range = nextRange(this.d.redemptions.cursor(chainId, 'redemption-requests'), this.o.startBlock, safe, this.o.maxSpan);
      if (!range) return;
      const started = performance.now();
      const { requested, cancelled } = await this.d.chains.requestLogs(chainId, range.from, range.to);
      this.d.redemptions.ingestRequests(
        chainId,
        range.to + 1n,
        requested.map((l) => ({ didHash: l.did, requestId: String(l.requestId), owner: l.owner, amount: String(l.amount), requestedAt: Number(l.requestedAt), blockNumber: String(l.blockNumber), logIndex: l.logIndex })),
        cancelled.map((l) => ({ didHash: l.did, requestId: String(l.requestId) })),
      );
      if (requested.length + cancelled.length > 0) {
        this.d.logger.info({ chainId, from: range.from, to: range.to, requested: requested.length, cancelled: cancelled.length, duration_ms: Math.round(performance.now() - started) }, 'redemption requests read');
      }
    }
  }

  private async report(row: RequestRow): Promise<AttestationRow | 'existing' | 'left'> {
    const hash = row.didHash as DidHash;
    const record = await this.d.registry.getDid(hash);
    if (!record) {
      this.d.logger.debug({ didHash: hash, chainId: row.chainId, requestId: row.requestId }, 'request of a DID not registered on the hub; not reported');
      return 'left';
    }
    const hub = Number(this.d.hubChainId);
    const chains = enabledChains(this.d, record);
    if (!chains.includes(hub)) {
      this.d.logger.warn({ did: record.did, chainId: row.chainId, requestId: row.requestId }, 'the hub is not enabled for this DID; request not reported');
      return 'left';
    }
    const safe = await this.d.chains.safeHead(row.chainId);
    const state = await this.d.chains.requestOf(row.chainId, hash, BigInt(row.requestId), safe);
    if (!state?.accepted) {
      this.d.logger.debug({ did: record.did, chainId: row.chainId, requestId: row.requestId }, 'request not accepted past confirmations; not reported yet');
      return 'left';
    }
    const { pins, poolSupply } = await this.pinned(row, hash, chains);
    const request: RedemptionReport = {
      did: record.did,
      chainId: row.chainId,
      requestId: row.requestId,
      owner: row.owner,
      amount: row.amount,
      requestedAt: row.requestedAt,
      blockNumber: row.blockNumber,
      poolSupply: String(poolSupply),
      pins,
    };
    const source: RedemptionSource = { kind: 'redemptionRequest', request };
    const sourceRef = requestSourceRef(row.chainId, row.requestId);
    const requestHash = requestHashOf(row, record.did);
    const r = await issueOnce(this.d, { did: record.did, hash, kind: 'redemptionRequest', sourceRef, requestHash, field: 'requestId' }, (nonce) =>
      issueAttestation(issueDepsOf(this.d), attestationOf(source, hash, BigInt(nonce)), source, signerSetOnChains(this.d.store, record), [this.d.hubChainId], {
        did: record.did,
        didHash: hash,
        nonce,
        kind: 'redemptionRequest',
        sourceRef,
        requestHash,
        request: JSON.stringify(request),
        submitter: this.d.registryAddress,
      }),
    );
    return r.created ? r.attestation : 'existing';
  }

  /** The request's pinned blocks and pool supply: chosen on the first attempt, reused by every retry. */
  private async pinned(row: RequestRow, hash: DidHash, chains: readonly number[]) {
    if (row.pins && row.poolSupply !== null) return { pins: JSON.parse(row.pins) as RedemptionReport['pins'], poolSupply: BigInt(row.poolSupply) };
    const pins = await Promise.all(chains.map(async (chainId) => ({ chainId, blockNumber: await this.d.chains.safeHead(chainId) })));
    const supplies = await Promise.all(pins.map((p) => this.d.chains.totalSupplyAt(p.chainId, hash, p.blockNumber)));
    const poolSupply = supplies.reduce((a, b) => a + b, 0n);
    return this.d.redemptions.pinOnce(row, pins.map((p) => ({ chainId: p.chainId, blockNumber: String(p.blockNumber) })), poolSupply);
  }
}
