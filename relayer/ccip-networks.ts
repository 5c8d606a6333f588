import { getAddress, type Address } from 'viem';
import type { Deployment } from '../schemas/deployment.js';

/** Public CCIP networks the relayer knows: their Router and chain selector (from Chainlink's CCIP directory). */
export interface CcipNetwork {
  name: string;
  chainId: number;
  selector: bigint;
  router: Address;
}

export const CCIP_LIVE_NETWORKS: readonly CcipNetwork[] = [
  { name: 'ethereum-testnet-sepolia', chainId: 11155111, selector: 16015286601757825753n, router: getAddress('0x0BF3dE8c5D3e8A2B34D2BEeB17ABfCeBaf363A59') },
  { name: 'avalanche-testnet-fuji', chainId: 43113, selector: 14767482510784806043n, router: getAddress('0xF694E193200268f9a4868e4Aa017A0118C9a8177') },
];

export const ccipNetworkOf = (chainId: number): CcipNetwork | undefined => CCIP_LIVE_NETWORKS.find((n) => n.chainId === chainId);

/**
 * Problems with the CCIP part of a deployment, each naming its field: a live lane whose selector or hub Router
 * disagrees with the known network (a typo there sends attestations nowhere), a local lane without an OffRamp or
 * OnRamp to execute with. Empty when the deployment is usable.
 */
export function ccipDeploymentProblems(d: Pick<Deployment, 'hub' | 'chains' | 'ccipLanes'>): string[] {
  const problems: string[] = [];
  const hubNet = ccipNetworkOf(d.hub.chainId);
  for (const [i, c] of d.chains.entries()) {
    if (!c.ccip) continue;
    const mode = c.ccip.mode ?? 'local';
    if (!d.hub.ccip) {
      problems.push(`hub.ccip: chains[${i}] (${c.name}) has a CCIP lane but the hub has no CCIP source config`);
      continue;
    }
    if (mode === 'local') {
      if (!c.ccip.offRamp) problems.push(`chains[${i}].ccip.offRamp: a local lane needs the OffRamp the relayer executes on`);
      if (!d.hub.ccip.onRamp) problems.push(`hub.ccip.onRamp: local lanes need the OnRamp whose CCIPMessageSent the relayer executes`);
      continue;
    }
    const net = ccipNetworkOf(c.chainId);
    if (net && BigInt(c.ccip.selector) !== net.selector) {
      problems.push(`chains[${i}].ccip.selector: ${c.ccip.selector} is not the CCIP selector of ${net.name} (${net.selector})`);
    }
    if (hubNet && getAddress(d.hub.ccip.router) !== hubNet.router) {
      problems.push(`hub.ccip.router: ${d.hub.ccip.router} is not the CCIP Router of ${hubNet.name} (${hubNet.router})`);
    }
    if (hubNet && BigInt(d.hub.ccip.selector) !== hubNet.selector) {
      problems.push(`hub.ccip.selector: ${d.hub.ccip.selector} is not the CCIP selector of ${hubNet.name} (${hubNet.selector})`);
    }
  }
  const chainIds = new Set(d.chains.map((c) => c.chainId));
  if (d.chains.some((c) => c.ccip) && !chainIds.has(d.hub.chainId)) problems.push(`chains: the hub (chain ${d.hub.chainId}) must be listed to send CCIP from it`);
  for (const [i, l] of (d.ccipLanes ?? []).entries()) {
    if (!chainIds.has(l.from)) problems.push(`ccipLanes[${i}].from: chain ${l.from} is not in the deployment's chains`);
    if (!chainIds.has(l.to)) problems.push(`ccipLanes[${i}].to: chain ${l.to} is not in the deployment's chains`);
    if (l.from === l.to) problems.push(`ccipLanes[${i}]: a lane joins two different chains`);
    if ((l.mode ?? 'local') === 'local') {
      if (!l.onRamp) problems.push(`ccipLanes[${i}].onRamp: a local lane needs the source OnRamp`);
      if (!l.offRamp) problems.push(`ccipLanes[${i}].offRamp: a local lane needs the destination OffRamp`);
      continue;
    }
    const net = ccipNetworkOf(l.to);
    if (net && BigInt(l.selector) !== net.selector) problems.push(`ccipLanes[${i}].selector: ${l.selector} is not the CCIP selector of ${net.name} (${net.selector})`);
  }
  return [...new Set(problems)];
}
