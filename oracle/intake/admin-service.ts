import { keccak256, stringToBytes, type Address, type Hex } from 'viem';
import type { Logger } from 'pino';
import type { AllowListRequest, PauseRequest, ReserveRequest } from '../../schemas/http.js';
import { type DidHash } from '../../schemas/ids.js';
import type { KeyedMutex } from '../../common/mutex.js';
import type { DidRecord, RegistryListPort, RegistryPort } from '../../core/chain/registry.js';
import type { DestinationsPort, HoldingsPort } from '../../core/chain/destinations.js';
import { decodeMessage } from '../../schemas/message.js';
import type { CommitteePort } from '../../core/committee-port.js';
import { allowListEntries, attestationOf, configRef, configSnapshotOf, type AdminSource, type RegistryConfigSnapshot } from '../../core/attestation.js';
import { recoverAllowListSigner, recoverPauseSigner, recoverReserveSigner, type CustodianDomainParams } from '../../core/custodian-auth.js';
import { issueAttestation, type IssueDeps } from '../issue/issue.js';
import { OracleError } from '../../core/errors.js';
import { checkNotInFuture } from '../../core/rules.js';
import { splitReserve } from './reserve.js';
import type { AttestationRow, AttestationStore } from '../store/attestations.js';
import type { OracleMetrics } from '../metrics.js';
import { signerSetOnChains, type SubmitResult } from './settlement-service.js';
import { DidIsolation } from '../mirror/did-isolation.js';
import { readChain, recoveredSigner, registeredDid, requireIssuer, requireRole } from '../../core/guards.js';
import { unitsAway, type UnitsAwayDeps } from './units-away.js';
import { configSignerSet } from '../../core/config-signers.js';

export interface AdminDeps {
  registry: RegistryPort & RegistryListPort;
  registryAddress: Address;
  hubChainId: bigint;
  /** With `isApplied`, a reserve counts the caps of earlier reserves still in flight in each chain's ceiling. */
  holdings: HoldingsPort & Partial<Pick<DestinationsPort, 'isApplied'>>;
  committee: CommitteePort;
  /** Signs the first config of a DID on every receiver (the receivers' constructor set). */
  governance: { signers: readonly Address[]; threshold: number };
  store: AttestationStore;
  metrics: OracleMetrics;
  logger: Logger;
  lock: KeyedMutex;
  now: () => bigint;
  maxFutureSkewSeconds: number;
  /** Wall clock (ms) of the per-DID backoff of the registry sync; Date.now unless a test sets it. */
  clockMs?: () => number;
  /** Unfinished moves: the units they burned count in their from-chain's supply when a reserve is split. */
  moves?: UnitsAwayDeps['moves'];
}

const hashJson = (v: unknown): Hex => keccak256(stringToBytes(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))));

/**
 * Attestations that set up and govern a DID on every chain: its config (mirrored from the hub registry), the
 * allow-list and pause (ordered by the issuer) and the reserve (reported by a custodian, split into per-chain mint
 * budgets). They take nonces from the same per-DID sequence as settlements and NAV, under the same lock.
 */
export class AdminService {
  private readonly configs: DidIsolation;

  constructor(private readonly d: AdminDeps) {
    this.configs = new DidIsolation('config', { ...d, logger: d.logger.child({ module: 'registry-sync' }) });
  }

  private get issue(): IssueDeps {
    return { committee: this.d.committee, store: this.d.store, metrics: this.d.metrics, logger: this.d.logger, chain: (id) => this.d.holdings.get(id) };
  }


  private chainsOf(record: DidRecord): bigint[] {
    return record.chainIds.filter((c) => this.d.holdings.get(Number(c)));
  }

  private get domain(): CustodianDomainParams {
    return { hubChainId: this.d.hubChainId, registry: this.d.registryAddress };
  }


  /** Runs `make` under the DID's lock with its next nonce unless the same source was attested already. */
  private async once(
    record: DidRecord,
    hash: DidHash,
    kind: AttestationRow['kind'],
    sourceRef: string,
    requestHash: Hex,
    field: string,
    make: (nonce: number) => Promise<AttestationRow>,
  ): Promise<SubmitResult> {
    return this.d.lock.run(hash, async () => {
      const existing = this.d.store.findBySource(record.did, kind, sourceRef);
      if (existing) {
        if (existing.requestHash !== requestHash) {
          throw new OracleError('conflicting_repeat', `${field} was already used with a different body (attestation ${existing.id})`, field);
        }
        return { created: false, attestation: existing };
      }
      return { created: true, attestation: await make(this.d.store.nextNonce(hash)) };
    });
  }

