import { pad, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import type { Deployment } from '../schemas/deployment.js';
import { DEV_WORMHOLE_GUARDIAN_KEYS } from '../schemas/dev-keys.js';
import { wormholeChainId, type WormholeChainId } from '../schemas/ids.js';
import { bindTransportAdapter, chainDeployer, LOCAL_PUBLISHER } from './ccip-lane.js';

/**
 * The hub's Wormhole chain id on local chains. A VAA can only name a chain in the Wormhole SDK's table, which has no
 * local chain, so the local hub borrows 2 (Ethereum). Real networks use the hub's own Wormhole chain id.
 */
export const LOCAL_WORMHOLE_EMITTER_CHAIN: WormholeChainId = wormholeChainId(2);
/** Consistency level the local emitter stamps on its messages (Wormhole's "instant" on EVM chains). */
export const LOCAL_CONSISTENCY_LEVEL = 200;

interface Endpoint {
  name: string;
  chainId: number;
  rpcUrl: string;
}

/**
 * RwaWormholeEmitter on the hub (the local stand-in for the Wormhole core contract), owned by the deployer, with
 * `publisher` (default: the local relayer's key, never a committee key) authorised to publish. Artifacts come from
 * buildContracts.
 */
export async function deployWormholeEmitter(hub: Endpoint, key?: Hex, publisher: Address = LOCAL_PUBLISHER): Promise<Address> {
  const d = chainDeployer(hub, key);
  const emitter = await d.deploy('RwaWormholeEmitter', [LOCAL_CONSISTENCY_LEVEL]);
  await d.call('RwaWormholeEmitter', emitter, 'setPublisher', [publisher, true]);
  return emitter;
}

/**
 * RwaWormholeReceiver in front of `receiver` on `spoke`, owned by the deployer, guardian set 0 = the DEV-ONLY guardian
 * keys (or `guardians`), the hub's emitter allowed, bound as Wormhole in the receiver's transport quorum.
 */
export async function deployWormholeAdapter(
  spoke: Endpoint,
  receiver: Address,
  emitter: Address,
  opts: { guardians?: readonly Address[]; emitterChainId?: WormholeChainId; key?: Hex } = {},
): Promise<Address> {
  const d = chainDeployer(spoke, opts.key);
  const guardians = opts.guardians ?? DEV_WORMHOLE_GUARDIAN_KEYS.map((k) => privateKeyToAddress(k));
  const adapter = await d.deploy('RwaWormholeReceiver', [receiver, d.address, 0, guardians]);
  const emitterChainId = opts.emitterChainId ?? LOCAL_WORMHOLE_EMITTER_CHAIN;
  await d.call('RwaWormholeReceiver', adapter, 'applyEmitterUpdates', [[], [{ chainId: emitterChainId, emitterAddress: pad(emitter, { size: 32 }) }]]);
  await bindTransportAdapter(d, receiver, adapter, 'wormhole');
  return adapter;
}

/**
 * Puts the local Wormhole transport in front of the named spokes: one emitter on the hub, an adapter on each spoke;
 * those in `byDefault` are delivered over Wormhole unless a route says otherwise. Returns the deployment with each
 * spoke's `wormhole` block (and `transport: 'wormhole'` for the default ones).
 */
export async function addWormholeSpokes(d: Deployment, spokeNames: readonly string[], byDefault: readonly string[] = spokeNames): Promise<Deployment> {
  if (spokeNames.length === 0) return d;
  const hub = d.chains.find((c) => c.chainId === d.hub.chainId);
  if (!hub) throw new Error('the hub is not among the deployment chains');
  const emitter = await deployWormholeEmitter(hub);
  const adapters = new Map<string, Address>();
  for (const name of spokeNames) {
    const spoke = d.chains.find((c) => c.name === name);
    if (!spoke || spoke.chainId === d.hub.chainId) throw new Error(`no spoke named ${name}`);
    adapters.set(name, await deployWormholeAdapter(spoke, spoke.receiver as Address, emitter));
  }
  return {
    ...d,
    chains: d.chains.map((c) => {
      const adapter = adapters.get(c.name);
      if (!adapter) return c;
      return { ...c, ...(byDefault.includes(c.name) ? { transport: 'wormhole' as const } : {}), wormhole: { adapter, emitter, emitterChainId: LOCAL_WORMHOLE_EMITTER_CHAIN } };
    }),
  };
}
