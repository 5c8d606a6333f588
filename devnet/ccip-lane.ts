import { DEV_LOCAL_CCV_KEYS, DEV_LOCAL_CCV_THRESHOLD, LOCAL_COMMITTEE_VERSION_TAG } from '../schemas/dev-keys.js';
export { DEV_LOCAL_CCV_KEYS, DEV_LOCAL_CCV_THRESHOLD, LOCAL_COMMITTEE_VERSION_TAG };
import { createPublicClient, createWalletClient, defineChain, encodeAbiParameters, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_DEPLOYER_KEY, ANVIL_RELAYER_KEY } from '../schemas/dev-keys.js';
import { rwaReceiverAbi } from '../schemas/abi.js';
import type { CcipChainSelector } from '../relayer/transports/ccip/executor.js';
import { artifact, forgeBuild } from './artifacts.js';

/**
 * A local CCIP 2.0 lane between running anvil chains, from the real contracts of @chainlink/contracts-ccip@2.0.0
 * (BUSL-1.1: local, non-production use only). Same deployment and parameters as the forge helper
 * contracts/test/ccip/helpers/LocalCcipLane.sol; keep the two in step.
 *
 * Per chain: RMN + RMNProxy, WETH9 (native fee wrapping), LINK (FeeQuoter's static config), TokenAdminRegistry (ramps
 * require one; no tokens move), FeeQuoter, Router, OnRamp, OffRamp, CommitteeVerifier behind a
 * VersionedVerifierResolver (the address ramps and executors call a "CCV"), Executor (source-side fee and config
 * contract; the off-chain executor is our relayer). OnRamp, OffRamp and FeeQuoter exceed 24 KB: anvil must run with
 * --disable-code-size-limit (startAnvil does).
 */



export const LANE_PARAMS = {
  usdPerWeth: 2_000n * 10n ** 18n,
  usdPerLink: 15n * 10n ** 18n,
  usdPerUnitGas: 2n * 10n ** 12n, // 1 gwei at 2,000 USD per ETH
  maxUsdCentsPerMessage: 100_00,
  maxFeeJuelsPerMessage: 1_000n * 10n ** 18n,
  messageNetworkFeeUsdCents: 10,
  tokenNetworkFeeUsdCents: 25,
  baseExecutionGas: 100_000,
  ccvFeeUsdCents: 5,
  ccvGasForVerification: 60_000,
  ccvPayloadBytes: 4 + 2 + 64 * 8,
  executorFeeUsdCents: 5,
  executorMaxCcvs: 10,
  gasForCallExactCheck: 5_000,
  maxGasBufferToUpdateState: 15_000,
} as const;

const CHAIN_FAMILY_SELECTOR_EVM: Hex = '0x2812d52c';

export interface LaneEndpoint {
  name: string;
  chainId: number;
  rpcUrl: string;
  selector: CcipChainSelector;
}

export interface CcipChainContracts {
  selector: CcipChainSelector;
  rmn: Address;
  rmnProxy: Address;
  weth: Address;
  link: Address;
  tokenAdminRegistry: Address;
  feeQuoter: Address;
  router: Address;
  onRamp: Address;
  offRamp: Address;
  committeeVerifier: Address;
  /** The VersionedVerifierResolver: the CCV address OnRamp, OffRamp and executors use. */
  ccv: Address;
  executor: Address;
}

export interface CcipChain {
  endpoint: LaneEndpoint;
  contracts: CcipChainContracts;
}

/**
 * Compiles what the lane needs: our CCIP contracts and, through the test helper that imports them, the CCIP 2.0
 * contracts (forge only writes artifacts for sources the project imports). Cached by forge.
 */
export function buildCcipArtifacts(): void {
  forgeBuild(['contracts/src', 'contracts/test/ccip/helpers/LocalCcipLane.sol']);
}


/** Deploys and configures contracts on one chain from one key, one transaction at a time (anvil automines). */
export function chainDeployer(endpoint: Pick<LaneEndpoint, 'name' | 'chainId' | 'rpcUrl'>, key: Hex = ANVIL_DEPLOYER_KEY) {
  const chain = defineChain({ id: endpoint.chainId, name: endpoint.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [endpoint.rpcUrl] } } });
  const account = privateKeyToAccount(key);
  const wallet = createWalletClient({ account, chain, transport: http(endpoint.rpcUrl) });
  const pub = createPublicClient({ chain, transport: http(endpoint.rpcUrl), pollingInterval: 50 });
  return {
    address: account.address,
    pub,
    async deploy(name: string, args: readonly unknown[] = []): Promise<Address> {
      const { abi, bytecode } = artifact(name);
      const hash = await wallet.deployContract({ abi, bytecode, args, account });
      const receipt = await pub.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`deploying ${name} on ${endpoint.name} failed`);
      return receipt.contractAddress;
    },
    async call(name: string, address: Address, functionName: string, args: readonly unknown[]): Promise<void> {
      const { abi } = artifact(name);
      const hash = await wallet.writeContract({ address, abi, functionName, args, account, chain });
      const receipt = await pub.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') throw new Error(`${name}.${functionName} on ${endpoint.name} reverted (tx ${hash})`);
    },
  };
}