  // ---- config, mirrored from the hub registry ----

  /**
   * Makes every registered DID's config reach its chains: a DID never attested gets a config signed by governance;
   * a DID whose registry config changed gets a new config signed by the signer set the chains hold now (the last
   * attested one), which rotates it. Returns the attestations created.
   */
  async syncRegistry(): Promise<AttestationRow[]> {
    return this.configs.each(await this.d.registry.listDids(), async (hash, ctx) => {
      const record = await this.d.registry.getDid(hash);
      if (!record) return [];
      ctx.did = record.did;
      const snapshot = configSnapshotOf(record);
      const last = this.d.store.latestOfKind(hash, 'config');
      const ref = configRef(snapshot);
      if (last?.sourceRef === ref) return [];
      const signerSet = last ? (JSON.parse(last.request) as RegistryConfigSnapshot) : undefined;
      // The set the chains hold signs, unless it is past its end: then governance does, as for a first config.
      const holder = configSignerSet(signerSet, this.d.governance, this.d.now());
      const signedBy = { signers: holder.signers as Address[], threshold: holder.threshold };
      const r = await this.once(record, hash, 'config', ref, hashJson(snapshot), 'config', (nonce) => {
        const source: AdminSource = { kind: 'config', request: snapshot };
        return issueAttestation(this.issue, attestationOf(source, hash, BigInt(nonce)), source, signedBy, this.chainsOf(record), {
          did: record.did,
          didHash: hash,
          nonce,
          kind: 'config',
          sourceRef: ref,
          requestHash: hashJson(snapshot),
          request: JSON.stringify(snapshot),
          submitter: this.d.registryAddress,
        });
      });
      return r.created ? [r.attestation] : [];
    });
  }

  // ---- allow-list and pause, ordered by the issuer ----

  async submitAllowList(body: AllowListRequest): Promise<SubmitResult> {
    const content = { did: body.did, ref: body.ref, entries: allowListEntries(body) };
    return this.issuerOrder({ kind: 'allowlist', request: body }, () => recoverAllowListSigner(this.domain, body), content);
  }

  async submitPause(body: PauseRequest): Promise<SubmitResult> {
    const content = { did: body.did, ref: body.ref, paused: body.paused };
    return this.issuerOrder({ kind: 'pause', request: body }, () => recoverPauseSigner(this.domain, body), content);
  }

  /** An order the DID's issuer signed (allow-list, pause): once per ref, to every chain, signed by the set they hold. */
  private async issuerOrder(
    source: Extract<AdminSource, { kind: 'allowlist' | 'pause' }>,
    recover: () => Promise<Address>,
    content: unknown,
  ): Promise<SubmitResult> {
    const body = source.request;
    const { hash, record } = await registeredDid(this.d.registry, body.did);
    const signer = await recoveredSigner(recover());
    requireIssuer(record, signer);
    const requestHash = hashJson(content);
    return this.once(record, hash, source.kind, body.ref, requestHash, 'ref', (nonce) =>
      issueAttestation(
        this.issue,
        attestationOf(source, hash, BigInt(nonce)),
        source,
        signerSetOnChains(this.d.store, record),
        this.chainsOf(record),
        { did: body.did, didHash: hash, nonce, kind: source.kind, sourceRef: body.ref, requestHash, request: JSON.stringify(body), submitter: signer },
      ),
    );
  }

  // ---- reserve, reported by a custodian ----

