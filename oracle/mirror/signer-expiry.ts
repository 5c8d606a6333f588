import type { Gauge } from 'prom-client';
import type { Logger } from 'pino';
import type { Hex } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import type { RegistryListPort } from '../../core/chain/registry.js';

/** The receivers' key of the governance set (RwaReceiver.GOVERNANCE). */
export const GOVERNANCE_KEY: Hex = `0x${'00'.repeat(32)}`;
/** Inside this many seconds of a set's end the watch logs a warning (an operator rotates before it). */
export const EXPIRY_WARN_SECONDS = 30 * 86_400;
/** How often the same set's warning repeats while it stays inside the window. */
const WARN_EVERY_SECONDS = 86_400;

export interface SignerSetEnd {
  signersValidUntil: number;
  /** Seconds from now to the end; negative once past it (the set verifies nothing). */
  secondsLeft: number;
}

export interface SignerExpiryView {
  /** Each registered DID's set, as the hub registry holds it (what its next config carries to every chain). */
  dids: (SignerSetEnd & { did: string })[];
  /** Governance's set on each receiver (fixed at deployment, moved by a governance rotation). */
  governance: (SignerSetEnd & { chainId: number })[];
  /** Unix seconds of the pass this view comes from; undefined before the first. */
  asOf: number | undefined;
}

export interface SignerExpiryDeps {
  registry: RegistryListPort;
  receivers: { signersValidUntilOf(chainId: number, did: Hex): Promise<number> };
  chainIds: readonly number[];
  metrics: { signerSetExpiresSeconds: Gauge<'did'> };
  logger: Logger;
  /** Unix seconds. */
  now: () => bigint;
}

/**
 * Watches when signer sets end (issue 24, point 4): past its end a set verifies nothing on a receiver, so a DID whose
 * set lapses stops settling until a config verified by governance lands, and a receiver whose governance lapses must
 * be redeployed. Each pass sets `oracle_signer_set_expires_seconds{did}` (seconds left; governance as
 * `governance:<chainId>`), warns inside EXPIRY_WARN_SECONDS and keeps the view the DID document serves.
 */
export class SignerExpiryWatch {
  private last: SignerExpiryView = { dids: [], governance: [], asOf: undefined };
  private readonly warnedAt = new Map<string, number>();

  constructor(private readonly d: SignerExpiryDeps) {}

  view(): SignerExpiryView {
    return this.last;
  }

  async refresh(): Promise<SignerExpiryView> {
    const now = Number(this.d.now());
    const end = (signersValidUntil: number): SignerSetEnd => ({ signersValidUntil, secondsLeft: signersValidUntil - now });
    const dids: SignerExpiryView['dids'] = [];
    for (const hash of await this.d.registry.listDids()) {
      const record = await this.d.registry.getDid(hash as DidHash);
      if (record) dids.push({ did: record.did, ...end(record.signersValidUntil) });
    }
    const governance = await Promise.all(
      this.d.chainIds.map(async (chainId) => ({ chainId, ...end(await this.d.receivers.signersValidUntilOf(chainId, GOVERNANCE_KEY)) })),
    );
    for (const s of dids) this.report(s.did, { did: s.did }, s, now);
    for (const g of governance) this.report(`governance:${g.chainId}`, { governanceOfChain: g.chainId }, g, now);
    this.last = { dids, governance, asOf: now };
    return this.last;
  }

  private report(label: string, who: Record<string, string | number>, s: SignerSetEnd, now: number): void {
    this.d.metrics.signerSetExpiresSeconds.set({ did: label }, s.secondsLeft);
    if (s.secondsLeft > EXPIRY_WARN_SECONDS) {
      this.warnedAt.delete(label);
      return;
    }
    const warned = this.warnedAt.get(label);
    if (warned !== undefined && now - warned < WARN_EVERY_SECONDS) return;
    this.warnedAt.set(label, now);
    const fields = { ...who, signersValidUntil: s.signersValidUntil, secondsLeft: s.secondsLeft };
    if (s.secondsLeft < 0) this.d.logger.error(fields, 'signer set past its end: it verifies nothing until a rotation lands');
    else this.d.logger.warn(fields, 'signer set ends within 30 days: rotate or renew it (updateConfig)');
  }
}
