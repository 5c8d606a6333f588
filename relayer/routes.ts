import type { Deployment, TransportName, TransportRoute } from '../schemas/deployment.js';
import { KIND } from '../schemas/message.js';

/** Which transport carries an attestation of `did` and `kind` to `chainId`; undefined when the chain is not served. */
export type RouteResolver = (did: string, kind: string, chainId: number) => TransportName | undefined;

export class RouteError extends Error {
  override readonly name = 'RouteError';
}

/**
 * Routes from the deployment: the first route whose DID, chain and kinds all match wins; a chain no route matches uses
 * its own `transport` (CCTP-style when absent). So "everything over CCTP, but NAV of fund X to chain Y over CCIP" is
 * one route, and one worker per chain still delivers that chain's jobs in oracle order whatever carries each.
 */
export function routeResolver(deployment: Pick<Deployment, 'chains' | 'routes'>): RouteResolver {
  const defaults = new Map(deployment.chains.map((c) => [c.chainId, c.transport ?? 'cctp']));
  const routes: readonly TransportRoute[] = deployment.routes ?? [];
  return (did, kind, chainId) => {
    const fallback = defaults.get(chainId);
    if (fallback === undefined) return undefined;
    const route = routes.find((r) => r.chainId === chainId && (r.did === undefined || r.did === did) && (r.kinds === undefined || r.kinds.includes(kind)));
    return route?.transport ?? fallback;
  };
}

/** The transports each chain needs: its default plus every route to it. CCIP needs a lane to that chain. */
export function transportsPerChain(deployment: Pick<Deployment, 'chains' | 'routes' | 'hub'>): Map<number, Set<TransportName>> {
  const byChain = new Map<number, Set<TransportName>>(deployment.chains.map((c) => [c.chainId, new Set<TransportName>([c.transport ?? 'cctp'])]));
  for (const [i, r] of (deployment.routes ?? []).entries()) {
    const unknown = r.kinds?.find((k) => !(k in KIND));
    if (unknown !== undefined) throw new RouteError(`routes[${i}].kinds: unknown kind "${unknown}" (one of ${Object.keys(KIND).join(', ')})`);
    const set = byChain.get(r.chainId);
    if (!set) throw new RouteError(`routes[${i}].chainId: chain ${r.chainId} is not in the deployment's chains`);
    set.add(r.transport);
  }
  for (const c of deployment.chains) {
    if (byChain.get(c.chainId)?.has('ccip') && (!c.ccip || !deployment.hub.ccip)) {
      throw new RouteError(`chain ${c.chainId} (${c.name}) is reached over ccip but the deployment has no CCIP lane to it (chains[].ccip and hub.ccip)`);
    }
  }
  return byChain;
}
