import { type Hex, type LocalAccount } from 'viem';
import type { Logger } from 'pino';
import type { SignResponse } from '../schemas/committee.js';
import { attestationDomain, attestationTypes } from '../schemas/eip712.js';
import { didHash as hashDid, type DidHash, type DidString } from '../schemas/ids.js';
import { attestationId, attestationTypedMessage, decodeMessage, encodeMessage, type AttestationMessage } from '../schemas/message.js';
import { attestationOf, sourceRefOf, type AnySource } from '../core/attestation.js';
import { sourceOf } from '../schemas/kinds/index.js';
import type { Destination } from '../core/committee-port.js';
import { OracleError } from '../core/errors.js';
import { KeyedMutex } from '../common/mutex.js';
import type { SignedChainRow, SignedStore } from './store/signed.js';
import type { ConfigSignerSet, SignerCheckDeps } from './checks.js';
import type { RedemptionCheckDeps } from './redemption-checks.js';
import { vet } from './vetting.js';
import { batchChecks } from './batch-reads.js';
import { SignedSettlements } from './signed-settlements.js';
import { signBatchRoots, type ValidatedItem } from './batch-roots.js';
import type { RootSignature } from '../schemas/committee.js';

export interface SignerServiceDeps extends Omit<SignerCheckDeps, 'self' | 'signedNav' | 'signedConfigSet' | 'signedReserveAsOf' | 'signedSourceRefAt' | 'redemption'> {
  /** The chains' redemptions modules and the registry's policies; without them the redemption kinds are refused. */
  redemption?: Omit<RedemptionCheckDeps, 'signedFulfilments' | 'signedDisclosureAsOf'>;
  account: LocalAccount;
  store: SignedStore;
  logger: Logger;
}

/** A parsed POST /v1/sign: the original request (with a reserve's proposed caps), the proposed nonce and chains. */
export interface SignCommand {
  source: AnySource;
  nonce: bigint;
  chainIds: readonly number[];
  /** The aggregator's word that the settlement is above its chain's large-amount line: kept out of the batch roots. */
  aboveLine?: boolean;
}

/** One item of a sign batch: its signatures, or its own refusal. */
export type BatchItemResult = ({ ok: true } & SignResult) | { ok: false; error: OracleError };

export interface SignResult {
  /** Already signed earlier: these are the first signatures, returned again. */
  repeat: boolean;
  response: SignResponse;
  /** A settlement or NAV message validated and signed by this call, with the chains it signed now (batch roots). */
  validated?: Omit<ValidatedItem, 'index'>;
}

/** A sign batch's answer: per item its result, and the roots over what it validated (committee/batch-roots.ts). */
export interface BatchResult {
  items: BatchItemResult[];
  roots: RootSignature[];
}

/** The kinds a batch root may cover: RwaReceiver.receiveBatch applies settlement and NAV messages only. */
const ROOT_KINDS: ReadonlySet<AnySource['kind']> = new Set(['settlement', 'nav']);

/**
 * One committee member. Builds the attestation from the original request and the proposed nonce itself, checks
 * it on its own (vetSignRequest, vetAdminRequest), signs it for each destination chain, and records what it signed
 * before answering.
 * It never signs two different messages for one (DID, nonce), nor one request under two nonces (409); the same
 * message again returns the same signatures.
 */
export class SignerService {
  private readonly checks: SignerCheckDeps;

  private readonly settlements: SignedSettlements;

  /** One write section at a time: a batch's transaction stays open across its chain reads (SignedStore.inTransaction). */
  private readonly writes = new KeyedMutex();

  constructor(private readonly d: SignerServiceDeps) {
    const appliedNonces = new Set<string>();
    this.settlements = new SignedSettlements(d.store, appliedNonces);
    this.checks = {
      ...d,
      self: d.account.address,
      signedNav: (did) => d.store.latestNav(did),
      signedConfigSet: (did, beforeNonce) => this.signedConfigSet(did, beforeNonce),
      signedReserveAsOf: (did) => d.store.latestReserveAsOf(did),
      signedSourceRefAt: (did, nonce) => d.store.byNonce(did, String(nonce))?.row.sourceRef,
      signedBurns: (did, chainId, investor) => this.settlements.burns(did, chainId, investor),
      signedMints: (did, chainId) => this.settlements.mints(did, chainId),
      mintsRefineDue: (did, chainId, open) => this.settlements.refineDue(did, chainId, open),
      mintsRefined: (did, chainId, open) => this.settlements.refined(did, chainId, open),
      appliedNonces,
      redemption: d.redemption && {
        ...d.redemption,
        signedFulfilments: (did, chainId, requestId) => this.signedFulfilments(did, chainId, requestId),
        signedDisclosureAsOf: (did, docKind) => d.store.latestAsOf(did, 'disclosure', `${docKind}:`),
      },
    };
  }

