import type { Hex } from 'viem';
import type { Deployment } from '../schemas/deployment.js';
import { decodeMessage } from '../schemas/message.js';

/** One CCIP lane the relayer can send over: source chain, destination chain, and the contracts on each end. */
export interface CcipLane {
  from: number;
  to: number;
  mode: 'local' | 'live';
  /** The destination's CCIP chain selector. */
  selector: string;
  /** Source OnRamp and destination OffRamp: what a local lane's executor reads and calls. */
  onRamp?: string;
  offRamp?: string;
  /** RwaCcipReceiver on the destination, RwaCcipSender on the source. */
  adapter: string;
  sender: string;
}

/**
 * Every CCIP lane of a deployment: hub -> chain from `chains[].ccip` (with the hub's OnRamp), and the other
 * directions from `ccipLanes` (spoke -> hub, for what starts on a spoke).
 */
export function ccipLanesOf(d: Pick<Deployment, 'hub' | 'chains' | 'ccipLanes'>): CcipLane[] {
  const lanes: CcipLane[] = [];
  for (const c of d.chains) {
    if (!c.ccip) continue;
    lanes.push({ from: d.hub.chainId, to: c.chainId, mode: c.ccip.mode ?? 'local', selector: c.ccip.selector, onRamp: d.hub.ccip?.onRamp, offRamp: c.ccip.offRamp, adapter: c.ccip.adapter, sender: c.ccip.sender });
  }
  for (const l of d.ccipLanes ?? []) lanes.push({ ...l, mode: l.mode ?? 'local' });
  return lanes;
}

/**
 * Where an attestation starts its journey: the spoke a redemption request was made on (it travels spoke -> hub),
 * the hub for everything else (it fans out hub -> chains). A CCIP delivery goes over the lane from there.
 */
export function originOf(kind: string, message: string, hubChainId: number): number {
  if (kind !== 'redemptionRequest') return hubChainId;
  const m = decodeMessage(message as Hex);
  return m.kind === 'redemptionRequest' ? Number(m.chainId) : hubChainId;
}
