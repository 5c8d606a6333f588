import type { Deployment, TransportName, TransportRoute } from '../schemas/deployment.js';
import { KIND } from '../schemas/message.js';
import { ccipLanesOf } from './lanes.js';
import { wormholeChainId } from '../schemas/ids.js';
import { RwaError } from '../common/errors.js';

/**
 * Which transport carries an attestation of `did` and `kind` from chain `from` (its origin, see originOf) to
 * `chainId`; undefined when the chain is not served.
 */
export type RouteResolver = (did: string, kind: string, chainId: number, from: number) => TransportName | undefined;

export class RouteError extends RwaError<'invalid_route'> {
  override readonly name = 'RouteError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'invalid_route', retryable: false, cause: options?.cause });
  }
}

/**
 * Routes from the deployment: the first route whose DID, chain and kinds all match wins; a chain no route matches uses
 * its own `transport` (CCTP-style when absent). So "everything over CCTP, but NAV of fund X to chain Y over CCIP" is
 * one route, and one worker per chain still delivers that chain's jobs in oracle order whatever carries each.
 */
export function routeResolver(deployment: Pick<Deployment, 'chains' | 'routes' | 'hub'>): RouteResolver {
  const defaults = new Map(deployment.chains.map((c) => [c.chainId, c.transport ?? 'cctp']));
  const routes: readonly TransportRoute[] = deployment.routes ?? [];
  const hub = deployment.hub.chainId;
  return (did, kind, chainId, from) => {
    const fallback = defaults.get(chainId);
    if (fallback === undefined) return undefined;
    const route = routes.find(
      (r) => r.chainId === chainId && (r.from === undefined || r.from === from) && (r.did === undefined || r.did === did) && (r.kinds === undefined || r.kinds.includes(kind)),
    );
    // A chain's default transport is for what the hub fans out; what starts on a spoke takes CCIP only by a route,
    // and never Wormhole (its emitter is on the hub only).
    if (!route && from !== hub && fallback !== 'cctp') return 'cctp';
    return route?.transport ?? fallback;
  };
}

/**
 * The transports each chain needs: its default, every route to it, and every transport the deployment can reach it
 * with (CCTP-style always, CCIP with a lane to it, Wormhole with its `wormhole` block), since a DID's transport quorum
 * may ask for any of them. CCIP needs a lane to that chain, and a route naming its origin needs the lane from there.
 * Wormhole needs the chain's `wormhole` block and carries from the hub.
 */
export function transportsPerChain(deployment: Pick<Deployment, 'chains' | 'routes' | 'hub' | 'ccipLanes'>): Map<number, Set<TransportName>> {
  const lanes = ccipLanesOf(deployment);
  const byChain = new Map<number, Set<TransportName>>(deployment.chains.map((c) => [c.chainId, new Set<TransportName>([c.transport ?? 'cctp'])]));
  for (const [i, r] of (deployment.routes ?? []).entries()) {
    const unknown = r.kinds?.find((k) => !(k in KIND));
    if (unknown !== undefined) throw new RouteError(`routes[${i}].kinds: unknown kind "${unknown}" (one of ${Object.keys(KIND).join(', ')})`);
    const set = byChain.get(r.chainId);
    if (!set) throw new RouteError(`routes[${i}].chainId: chain ${r.chainId} is not in the deployment's chains`);
    if (r.transport === 'ccip' && r.from !== undefined && !lanes.some((l) => l.from === r.from && l.to === r.chainId)) {
      throw new RouteError(`routes[${i}].from: no CCIP lane from chain ${r.from} to chain ${r.chainId} (ccipLanes)`);
    }
    if (r.transport === 'wormhole' && r.from !== undefined && r.from !== deployment.hub.chainId) {
      throw new RouteError(`routes[${i}].from: Wormhole carries only from the hub (chain ${deployment.hub.chainId}), not from chain ${r.from}`);
    }
    set.add(r.transport);
  }
  for (const c of deployment.chains) {
    const set = byChain.get(c.chainId);
    set?.add('cctp');
    if (lanes.some((l) => l.to === c.chainId)) set?.add('ccip');
    if (c.wormhole) set?.add('wormhole');
  }
  for (const c of deployment.chains) {
    if (byChain.get(c.chainId)?.has('ccip') && !lanes.some((l) => l.to === c.chainId)) {
      throw new RouteError(`chain ${c.chainId} (${c.name}) is reached over ccip but the deployment has no CCIP lane to it (chains[].ccip or ccipLanes)`);
    }
    if (byChain.get(c.chainId)?.has('wormhole') && !c.wormhole) {
      throw new RouteError(`chain ${c.chainId} (${c.name}) is reached over wormhole but has no chains[].wormhole block (adapter, emitter, emitterChainId)`);
    }
    if (c.wormhole) {
      try {
        wormholeChainId(c.wormhole.emitterChainId);
      } catch {
        throw new RouteError(`chains[].wormhole.emitterChainId of ${c.name}: ${c.wormhole.emitterChainId} is not a Wormhole chain id the SDK knows`);
      }
    }
  }
  return byChain;
}