  /** The set a config this signer signed installs: decoded from the bytes it signed, not from the request. */
  private signedConfigSet(did: string, beforeNonce: bigint): ConfigSignerSet | undefined {
    const row = this.d.store.latestOfKindBefore(did, 'config', beforeNonce);
    if (!row) return undefined;
    const m = decodeMessage(row.message as Hex);
    if (m.kind !== 'config') throw new Error(`signed message at nonce ${row.nonce} is recorded as config but decodes as ${m.kind}`);
    return { signers: m.signers, threshold: m.threshold, signersValidUntil: m.signersValidUntil };
  }

  /** Fulfilments this signer signed for one request, decoded from the bytes it signed. */
  private signedFulfilments(did: string, chainId: number, requestId: bigint): { nonce: bigint; amount: bigint }[] {
    const out: { nonce: bigint; amount: bigint }[] = [];
    for (const { row, chains } of this.d.store.ofKind(did, 'redemptionFulfilment')) {
      if (!chains.some((c) => c.chainId === chainId)) continue;
      const m = decodeMessage(row.message as Hex);
      if (m.kind === 'redemptionFulfilment' && m.requestId === requestId) out.push({ nonce: m.nonce, amount: m.amount });
    }
    return out;
  }

  get address() {
    return this.d.account.address;
  }

  sign(cmd: SignCommand): Promise<SignResult> {
    return this.writes.run('store', () => this.signWith(cmd, this.checks, hashDid(cmd.source.request.did as DidString), 'info'));
  }

  /**
   * Signs a batch of proposals in order, as if they came one by one, against one set of hub and chain reads
   * (batchChecks): each item signed is recorded before the next is checked, so what it reserves (caps, holdings)
   * counts for the items after it. Each item gets its own answer; one refused never fails the others. Then, per DID
   * and chain, one root over the settlement and NAV messages validated here (`indexes[i]`: item i's index in the
   * request, for the roots' item lists).
   */
  signBatch(cmds: readonly SignCommand[], indexes: readonly number[] = cmds.map((_, i) => i)): Promise<BatchResult> {
    // All the batch's records in one transaction, committed before any of it is answered (one fsync per batch).
    return this.writes.run('store', async () => {
      let result: BatchResult;
      try {
        result = await this.d.store.inTransaction(() => this.signBatchItems(cmds, indexes));
      } catch (err) {
        // Rolled back: what the in-memory view learnt from the batch's records is gone from the store too.
        this.settlements.forget();
        throw err;
      }
      // One line per batch at info; each item's own line is at debug (a refusal's warning stays a warning).
      const signed = result.items.filter((r) => r.ok && !r.repeat).length;
      const refused = result.items.filter((r) => !r.ok).length;
      this.d.logger.info({ items: cmds.length, signed, repeats: cmds.length - signed - refused, refused, roots: result.roots.length }, 'sign batch recorded');
      return result;
    });
  }

  private async signBatchItems(cmds: readonly SignCommand[], indexes: readonly number[]): Promise<BatchResult> {
    const signedInBatch = new Set<string>();
    const checks = batchChecks(this.checks, signedInBatch);
    const items: BatchItemResult[] = [];
    const validated: ValidatedItem[] = [];
    for (const [i, cmd] of cmds.entries()) {
      try {
        const did = hashDid(cmd.source.request.did as DidString);
        const r = await this.signWith(cmd, checks, did, 'debug');
        signedInBatch.add(`${did}:${cmd.nonce}`);
        items.push({ ok: true, ...r });
        // Above the line: receiveBatch refuses it, so a root covering it would only fail its whole batch.
        if (r.validated && cmd.aboveLine !== true) validated.push({ index: indexes[i]!, ...r.validated });
      } catch (err) {
        if (!(err instanceof OracleError)) throw err;
        items.push({ ok: false, error: err });
      }
    }
    return { items, roots: await signBatchRoots(this.d.account, validated) };
  }