/** Transport bits of RwaTransportQuorum: the adapters a DID's transport quorum can count. */
export const ADAPTER_TRANSPORT_BIT = { ccip: 2, wormhole: 4 } as const;

/**
 * Binds `adapter` in the RwaTransportQuorum of `receiver` (owned by the receiver's deployer), so its deliveries count
 * as `transport` for DIDs that require a transport quorum on this chain.
 */
export async function bindTransportAdapter(d: ReturnType<typeof chainDeployer>, receiver: Address, adapter: Address, transport: keyof typeof ADAPTER_TRANSPORT_BIT): Promise<void> {
  const gate = await d.pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'transportQuorum' });
  await d.call('RwaTransportQuorum', gate, 'setAdapter', [adapter, ADAPTER_TRANSPORT_BIT[transport]]);
}

/** Step 1, per chain: every CCIP contract of one chain selector, owned by the deployer key. No lanes yet. */
export async function deployCcipChain(endpoint: LaneEndpoint, key: Hex = ANVIL_DEPLOYER_KEY): Promise<CcipChain> {
  const d = chainDeployer(endpoint, key);
  const P = LANE_PARAMS;
  const rmn = await d.deploy('RMN', [[]]);
  const rmnProxy = await d.deploy('RMNProxy', [rmn]);
  const weth = await d.deploy('WETH9');
  const link = await d.deploy('LinkToken');
  const tokenAdminRegistry = await d.deploy('TokenAdminRegistry');
  const feeQuoter = await d.deploy('FeeQuoter', [{ maxFeeJuelsPerMsg: P.maxFeeJuelsPerMessage, linkToken: link }, [d.address], [], []]);
  await d.call('FeeQuoter', feeQuoter, 'updatePrices', [
    { tokenPriceUpdates: [{ sourceToken: weth, usdPerToken: P.usdPerWeth }, { sourceToken: link, usdPerToken: P.usdPerLink }], gasPriceUpdates: [] },
  ]);
  const router = await d.deploy('Router', [weth, rmnProxy]);
  const onRamp = await d.deploy('OnRamp', [
    { chainSelector: endpoint.selector, rmnRemote: rmnProxy, maxUSDCentsPerMessage: P.maxUsdCentsPerMessage, tokenAdminRegistry },
    { feeQuoter, reentrancyGuardEntered: false, feeAggregator: d.address },
  ]);
  const offRamp = await d.deploy('OffRamp', [
    { localChainSelector: endpoint.selector, gasForCallExactCheck: P.gasForCallExactCheck, rmnRemote: rmnProxy, tokenAdminRegistry, maxGasBufferToUpdateState: P.maxGasBufferToUpdateState },
  ]);
  const committeeVerifier = await d.deploy('CommitteeVerifier', [{ feeAggregator: d.address, allowlistAdmin: d.address }, [], rmnProxy, LOCAL_COMMITTEE_VERSION_TAG]);
  const ccv = await d.deploy('VersionedVerifierResolver');
  await d.call('VersionedVerifierResolver', ccv, 'applyInboundImplementationUpdates', [[{ version: LOCAL_COMMITTEE_VERSION_TAG, verifier: committeeVerifier }]]);
  const executor = await d.deploy('Executor', [P.executorMaxCcvs, { feeAggregator: d.address, allowedFinalityConfig: '0x00000000', ccvAllowlistEnabled: false }]);
  return {
    endpoint,
    contracts: { selector: endpoint.selector, rmn, rmnProxy, weth, link, tokenAdminRegistry, feeQuoter, router, onRamp, offRamp, committeeVerifier, ccv, executor },
  };
}

/**
 * Step 2, per lane src -> dst: outbound config on src, inbound config on dst, and the committee dst's
 * CommitteeVerifier accepts for messages from src (signers: any order; the contract keeps a set).
 */
