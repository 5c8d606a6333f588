import type { Address } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import type { Deployment } from '../schemas/deployment.js';
import { DEV_LOCAL_CCV_KEYS, DEV_LOCAL_CCV_THRESHOLD } from '../schemas/dev-keys.js';
import { ccipChainSelector } from '../relayer/transports/ccip/executor.js';
import { buildCcipArtifacts, connectCcipLane, deployCcipChain, deployRwaCcipAdapters, type LaneEndpoint } from './ccip-lane.js';

/** Local CCIP chain selectors: 4_100_000_000 + EVM chain id (real networks use Chainlink's published selectors). */
export const localSelector = (chainId: number) => ccipChainSelector(4_100_000_000n + BigInt(chainId));

/**
 * Gas the destination gives RwaCcipReceiver.ccipReceive: a DID's first config deploys its token and NAV feed (about
 * 2.7 M since the feed carries the V2 interface and its freshness view), so the local lane allows 4 M per message.
 * Public CCIP lanes cap a message near 3 M: there, bring a DID up over CCTP-style or raise the lane's limit.
 */
const CCIP_RECEIVE_GAS = 3_500_000;

/**
 * Puts a real CCIP 2.0 lane hub -> spoke in front of the named spokes; those in `ccipByDefault` are delivered over
 * CCIP unless a route says otherwise. Returns the deployment with `hub.ccip`, each lane's `ccip` and, for the
 * default-CCIP spokes, `transport: 'ccip'` filled in.
 */
export async function addCcipLanes(d: Deployment, spokeNames: readonly string[], ccipByDefault: readonly string[] = spokeNames, reverse: readonly string[] = []): Promise<Deployment> {
  if (spokeNames.length === 0 && reverse.length === 0) return d;
  buildCcipArtifacts();
  const hubChain = d.chains.find((c) => c.chainId === d.hub.chainId);
  if (!hubChain) throw new Error('the hub is not among the deployment chains');
  const endpoint = (c: { name: string; chainId: number; rpcUrl: string }): LaneEndpoint => ({ name: c.name, chainId: c.chainId, rpcUrl: c.rpcUrl, selector: localSelector(c.chainId) });
  const spokeOf = (n: string) => {
    const c = d.chains.find((x) => x.name === n);
    if (!c || c.chainId === d.hub.chainId) throw new Error(`no spoke named ${n}`);
    return c;
  };
  const spokes = [...new Set([...spokeNames, ...reverse])].map(spokeOf);
  const [hub, ...dsts] = await Promise.all([deployCcipChain(endpoint(hubChain)), ...spokes.map((s) => deployCcipChain(endpoint(s)))]);
  const ccipOf = new Map(spokes.map((s, i) => [s.name, dsts[i]!]));
  const committee = { signers: DEV_LOCAL_CCV_KEYS.map((k) => privateKeyToAddress(k)), threshold: DEV_LOCAL_CCV_THRESHOLD };
  const lanes = new Map<number, { offRamp: Address; adapter: Address; sender: Address }>();
  // Sequential: every lane sends configuration transactions from the same deployer key on the hub.
  for (const name of spokeNames) {
    const spoke = spokeOf(name);
    const dst = ccipOf.get(name)!;
    await connectCcipLane(hub!, dst, committee);
    const adapters = await deployRwaCcipAdapters(hub!, dst, spoke.receiver as Address, { ccipReceiveGasLimit: CCIP_RECEIVE_GAS });
    lanes.set(spoke.chainId, { offRamp: dst.contracts.offRamp, adapter: adapters.adapter, sender: adapters.sender });
  }
  // Spoke -> hub: what starts on a spoke (a redemption request) reaches the hub's receiver over CCIP.
  const ccipLanes: NonNullable<Deployment['ccipLanes']> = [...(d.ccipLanes ?? [])];
  for (const name of reverse) {
    const spoke = spokeOf(name);
    const src = ccipOf.get(name)!;
    await connectCcipLane(src, hub!, committee);
    const adapters = await deployRwaCcipAdapters(src, hub!, hubChain.receiver as Address, { ccipReceiveGasLimit: CCIP_RECEIVE_GAS });
    ccipLanes.push({ from: spoke.chainId, to: hubChain.chainId, selector: hub!.contracts.selector.toString(), onRamp: src.contracts.onRamp, offRamp: hub!.contracts.offRamp, adapter: adapters.adapter, sender: adapters.sender });
  }
  return {
    ...d,
    hub: { ...d.hub, ccip: { selector: hub!.contracts.selector.toString(), router: hub!.contracts.router, onRamp: hub!.contracts.onRamp } },
    ...(ccipLanes.length > 0 ? { ccipLanes } : {}),
    chains: d.chains.map((c) => {
      const lane = lanes.get(c.chainId);
      if (!lane) return c;
      return { ...c, ...(ccipByDefault.includes(c.name) ? { transport: 'ccip' as const } : {}), ccip: { selector: localSelector(c.chainId).toString(), offRamp: lane.offRamp, adapter: lane.adapter, sender: lane.sender } };
    }),
  };
}
