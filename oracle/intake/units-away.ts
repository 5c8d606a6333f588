import type { DidHash } from '../../schemas/ids.js';
import { moveSourceRef } from '../../core/attestation.js';
import { readChain } from '../../core/guards.js';
import type { AttestationStore } from '../store/attestations.js';
import type { MoveState } from '../store/schema.js';

export interface UnitsAwayDeps {
  moves: { unfinished(limit?: number): readonly { did: string; ref: string; state: MoveState }[] };
  store: Pick<AttestationStore, 'findBySource'>;
  /** Whether the chain applied the DID's nonce; without it a move not yet seen out is not counted. */
  isApplied?: (chainId: number, did: DidHash, nonce: bigint) => Promise<boolean>;
}

/**
 * Per from-chain, the units a DID's unfinished moves have burned there and not minted back or on: their return may
 * mint them on that chain again. A reserve split counts them in that chain's supply, or a reserve reported in the
 * middle of a move could lower the from-chain's cap to its supply, and the return would revert SupplyCapExceeded
 * until a later reserve raised it (units stranded). A move the loop has not seen out yet ('accepted') counts once
 * its out leg is applied on chain. The cost: between a leg applying and the loop seeing it the units count twice,
 * so a reserve exactly equal to the supply is refused for that moment (422, retry).
 */
export async function unitsAway(d: UnitsAwayDeps, did: string, hash: DidHash): Promise<Map<bigint, bigint>> {
  const away = new Map<bigint, bigint>();
  for (const move of d.moves.unfinished().filter((m) => m.did === did)) {
    const out = d.store.findBySource(did, 'settlement', moveSourceRef(move.ref, 'out'));
    if (!out) continue;
    const request = JSON.parse(out.request) as { fromChainId: number; amount: string };
    if (move.state === 'accepted') {
      const isApplied = d.isApplied;
      if (!isApplied) continue;
      const burned = await readChain(`the out leg of move ${move.ref} on chain ${request.fromChainId}`, () => isApplied(request.fromChainId, hash, BigInt(out.nonce)));
      if (!burned) continue;
    }
    const chain = BigInt(request.fromChainId);
    away.set(chain, (away.get(chain) ?? 0n) + BigInt(request.amount));
  }
  return away;
}
