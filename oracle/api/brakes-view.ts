import { Hono } from 'hono';
import type { Logger } from 'pino';
import { DID_PATTERN, type DidHash } from '../../schemas/ids.js';
import type { BrakesChainPort, BrakesInForce } from '../../core/chain/brakes.js';
import type { DidRecord, RegistryPort } from '../../core/chain/registry.js';
import { OracleError } from '../../core/errors.js';
import { registeredDid } from '../../core/guards.js';
import { attestedBrakes } from '../issue/amount-line.js';
import type { AttestationStore } from '../store/attestations.js';
import type { OracleMetrics } from '../metrics.js';

export interface BrakesViewDeps {
  registry: Pick<RegistryPort, 'getDid'>;
  chains: BrakesChainPort;
  /** Chains this deployment serves (a DID's other chains are left out). */
  served: (chainId: number) => boolean;
  store: Pick<AttestationStore, 'ofKind'>;
  metrics: Pick<OracleMetrics, 'brakesQueued' | 'brakesAvailable' | 'brakesLine' | 'brakesLargeThreshold' | 'watcherFailures'>;
  logger: Logger;
}

const str = (v: bigint | undefined): string | null => (v === undefined ? null : v.toString());

/** One chain of a DID's brakes status: what was attested (kind 14) and what the receiver holds now. */
function chainView(chainId: number, attested: ReturnType<typeof attestedBrakes>, inForce: BrakesInForce | undefined) {
  return {
    chainId,
    attested: attested
      ? { revision: attested.revision, nonce: attested.nonce, mintCapacity: attested.mintCapacity, mintRefillPerSecond: attested.mintRefillPerSecond, burnCapacity: attested.burnCapacity, burnRefillPerSecond: attested.burnRefillPerSecond, largeAmount: attested.largeAmount, largeThreshold: attested.largeThreshold }
      : null,
    inForce: inForce
      ? {
          mint: { capacity: inForce.mintCapacity.toString(), refillPerSecond: inForce.mintRefillPerSecond.toString(), available: str(inForce.mintAvailable), queued: inForce.queuedMint },
          burn: { capacity: inForce.burnCapacity.toString(), refillPerSecond: inForce.burnRefillPerSecond.toString(), available: str(inForce.burnAvailable), queued: inForce.queuedBurn },
          largeAmount: inForce.largeAmount.toString(),
          largeThreshold: inForce.largeThreshold,
        }
      : null,
  };
}

export type BrakesChainView = ReturnType<typeof chainView>;

/**
 * A DID's brakes per chain (issue 24): the brakes last attested by the oracle, and the brakes in force on the
 * receiver with each bucket's level and the settlements queued. Every read also sets the brakes gauges, so the
 * metrics follow the chains (main.ts refreshes them on a timer too). A chain that cannot be read shows `inForce:
 * null` and is counted, the others are still shown.
 */
export class BrakesView {
  private readonly log;

  constructor(private readonly d: BrakesViewDeps) {
    this.log = d.logger.child({ module: 'brakes-view' });
  }

  async ofDid(did: string): Promise<{ did: string; chains: BrakesChainView[] }> {
    const { hash, record } = await registeredDid(this.d.registry, did);
    return { did, chains: await this.chainsOf(hash, record) };
  }

  /** Sets the gauges of every given DID (the metrics timer). */
  async refresh(hashes: readonly DidHash[]): Promise<void> {
    for (const hash of hashes) {
      const record = await this.d.registry.getDid(hash);
      if (record) await this.chainsOf(hash, record);
    }
  }

  private async chainsOf(hash: DidHash, record: DidRecord): Promise<BrakesChainView[]> {
    const out: BrakesChainView[] = [];
    for (const chainId of record.chainIds.map(Number).filter(this.d.served)) {
      let inForce: BrakesInForce | undefined;
      try {
        inForce = await this.d.chains.brakesInForce(chainId, hash);
        this.gauges(record.did, chainId, inForce);
      } catch (err) {
        this.d.metrics.watcherFailures.inc({ watcher: 'brakes-view', chain: String(chainId) });
        this.log.warn({ err, did: record.did, chainId }, 'brakes of a chain could not be read');
      }
      out.push(chainView(chainId, attestedBrakes(this.d.store, record.did, chainId), inForce));
    }
    return out;
  }

  private gauges(did: string, chainId: number, b: BrakesInForce): void {
    const chain = String(chainId);
    const m = this.d.metrics;
    m.brakesQueued.set({ did, chain, direction: 'mint' }, b.queuedMint);
    m.brakesQueued.set({ did, chain, direction: 'burn' }, b.queuedBurn);
    m.brakesAvailable.set({ did, chain, direction: 'mint' }, b.mintAvailable === undefined ? -1 : Number(b.mintAvailable));
    m.brakesAvailable.set({ did, chain, direction: 'burn' }, b.burnAvailable === undefined ? -1 : Number(b.burnAvailable));
    m.brakesLine.set({ did, chain }, Number(b.largeAmount));
    m.brakesLargeThreshold.set({ did, chain }, b.largeThreshold);
  }
}

/** GET /v1/dids/:did/brakes: the DID's brakes status per chain. */
export function createBrakesRoutes(view: Pick<BrakesView, 'ofDid'>): Hono {
  const app = new Hono();
  app.get('/dids/:did/brakes', async (c) => {
    const did = c.req.param('did');
    if (!DID_PATTERN.test(did)) throw new OracleError('invalid_did', 'not an RWA DID (did:rwa:...)', 'did');
    return c.json(await view.ofDid(did));
  });
  return app;
}