  /** The reserve split into per-chain caps from the supply on each chain now (422 when the reserve is below it). */
  /**
   * Per chain, the highest cap of the reserves signed for it and not applied there yet (newest first, down to the
   * newest applied one: an older reserve can no longer apply after it). A mint may still land under such a cap, so
   * it belongs in the chain's ceiling; without it the chain can be past the new reserve's ceiling (ChainPastCeiling).
   */
  private async capsInFlight(did: string, hash: DidHash, chains: readonly bigint[]): Promise<Map<bigint, bigint>> {
    const holdings = this.d.holdings;
    const out = new Map<bigint, bigint>();
    if (!holdings.isApplied) return out;
    const isApplied = holdings.isApplied.bind(holdings);
    const reserves = this.d.store.ofKind(did, 'reserve').map((row) => decodeMessage(row.message as Hex));
    await Promise.all(
      chains.map(async (c) => {
        for (const m of reserves) {
          if (m.kind !== 'reserve') continue;
          const entry = m.caps.find((x) => x.chainId === c);
          if (!entry) continue;
          const applied = await readChain(`the reserve in force on chain ${c}`, () => isApplied(Number(c), hash, m.nonce));
          if (applied) return;
          if (entry.cap > (out.get(c) ?? 0n)) out.set(c, entry.cap);
        }
      }),
    );
    return out;
  }

  private async reserveSource(body: ReserveRequest, hash: DidHash, chains: readonly bigint[]): Promise<AdminSource> {
    const inFlight = await this.capsInFlight(body.did, hash, chains);
    const isApplied = this.d.holdings.isApplied?.bind(this.d.holdings);
    const away = this.d.moves ? await unitsAway({ moves: this.d.moves, store: this.d.store, ...(isApplied ? { isApplied } : {}) }, body.did, hash) : new Map<bigint, bigint>();
    const supplies = await Promise.all(
      chains.map(async (c) => {
        const state = await readChain(`the supply on chain ${c}`, () => this.d.holdings.holdingsState(Number(c), hash));
        const pending = inFlight.get(c) ?? 0n;
        return { chainId: c, supply: state.totalSupply + (away.get(c) ?? 0n), capInForce: state.supplyCap > pending ? state.supplyCap : pending };
      }),
    );
    const split = splitReserve(BigInt(body.reserve), supplies);
    if (!split.ok) throw new OracleError('reserve_below_supply', split.message, 'reserve');
    return { kind: 'reserve', request: body, caps: split.caps.map((c) => ({ chainId: Number(c.chainId), cap: c.cap.toString(), ceiling: c.ceiling.toString() })) };
  }

  /**
   * Proof of reserve: the reserve must cover the supply on all chains together; it is split into per-chain mint
   * budgets (each chain keeps its supply plus an equal share of the headroom), whose sum never exceeds the reserve.
   */
  async submitReserve(body: ReserveRequest): Promise<SubmitResult> {
    const { hash, record } = await registeredDid(this.d.registry, body.did);
    const signer = await recoveredSigner(recoverReserveSigner(this.domain, body));
    await requireRole(this.d.registry, { hash, record }, 'custodian', signer);
    const asOf = BigInt(body.asOf);
    const future = checkNotInFuture('asOf', asOf, this.d.now(), this.d.maxFutureSkewSeconds);
    if (future) throw new OracleError(future.code, future.message, future.field);
    const content = { did: body.did, reserve: body.reserve, asOf: body.asOf };
    const sourceRef = String(body.asOf);
    const existing = this.d.store.findBySource(body.did, 'reserve', sourceRef);
    if (existing && existing.requestHash === hashJson(content)) return { created: false, attestation: existing };
    const last = this.d.store.latestOfKind(hash, 'reserve');
    if (last?.asOf !== null && last?.asOf !== undefined && asOf <= BigInt(last.asOf) && !existing) {
      throw new OracleError('reserve_not_newer', `asOf ${asOf} is not later than the latest reserve's asOf ${last.asOf}`, 'asOf');
    }
    const chains = this.chainsOf(record);
    // A round for this very request still open: complete it with the caps first proposed, never recomputed.
    const open = this.d.store.proposals.openBySource(body.did, 'reserve', sourceRef);
    const source = open && open.requestHash === hashJson(content) ? (JSON.parse(open.source) as AdminSource) : await this.reserveSource(body, hash, chains);
    return this.once(record, hash, 'reserve', sourceRef, hashJson(content), 'asOf', (nonce) =>
      issueAttestation(
        this.issue,
        attestationOf(source, hash, BigInt(nonce)),
        source,
        signerSetOnChains(this.d.store, record),
        chains,
        { did: body.did, didHash: hash, nonce, kind: 'reserve', sourceRef, requestHash: hashJson(content), request: JSON.stringify(body), submitter: signer, asOf: body.asOf },
      ),
    );
  }
}