export async function connectCcipLane(src: CcipChain, dst: CcipChain, committee: { signers: readonly Address[]; threshold: number }, key: Hex = ANVIL_DEPLOYER_KEY): Promise<void> {
  const P = LANE_PARAMS;
  const s = chainDeployer(src.endpoint, key);
  const S = src.contracts;
  const destSelector = dst.contracts.selector;
  await s.call('Router', S.router, 'applyRampUpdates', [[{ destChainSelector: destSelector, onRamp: S.onRamp }], [], []]);
  await s.call('FeeQuoter', S.feeQuoter, 'applyDestChainConfigUpdates', [
    [
      {
        destChainSelector: destSelector,
        destChainConfig: {
          isEnabled: true,
          maxDataBytes: 30_000,
          maxPerMsgGasLimit: 4_000_000,
          destGasOverhead: 300_000,
          destGasPerPayloadByteBase: 16,
          chainFamilySelector: CHAIN_FAMILY_SELECTOR_EVM,
          defaultTokenFeeUSDCents: 25,
          defaultTokenDestGasOverhead: 90_000,
          defaultTxGasLimit: 200_000,
          networkFeeUSDCents: P.messageNetworkFeeUsdCents,
          linkFeeMultiplierPercent: 90,
        },
      },
    ],
  ]);
  await s.call('FeeQuoter', S.feeQuoter, 'updatePrices', [{ tokenPriceUpdates: [], gasPriceUpdates: [{ destChainSelector: destSelector, usdPerUnitGas: P.usdPerUnitGas }] }]);
  await s.call('CommitteeVerifier', S.committeeVerifier, 'applyRemoteChainConfigUpdates', [
    [{ router: S.router, remoteChainSelector: destSelector, allowlistEnabled: false, feeUSDCents: P.ccvFeeUsdCents, gasForVerification: P.ccvGasForVerification, payloadSizeBytes: P.ccvPayloadBytes }],
  ]);
  await s.call('VersionedVerifierResolver', S.ccv, 'applyOutboundImplementationUpdates', [[{ destChainSelector: destSelector, verifier: S.committeeVerifier }]]);
  await s.call('Executor', S.executor, 'applyDestChainUpdates', [[], [{ destChainSelector: destSelector, config: { usdCentsFee: P.executorFeeUsdCents, enabled: true } }]]);
  await s.call('OnRamp', S.onRamp, 'applyDestChainConfigUpdates', [
    [
      {
        destChainSelector: destSelector,
        router: S.router,
        addressBytesLength: 20,
        tokenReceiverAllowed: false,
        messageNetworkFeeUSDCents: P.messageNetworkFeeUsdCents,
        tokenNetworkFeeUSDCents: P.tokenNetworkFeeUsdCents,
        baseExecutionGasCost: P.baseExecutionGas,
        defaultCCVs: [S.ccv],
        laneMandatedCCVs: [],
        defaultExecutor: S.executor,
        offRamp: dst.contracts.offRamp, // raw 20 bytes: an address is exactly that in hex
      },
    ],
  ]);

  const t = chainDeployer(dst.endpoint, key);
  const D = dst.contracts;
  await t.call('Router', D.router, 'applyRampUpdates', [[], [], [{ sourceChainSelector: S.selector, offRamp: D.offRamp }]]);
  await t.call('OffRamp', D.offRamp, 'applySourceChainConfigUpdates', [
    [
      {
        router: D.router,
        sourceChainSelector: S.selector,
        isEnabled: true,
        onRamps: [encodeAbiParameters([{ type: 'address' }], [S.onRamp])], // source addresses are abi-encoded
        defaultCCVs: [D.ccv],
        laneMandatedCCVs: [],
      },
    ],
  ]);
  await t.call('CommitteeVerifier', D.committeeVerifier, 'applySignatureConfigs', [[], [{ sourceChainSelector: S.selector, threshold: committee.threshold, signers: committee.signers }]]);
}

export interface RwaCcipAdapters {
  /** RwaCcipSender on the source chain. */
  sender: Address;
  /** RwaCcipReceiver on the destination chain, targeting that chain's RwaReceiver. */
  adapter: Address;
}

/** The account the local relayer sends from (its dev-mode RELAYER_KEY): the publisher the local hub entries authorise. */
export const LOCAL_PUBLISHER: Address = privateKeyToAccount(ANVIL_RELAYER_KEY).address;

/**
 * Step 3: our contracts on the lane. RwaCcipSender on src (owned by the deployer, `publisher` authorised to send:
 * the lane's relayer key, never a committee key), RwaCcipReceiver on dst owned by the deployer, the allow-list entry
 * (src selector, sender), and the adapter bound as CCIP in the destination's transport quorum.
 */
export async function deployRwaCcipAdapters(src: CcipChain, dst: CcipChain, rwaReceiver: Address, opts: { ccipReceiveGasLimit: number; key?: Hex; publisher?: Address }): Promise<RwaCcipAdapters> {
  const key = opts.key ?? ANVIL_DEPLOYER_KEY;
  const s = chainDeployer(src.endpoint, key);
  const t = chainDeployer(dst.endpoint, key);
  const sender = await s.deploy('RwaCcipSender', [src.contracts.router, opts.ccipReceiveGasLimit]);
  await s.call('RwaCcipSender', sender, 'setPublisher', [opts.publisher ?? LOCAL_PUBLISHER, true]);
  const adapter = await t.deploy('RwaCcipReceiver', [dst.contracts.router, rwaReceiver, t.address]);
  await t.call('RwaCcipReceiver', adapter, 'applyAllowedSenderUpdates', [[], [{ sourceChainSelector: src.contracts.selector, sender }]]);
  await bindTransportAdapter(t, rwaReceiver, adapter, 'ccip');
  return { sender, adapter };
}
