import { getAddress, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import type { Logger } from 'pino';
import type { NavRequest, SettlementRequest } from '../../schemas/http.js';
import { didHash as hashDid, type DidString } from '../../schemas/ids.js';
import type { AttestationMessage } from '../../schemas/message.js';
import { issueAttestation, newProposal, type IssueDeps, type IssueRow } from '../issue/issue.js';
import { GroupCommit, type Plan } from '../issue/group-commit.js';
import { KeyedMutex } from '../../common/mutex.js';
import type { RegistryPort, DidRecord } from '../../core/chain/registry.js';
import type { DestinationsPort } from '../../core/chain/destinations.js';
import type { CommitteePort } from '../../core/committee-port.js';
import { navAttestation, settlementAttestation, type RegistryConfigSnapshot, type SourceRequest } from '../../core/attestation.js';
import { recoverNavSigner, recoverSettlementSigner, settlementProofMessage, navReportMessage } from '../../core/custodian-auth.js';
import { OracleError } from '../../core/errors.js';
import { checkAmount, checkNav, checkNotInFuture, checkSettlementApplies, type Refusal } from '../../core/rules.js';
import type { AttestationRow, AttestationStore } from '../store/attestations.js';
import type { OracleMetrics } from '../metrics.js';
import { scaleForAmount } from '../issue/amount-line.js';
import { PendingReservations, reservedBy, type PendingSettlements } from '../issue/pending.js';
import { readChain, recoveredSigner, registeredDid, requireRole } from '../../core/guards.js';
import { InFlight } from '../../core/chain/in-flight.js';

export interface ServiceDeps {
  registry: RegistryPort;
  registryAddress: Address;
  hubChainId: bigint;
  destinations: DestinationsPort;
  committee: CommitteePort;
  store: AttestationStore;
  metrics: OracleMetrics;
  logger: Logger;
  now: () => bigint;
  maxFutureSkewSeconds: number;
  /** Shared with the admin service: one lock per DID for every kind, so nonces never collide. */
  lock?: KeyedMutex;
  /** Group commit: most settlements of one DID proposed in one committee round (ORACLE_SIGN_BATCH_MAX). */
  signBatchMax?: number;
}

export const DEFAULT_SIGN_BATCH_MAX = 64;

export interface SubmitResult {
  created: boolean;
  attestation: AttestationRow;
}

const refuse = (r: Refusal | undefined) => {
  if (r) throw new OracleError(r.code, r.message, r.field);
};

/** Canonical JSON (sorted keys, bigints as strings) so the same request always hashes the same. */
function canonicalHash(value: Record<string, unknown>): Hex {
  const sorted = Object.keys(value)
    .sort()
    .map((k) => [k, typeof value[k] === 'bigint' ? String(value[k]) : value[k]]);
  return keccak256(stringToBytes(JSON.stringify(sorted)));
}

/**
 * The signer set the receivers hold: the one in the last config attested for the DID. After a registry rotation
 * and before its config attestation exists, the chains still verify the old set, so that is the set that signs.
 */
export function signerSetOnChains(store: Pick<AttestationStore, 'latestOfKind'>, record: DidRecord): { signers: readonly Address[]; threshold: number } {
  const last = store.latestOfKind(hashDid(record.did as DidString), 'config');
  if (!last) return record;
  const snapshot = JSON.parse(last.request) as RegistryConfigSnapshot;
  return { signers: snapshot.signers as Address[], threshold: snapshot.threshold };
}

/**
 * Turns a custodian's signed request into a committee attestation: resolve the DID on the hub, authenticate the
 * signer against the DID's custodians (or NAV publishers), apply the rules, then assign the DID's next nonce, sign
 * for each destination chain and store, all under a per-DID lock so nonces never collide.
 */
export class OracleService {
  private readonly lock: KeyedMutex;

  private readonly pending: PendingReservations;

  private readonly group: GroupCommit;

  /** The intake's first reads, shared by the requests that need them at the same moment (core/chain/in-flight.ts). */
  private readonly inFlight: InFlight;

  private readonly intakeRegistry: Pick<RegistryPort, 'getDid' | 'isCustodian'>;

  constructor(private readonly d: ServiceDeps) {
    this.inFlight = new InFlight((outcome) => d.metrics.intakeReads.inc({ outcome }));
    this.intakeRegistry = {
      getDid: (did) => this.inFlight.run(`did:${did}`, () => d.registry.getDid(did)),
      isCustodian: (did, account) => this.inFlight.run(`custodian:${did}:${account.toLowerCase()}`, () => d.registry.isCustodian(did, account)),
    };
    this.pending = new PendingReservations(d);
    this.lock = d.lock ?? new KeyedMutex();
    this.group = new GroupCommit({ ...this.issueDeps(), lock: this.lock, maxBatch: d.signBatchMax ?? DEFAULT_SIGN_BATCH_MAX });
  }


  async submitSettlement(body: SettlementRequest): Promise<SubmitResult> {
    const { hash, record } = await registeredDid(this.intakeRegistry, body.did);
    const chainId = BigInt(body.chainId);
    if (!record.chainIds.includes(chainId) || !this.d.destinations.get(body.chainId)) {
      throw new OracleError('chain_not_enabled', `chain ${body.chainId} is not enabled for ${body.did}`, 'chainId');
    }
    const signer = await recoveredSigner(recoverSettlementSigner({ hubChainId: this.d.hubChainId, registry: this.d.registryAddress }, body));
    await requireRole(this.intakeRegistry, { hash, record }, 'custodian', signer);
    // Move legs are stored as settlements under `move:<ref>:out|in` (oracle/intake/move-service.ts): keep that space theirs.
    if (body.settlementRef.startsWith('move:')) {
      throw new OracleError('reserved_ref', 'settlement references starting with "move:" are reserved for cross-chain moves', 'settlementRef');
    }
    const amount = BigInt(body.amount);
    refuse(checkAmount(amount));
    refuse(checkNotInFuture('settledAt', BigInt(body.settledAt), this.d.now(), this.d.maxFutureSkewSeconds));
    const requestHash = canonicalHash(settlementProofMessage(body));

    const existing = this.d.store.findBySource(body.did, 'settlement', body.settlementRef);
    if (existing) return this.repeat(existing, requestHash, 'settlementRef');
    const investor = getAddress(body.investor);
    const readHoldings = () => readChain(`holdings on chain ${body.chainId}`, () => this.d.destinations.holdingsState(body.chainId, hash, investor));
    // Cheap refusals first, outside the DID's lock; this first read may be shared (it only has to come before the
    // pending count, taken later under the lock); the re-read after nonce reads below never is.
    const holdings = await this.inFlight.run(`holdings:${body.chainId}:${hash}:${investor.toLowerCase()}`, readHoldings);
    refuse(checkSettlementApplies(body.kind, amount, holdings));

    const issue = this.issueDeps();
    return this.group.submit(hash, {
      key: `settlement:${body.settlementRef}`,
      plan: async (nonce, earlier): Promise<Plan> => {
        const again = this.d.store.findBySource(body.did, 'settlement', body.settlementRef);
        if (again) return { kind: 'answer', result: this.repeat(again, requestHash, 'settlementRef') };
        const signerSet = signerSetOnChains(this.d.store, record);
        const open = this.d.store.proposals.openBySource(body.did, 'settlement', body.settlementRef);
        if (open) {
          if (open.requestHash !== requestHash) {
            throw new OracleError('conflicting_repeat', `${body.settlementRef} is already proposed with a different body (nonce ${open.nonce})`, 'request');
          }
          this.d.logger.info({ did: open.did, nonce: open.nonce, kind: open.kind }, 'request repeated: completing its open proposal');
          return { kind: 'complete', proposal: open, signerSet };
        }
        // Under the lock, so two requests never both count on the same units; the batch's earlier items count as if
        // they had come first alone. When the chain's nonces had to be read, the holdings are read again after
        // them: a settlement applied in between counts twice (a conservative refusal), never zero times.
        const batch = reservedBy(earlier, body.chainId, investor);
        const plus = (r: PendingSettlements): PendingSettlements => ({ burn: r.burn + batch.burn, mint: r.mint + batch.mint });
        const pending = await readChain(`applied nonces on chain ${body.chainId}`, () =>
          this.pending.settlements(body.did, hash, body.chainId, investor, (r) => !checkSettlementApplies(body.kind, amount, holdings, plus(r)), body.settlementRef),
        );
        refuse(checkSettlementApplies(body.kind, amount, pending.refined ? await readHoldings() : holdings, plus(pending.reserved)));
        const message = settlementAttestation(body, hash, BigInt(nonce));
        const row: IssueRow = { did: body.did, didHash: hash, nonce, kind: 'settlement', sourceRef: body.settlementRef, requestHash, request: JSON.stringify(body), submitter: signer };
        // Above the chain's large-amount line: the line's threshold signs it (stored with the proposal).
        const scaled = scaleForAmount(this.d.store, body.did, body.chainId, amount, signerSet);
        if (scaled.largeThreshold !== undefined) {
          this.d.metrics.aboveLine.inc({ chain: String(body.chainId) });
          this.d.logger.info({ did: body.did, chainId: body.chainId, nonce, amount: body.amount, largeThreshold: scaled.largeThreshold }, 'settlement above the amount line: signed by the line threshold');
        }
        return { kind: 'propose', proposal: newProposal(issue, message, { kind: 'settlement', request: body }, scaled, [chainId], row), signerSet };
      },
    });
  }

  async submitNav(body: NavRequest): Promise<SubmitResult> {
    const { hash, record } = await registeredDid(this.d.registry, body.did);
    const signer = await recoveredSigner(recoverNavSigner({ hubChainId: this.d.hubChainId, registry: this.d.registryAddress }, body));
    await requireRole(this.d.registry, { hash, record }, 'navPublisher', signer);
    const next = { nav: BigInt(body.nav), asOf: BigInt(body.asOf) };
    refuse(checkNotInFuture('asOf', next.asOf, this.d.now(), this.d.maxFutureSkewSeconds));
    const requestHash = canonicalHash(navReportMessage(body));
    const sourceRef = String(body.asOf);

    return this.lock.run(hash, async () => {
      const existing = this.d.store.findBySource(body.did, 'nav', sourceRef);
      if (existing) return this.repeat(existing, requestHash, 'asOf');
      refuse(checkNav(next, this.d.store.latestNav(hash), record.maxNavMoveBps));
      const nonce = this.d.store.nextNonce(hash);
      const message = navAttestation(body, hash, BigInt(nonce));
      const chains = record.chainIds.filter((c) => this.d.destinations.get(Number(c)));
      return this.signAndStore(message, { kind: 'nav', request: body }, record, chains, {
        did: body.did,
        didHash: hash,
        nonce,
        kind: 'nav',
        sourceRef,
        requestHash,
        request: JSON.stringify(body),
        submitter: signer,
        navValue: body.nav,
        asOf: body.asOf,
      });
    });
  }

  private repeat(existing: AttestationRow, requestHash: Hex, field: string): SubmitResult {
    if (existing.requestHash !== requestHash) {
      throw new OracleError('conflicting_repeat', `${field} was already used with a different body (attestation ${existing.id})`, field);
    }
    return { created: false, attestation: existing };
  }

  private issueDeps(): IssueDeps {
    return { committee: this.d.committee, store: this.d.store, metrics: this.d.metrics, logger: this.d.logger, chain: (id) => this.d.destinations.get(id) };
  }

  private async signAndStore(message: AttestationMessage, source: SourceRequest, record: DidRecord, chainIds: readonly bigint[], row: IssueRow): Promise<SubmitResult> {
    const attestation = await issueAttestation(
      this.issueDeps(),
      message,
      source,
      signerSetOnChains(this.d.store, record),
      chainIds,
      row,
    );
    return { created: true, attestation };
  }
}