  /** `did`: the hash of the request's DID string, computed once by the caller; `level`: of its signed and repeat lines. */
  private async signWith(cmd: SignCommand, checks: SignerCheckDeps, did: DidHash, level: 'info' | 'debug'): Promise<SignResult> {
    let message: AttestationMessage;
    let encoded: Hex;
    try {
      message = attestationOf(cmd.source, did, cmd.nonce);
      encoded = encodeMessage(message);
    } catch (err) {
      // A field the wire layout cannot hold (e.g. a name past 255 bytes): nothing to sign.
      throw new OracleError('invalid_body', `request cannot be encoded as an attestation: ${err instanceof Error ? err.message : String(err)}`, 'request', { cause: err });
    }
    const id = attestationId(encoded);
    const nonce = String(cmd.nonce);
    const sourceRef = sourceRefOf(cmd.source);
    // The item's child logger only when a line is written (building one per item costs more than most items log).
    const log = () => this.d.logger.child({ attestationId: id, did: cmd.source.request.did, nonce, kind: cmd.source.kind });
    const logs = this.d.logger.isLevelEnabled(level);

    // Cheap refusals and repeats first, from the record alone; `record` below re-checks atomically.
    const signed = this.d.store.byNonce(did, nonce);
    if (signed && signed.row.messageHash !== id) throw this.equivocation(signed.row.messageHash, nonce, log);
    if (signed) {
      const have = new Map(signed.chains.map((c) => [c.chainId, c]));
      const all = cmd.chainIds.map((c) => have.get(c));
      if (all.every((c) => c !== undefined)) {
        if (logs) log()[level]({ chains: cmd.chainIds }, 'repeat of a signed message; same signatures');
        return { repeat: true, response: this.response(id, all as SignedChainRow[]) };
      }
    } else {
      const other = this.d.store.bySource(did, cmd.source.kind, sourceRef);
      if (other) throw this.sourceReused(other.nonce, log);
    }

    // A message already approved only needs its new chains checked, not the rules again (the NAV baseline is now
    // that message itself).
    const { destinations } = await vet(checks, { source: cmd.source, did, chainIds: cmd.chainIds, nonce: cmd.nonce, rules: !signed });
    const chains = await Promise.all(destinations.map(async (dest) => ({ chainId: Number(dest.chainId), receiver: dest.receiver, signature: await this.signFor(message, dest) })));

    const result = this.d.store.record(
      {
        didHash: did,
        nonce,
        messageHash: id,
        message: encoded,
        did: cmd.source.request.did,
        kind: cmd.source.kind,
        sourceRef,
        navValue: cmd.source.kind === 'nav' ? cmd.source.request.nav : null,
        asOf: sourceOf(cmd.source.kind).asOf?.(cmd.source) ?? null,
        createdAt: new Date().toISOString(),
      },
      chains,
    );
    if (result.outcome === 'equivocation') throw this.equivocation(result.existing.messageHash, nonce, log);
    if (result.outcome === 'source_reused') throw this.sourceReused(result.existing.nonce, log);
    this.settlements.recorded({ didHash: did, nonce, kind: cmd.source.kind, message: encoded }, result.chains);
    const byChain = new Map(result.chains.map((c) => [c.chainId, c]));
    const answer = cmd.chainIds.map((c) => byChain.get(c)).filter((c): c is SignedChainRow => c !== undefined);
    if (logs) log()[level]({ chains: cmd.chainIds, extended: Boolean(signed) }, 'attestation signed');
    const signedNow = chains.map(({ chainId, receiver }) => ({ chainId, receiver }));
    // Only a message new to this signer, its rules checked in full by this call, goes under a root (not one extended).
    const validated = !signed && ROOT_KINDS.has(cmd.source.kind) && signedNow.length > 0 ? { did, message: encoded, chains: signedNow } : undefined;
    return { repeat: false, response: this.response(id, answer), ...(validated ? { validated } : {}) };
  }

  private signFor(message: AttestationMessage, dest: Destination): Promise<Hex> {
    const typed = attestationTypedMessage(message);
    return this.d.account.signTypedData({
      domain: attestationDomain(dest.chainId, dest.receiver),
      types: attestationTypes,
      primaryType: typed.primaryType,
      message: typed.message,
    } as Parameters<LocalAccount['signTypedData']>[0]);
  }

  private response(id: Hex, chains: readonly SignedChainRow[]): SignResponse {
    return { signer: this.d.account.address, attestationId: id, signatures: chains.map((c) => ({ chainId: c.chainId, receiver: c.receiver, signature: c.signature })) };
  }

  private equivocation(signedHash: string, nonce: string, log: () => Logger): OracleError {
    log().warn({ signedAttestationId: signedHash }, 'refused: another message was signed at this nonce');
    return new OracleError('equivocation', `nonce ${nonce} of this DID is already signed for another message (${signedHash})`, 'nonce');
  }

  private sourceReused(signedNonce: string, log: () => Logger): OracleError {
    log().warn({ signedNonce }, 'refused: this request was signed under another nonce');
    return new OracleError('source_already_signed', `this request was already signed at nonce ${signedNonce}`, 'nonce');
  }
}
