// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

// TEST-ONLY. Deploys the real CCIP 2.0 contracts from @chainlink/contracts-ccip@2.0.0 (BUSL-1.1, non-production use
// on local chains) and plays the off-chain roles (committee verifier signers, executor) with local keys.
import {CommonBase} from "forge-std/Base.sol";
import {Vm} from "forge-std/Vm.sol";

import {FeeQuoter} from "@chainlink/contracts-ccip/contracts/FeeQuoter.sol";
import {Router} from "@chainlink/contracts-ccip/contracts/Router.sol";
import {CommitteeVerifier} from "@chainlink/contracts-ccip/contracts/ccvs/CommitteeVerifier.sol";
import {VersionedVerifierResolver} from "@chainlink/contracts-ccip/contracts/ccvs/VersionedVerifierResolver.sol";
import {BaseVerifier} from "@chainlink/contracts-ccip/contracts/ccvs/components/BaseVerifier.sol";
import {SignatureQuorumValidator} from "@chainlink/contracts-ccip/contracts/ccvs/components/SignatureQuorumValidator.sol";
import {Executor} from "@chainlink/contracts-ccip/contracts/executor/Executor.sol";
import {IRMN} from "@chainlink/contracts-ccip/contracts/interfaces/IRMN.sol";
import {IRouter} from "@chainlink/contracts-ccip/contracts/interfaces/IRouter.sol";
import {Internal} from "@chainlink/contracts-ccip/contracts/libraries/Internal.sol";
import {MessageV1Codec} from "@chainlink/contracts-ccip/contracts/libraries/MessageV1Codec.sol";
import {OffRamp} from "@chainlink/contracts-ccip/contracts/offRamp/OffRamp.sol";
import {OnRamp} from "@chainlink/contracts-ccip/contracts/onRamp/OnRamp.sol";
import {RMN} from "@chainlink/contracts-ccip/contracts/rmn/RMN.sol";
import {RMNProxy} from "@chainlink/contracts-ccip/contracts/rmn/RMNProxy.sol";
import {TokenAdminRegistry} from "@chainlink/contracts-ccip/contracts/tokenAdminRegistry/TokenAdminRegistry.sol";
import {LinkToken} from "@chainlink/contracts/src/v0.8/shared/token/ERC677/LinkToken.sol";
import {WETH9} from "@chainlink/contracts/src/v0.8/vendor/canonical-weth/WETH9.sol";

/// @notice Reusable local CCIP 2.0 deployment: one "CCIP chain" (a full set of contracts under one chain selector) per
/// call to `_deployCcipChain`, lanes between them with `_connectLane`. Several sets may live on one EVM.
///
/// Message path it reproduces: Router.ccipSend -> OnRamp.forwardFromRouter (fee in wrapped native, FeeQuoter prices,
/// default CCV = a VersionedVerifierResolver in front of the CommitteeVerifier, default Executor) -> CCIPMessageSent
/// event -> [off-chain: committee signs keccak256(versionTag ‖ messageId), executor builds verifierResults] ->
/// OffRamp.execute -> resolver -> CommitteeVerifier.verifyMessage -> Router.routeMessage -> receiver.ccipReceive.
///
/// The CCV given to OnRamp/OffRamp is the resolver, not the CommitteeVerifier itself: both ramps call
/// ICrossChainVerifierResolver on the configured CCV address, which CommitteeVerifier does not implement.
abstract contract LocalCcipLane is CommonBase {
  /// @dev Names this local committee in every signature (signed with the message id), resolver key on destination.
  bytes4 internal constant COMMITTEE_VERSION_TAG = bytes4(keccak256("rwa-oracle local CommitteeVerifier v1"));

  // ---- prices (FeeQuoter units: USD with 18 decimals per 1e18 base units; gas: USD 1e18 per unit of gas) ----
  uint224 internal constant USD_PER_WETH = 2_000e18; // 2,000 USD per ETH
  uint224 internal constant USD_PER_LINK = 15e18; // 15 USD per LINK
  uint224 internal constant USD_PER_UNIT_GAS = 2e12; // 1 gwei at 2,000 USD per ETH

  // ---- lane parameters ----
  uint32 internal constant MAX_USD_CENTS_PER_MESSAGE = 100_00; // 100 USD cap per message (OnRamp guard)
  uint96 internal constant MAX_FEE_JUELS_PER_MESSAGE = 1_000e18; // legacy FeeQuoter guard, LINK base units
  uint16 internal constant MESSAGE_NETWORK_FEE_USD_CENTS = 10;
  uint16 internal constant TOKEN_NETWORK_FEE_USD_CENTS = 25;
  uint32 internal constant BASE_EXECUTION_GAS = 100_000; // OffRamp overhead around ccipReceive, billed per message
  uint16 internal constant CCV_FEE_USD_CENTS = 5;
  uint32 internal constant CCV_GAS_FOR_VERIFICATION = 60_000;
  uint16 internal constant CCV_PAYLOAD_BYTES = 4 + 2 + 64 * 8; // version tag, length, up to 8 signatures
  uint16 internal constant EXECUTOR_FEE_USD_CENTS = 5;
  uint8 internal constant EXECUTOR_MAX_CCVS = 10;
  uint16 internal constant GAS_FOR_CALL_EXACT_CHECK = 5_000;
  uint32 internal constant MAX_GAS_BUFFER_TO_UPDATE_STATE = 15_000;

  error UnexpectedSentMessageCount(uint256 count);
  error UnexpectedExecutionCount(uint256 count);

  /// @dev The revert data OffRamp and Router keep of a failure: a selector and four words.
  uint256 internal constant MAX_RET_BYTES = Internal.MAX_RET_BYTES;

  struct CcipChain {
    uint64 selector;
    RMN rmn;
    RMNProxy rmnProxy;
    WETH9 weth;
    LinkToken link;
    TokenAdminRegistry tokenAdminRegistry;
    FeeQuoter feeQuoter;
    Router router;
    OnRamp onRamp;
    OffRamp offRamp;
    CommitteeVerifier committeeVerifier;
    VersionedVerifierResolver ccv; // the CCV address ramps and executors name
    Executor executor;
  }

  /// @dev What the OnRamp emitted for one message: everything an executor needs.
  struct SentMessage {
    bytes32 messageId;
    uint64 destChainSelector;
    address sender;
    bytes encodedMessage;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Deployment
  // ---------------------------------------------------------------------------------------------------------------

  /// @notice Deploys every CCIP contract of one chain selector, owned by this contract. No lanes yet.
  function _deployCcipChain(uint64 selector) internal returns (CcipChain memory c) {
    c.selector = selector;
    c.rmn = RMN(_deploy("RMN.sol:RMN", abi.encode(new address[](0))));
    c.rmnProxy = RMNProxy(_deploy("RMNProxy.sol:RMNProxy", abi.encode(address(c.rmn))));
    c.weth = WETH9(payable(_deploy("WETH9.sol:WETH9", "")));
    c.link = LinkToken(_deploy("LinkToken.sol:LinkToken", ""));
    c.tokenAdminRegistry = TokenAdminRegistry(_deploy("TokenAdminRegistry.sol:TokenAdminRegistry", ""));

    address[] memory priceUpdaters = new address[](1);
    priceUpdaters[0] = address(this);
    c.feeQuoter = FeeQuoter(
      _deploy(
        "FeeQuoter.sol:FeeQuoter",
        abi.encode(
          FeeQuoter.StaticConfig({maxFeeJuelsPerMsg: MAX_FEE_JUELS_PER_MESSAGE, linkToken: address(c.link)}),
          priceUpdaters,
          new FeeQuoter.TokenTransferFeeConfigArgs[](0),
          new FeeQuoter.DestChainConfigArgs[](0)
        )
      )
    );
    Internal.TokenPriceUpdate[] memory tokenPrices = new Internal.TokenPriceUpdate[](2);
    tokenPrices[0] = Internal.TokenPriceUpdate({sourceToken: address(c.weth), usdPerToken: USD_PER_WETH});
    tokenPrices[1] = Internal.TokenPriceUpdate({sourceToken: address(c.link), usdPerToken: USD_PER_LINK});
    c.feeQuoter.updatePrices(
      Internal.PriceUpdates({tokenPriceUpdates: tokenPrices, gasPriceUpdates: new Internal.GasPriceUpdate[](0)})
    );

    c.router = Router(payable(_deploy("Router.sol:Router", abi.encode(address(c.weth), address(c.rmnProxy)))));
    c.onRamp = OnRamp(
      _deploy(
        "OnRamp.sol:OnRamp",
        abi.encode(
          OnRamp.StaticConfig({
            chainSelector: selector,
            rmnRemote: IRMN(address(c.rmnProxy)),
            maxUSDCentsPerMessage: MAX_USD_CENTS_PER_MESSAGE,
            tokenAdminRegistry: address(c.tokenAdminRegistry)
          }),
          OnRamp.DynamicConfig({
            feeQuoter: address(c.feeQuoter),
            reentrancyGuardEntered: false,
            feeAggregator: address(this)
          })
        )
      )
    );
    c.offRamp = OffRamp(
      _deploy(
        "OffRamp.sol:OffRamp",
        abi.encode(
          OffRamp.StaticConfig({
            localChainSelector: selector,
            gasForCallExactCheck: GAS_FOR_CALL_EXACT_CHECK,
            rmnRemote: IRMN(address(c.rmnProxy)),
            tokenAdminRegistry: address(c.tokenAdminRegistry),
            maxGasBufferToUpdateState: MAX_GAS_BUFFER_TO_UPDATE_STATE
          })
        )
      )
    );

    c.committeeVerifier = CommitteeVerifier(
      _deploy(
        "CommitteeVerifier.sol:CommitteeVerifier",
        abi.encode(
          CommitteeVerifier.DynamicConfig({feeAggregator: address(this), allowlistAdmin: address(this)}),
          new string[](0),
          address(c.rmnProxy),
          COMMITTEE_VERSION_TAG
        )
      )
    );
    c.ccv = VersionedVerifierResolver(_deploy("VersionedVerifierResolver.sol:VersionedVerifierResolver", ""));
    VersionedVerifierResolver.InboundImplementationArgs[] memory inbound =
      new VersionedVerifierResolver.InboundImplementationArgs[](1);
    inbound[0] = VersionedVerifierResolver.InboundImplementationArgs({
      version: COMMITTEE_VERSION_TAG, verifier: address(c.committeeVerifier)
    });
    c.ccv.applyInboundImplementationUpdates(inbound);

    c.executor = Executor(
      _deploy(
        "Executor.sol:Executor",
        abi.encode(
          EXECUTOR_MAX_CCVS,
          Executor.DynamicConfig({
            feeAggregator: address(this),
            allowedFinalityConfig: bytes4(0),
            ccvAllowlistEnabled: false
          })
        )
      )
    );
  }

  /// @dev From the compiled artifact rather than `new`, so test contracts do not each embed the creation code of
  /// every CCIP contract (~150 KB). The deployer, and so the Ownable2StepMsgSender owner, is still this contract.
  function _deploy(string memory artifact, bytes memory constructorArgs) private returns (address deployed) {
    deployed = vm.deployCode(artifact, constructorArgs);
  }

  /// @notice Opens the lane src -> dst: outbound config on src, inbound config on dst, and the committee that
  /// dst's CommitteeVerifier accepts for messages from src.
  function _connectLane(CcipChain memory src, CcipChain memory dst, address[] memory signers, uint8 threshold)
    internal
  {
    _configureOutbound(src, dst.selector, address(dst.offRamp));
    _configureInbound(dst, src.selector, address(src.onRamp), signers, threshold);
  }

  function _configureOutbound(CcipChain memory src, uint64 destSelector, address destOffRamp) internal {
    Router.OnRamp[] memory onRamps = new Router.OnRamp[](1);
    onRamps[0] = Router.OnRamp({destChainSelector: destSelector, onRamp: address(src.onRamp)});
    src.router.applyRampUpdates(onRamps, new Router.OffRamp[](0), new Router.OffRamp[](0));

    FeeQuoter.DestChainConfigArgs[] memory fq = new FeeQuoter.DestChainConfigArgs[](1);
    fq[0] = FeeQuoter.DestChainConfigArgs({
      destChainSelector: destSelector,
      destChainConfig: FeeQuoter.DestChainConfig({
        isEnabled: true,
        maxDataBytes: 30_000,
        maxPerMsgGasLimit: 3_000_000,
        destGasOverhead: 300_000,
        destGasPerPayloadByteBase: 16,
        chainFamilySelector: Internal.CHAIN_FAMILY_SELECTOR_EVM,
        defaultTokenFeeUSDCents: 25,
        defaultTokenDestGasOverhead: 90_000,
        defaultTxGasLimit: 200_000,
        networkFeeUSDCents: MESSAGE_NETWORK_FEE_USD_CENTS,
        linkFeeMultiplierPercent: 90
      })
    });
    src.feeQuoter.applyDestChainConfigUpdates(fq);
    Internal.GasPriceUpdate[] memory gas = new Internal.GasPriceUpdate[](1);
    gas[0] = Internal.GasPriceUpdate({destChainSelector: destSelector, usdPerUnitGas: USD_PER_UNIT_GAS});
    src.feeQuoter.updatePrices(
      Internal.PriceUpdates({tokenPriceUpdates: new Internal.TokenPriceUpdate[](0), gasPriceUpdates: gas})
    );

    BaseVerifier.RemoteChainConfigArgs[] memory remote = new BaseVerifier.RemoteChainConfigArgs[](1);
    remote[0] = BaseVerifier.RemoteChainConfigArgs({
      router: IRouter(address(src.router)),
      remoteChainSelector: destSelector,
      allowlistEnabled: false,
      feeUSDCents: CCV_FEE_USD_CENTS,
      gasForVerification: CCV_GAS_FOR_VERIFICATION,
      payloadSizeBytes: CCV_PAYLOAD_BYTES
    });
    src.committeeVerifier.applyRemoteChainConfigUpdates(remote);
    VersionedVerifierResolver.OutboundImplementationArgs[] memory outbound =
      new VersionedVerifierResolver.OutboundImplementationArgs[](1);
    outbound[0] = VersionedVerifierResolver.OutboundImplementationArgs({
      destChainSelector: destSelector, verifier: address(src.committeeVerifier)
    });
    src.ccv.applyOutboundImplementationUpdates(outbound);

    Executor.RemoteChainConfigArgs[] memory exec = new Executor.RemoteChainConfigArgs[](1);
    exec[0] = Executor.RemoteChainConfigArgs({
      destChainSelector: destSelector,
      config: Executor.RemoteChainConfig({usdCentsFee: EXECUTOR_FEE_USD_CENTS, enabled: true})
    });
    src.executor.applyDestChainUpdates(new uint64[](0), exec);

    address[] memory defaultCCVs = new address[](1);
    defaultCCVs[0] = address(src.ccv);
    OnRamp.DestChainConfigArgs[] memory dest = new OnRamp.DestChainConfigArgs[](1);
    dest[0] = OnRamp.DestChainConfigArgs({
      destChainSelector: destSelector,
      router: IRouter(address(src.router)),
      addressBytesLength: 20,
      tokenReceiverAllowed: false,
      messageNetworkFeeUSDCents: MESSAGE_NETWORK_FEE_USD_CENTS,
      tokenNetworkFeeUSDCents: TOKEN_NETWORK_FEE_USD_CENTS,
      baseExecutionGasCost: BASE_EXECUTION_GAS,
      defaultCCVs: defaultCCVs,
      laneMandatedCCVs: new address[](0),
      defaultExecutor: address(src.executor),
      offRamp: abi.encodePacked(destOffRamp) // raw 20 bytes, not abi-encoded
    });
    src.onRamp.applyDestChainConfigUpdates(dest);
  }

  function _configureInbound(
    CcipChain memory dst,
    uint64 sourceSelector,
    address sourceOnRamp,
    address[] memory signers,
    uint8 threshold
  ) internal {
    Router.OffRamp[] memory offRamps = new Router.OffRamp[](1);
    offRamps[0] = Router.OffRamp({sourceChainSelector: sourceSelector, offRamp: address(dst.offRamp)});
    dst.router.applyRampUpdates(new Router.OnRamp[](0), new Router.OffRamp[](0), offRamps);

    bytes[] memory onRamps = new bytes[](1);
    onRamps[0] = abi.encode(sourceOnRamp); // source addresses are abi-encoded
    address[] memory defaultCCVs = new address[](1);
    defaultCCVs[0] = address(dst.ccv);
    OffRamp.SourceChainConfigArgs[] memory src = new OffRamp.SourceChainConfigArgs[](1);
    src[0] = OffRamp.SourceChainConfigArgs({
      router: IRouter(address(dst.router)),
      sourceChainSelector: sourceSelector,
      isEnabled: true,
      onRamps: onRamps,
      defaultCCVs: defaultCCVs,
      laneMandatedCCVs: new address[](0)
    });
    dst.offRamp.applySourceChainConfigUpdates(src);

    SignatureQuorumValidator.SignatureConfig[] memory sig = new SignatureQuorumValidator.SignatureConfig[](1);
    sig[0] = SignatureQuorumValidator.SignatureConfig({
      sourceChainSelector: sourceSelector, threshold: threshold, signers: signers
    });
    dst.committeeVerifier.applySignatureConfigs(new uint64[](0), sig);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Off-chain roles
  // ---------------------------------------------------------------------------------------------------------------

  /// @notice The CCIPMessageSent events `onRamp` emitted among `logs` (use vm.recordLogs / vm.getRecordedLogs).
  function _sentMessages(Vm.Log[] memory logs, address onRamp) internal pure returns (SentMessage[] memory out) {
    uint256 n;
    for (uint256 i; i < logs.length; ++i) {
      if (_isSent(logs[i], onRamp)) ++n;
    }
    out = new SentMessage[](n);
    n = 0;
    for (uint256 i; i < logs.length; ++i) {
      if (!_isSent(logs[i], onRamp)) continue;
      (,, bytes memory encodedMessage,,) =
        abi.decode(logs[i].data, (address, uint256, bytes, OnRamp.Receipt[], bytes[]));
      out[n++] = SentMessage({
        destChainSelector: uint64(uint256(logs[i].topics[1])),
        sender: address(uint160(uint256(logs[i].topics[2]))),
        messageId: logs[i].topics[3],
        encodedMessage: encodedMessage
      });
    }
  }

  /// @notice The single CCIPMessageSent among `logs`; reverts unless there is exactly one.
  function _sentMessage(Vm.Log[] memory logs, address onRamp) internal pure returns (SentMessage memory) {
    SentMessage[] memory all = _sentMessages(logs, onRamp);
    if (all.length != 1) revert UnexpectedSentMessageCount(all.length);
    return all[0];
  }

  function _isSent(Vm.Log memory log, address onRamp) private pure returns (bool) {
    return log.emitter == onRamp && log.topics.length == 4 && log.topics[0] == OnRamp.CCIPMessageSent.selector;
  }

  /// @notice verifierResults as CommitteeVerifier.verifyMessage expects them:
  /// versionTag (4) | signatures length (uint16, 2) | signatures, each r (32) | s (32) over
  /// keccak256(versionTag ‖ messageId), ordered by strictly increasing signer address, v implied 27.
  function _committeeVerifierResults(bytes32 messageId, uint256[] memory signerKeys) internal pure returns (bytes memory) {
    return _committeeVerifierResults(COMMITTEE_VERSION_TAG, messageId, signerKeys);
  }

  function _committeeVerifierResults(bytes4 versionTag, bytes32 messageId, uint256[] memory signerKeys)
    internal
    pure
    returns (bytes memory)
  {
    uint256[] memory keys = _sortedByAddress(signerKeys);
    bytes32 signedHash = keccak256(bytes.concat(versionTag, messageId));
    bytes memory sigs;
    for (uint256 i; i < keys.length; ++i) {
      (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[i], signedHash);
      // The verifier recovers with v = 27 only; (r, n - s) with the other parity recovers the same signer.
      if (v == 28) s = bytes32(SECP256K1_ORDER - uint256(s));
      sigs = bytes.concat(sigs, r, s);
    }
    return abi.encodePacked(versionTag, uint16(sigs.length), sigs);
  }

  /// @notice Executes one message on `dst` as an executor would: the lane's CCV and the committee's results.
  function _execute(CcipChain memory dst, bytes memory encodedMessage, bytes memory verifierResults) internal {
    _execute(dst, encodedMessage, verifierResults, 0);
  }

  function _execute(CcipChain memory dst, bytes memory encodedMessage, bytes memory verifierResults, uint32 gasLimitOverride)
    internal
  {
    address[] memory ccvs = new address[](1);
    ccvs[0] = address(dst.ccv);
    bytes[] memory results = new bytes[](1);
    results[0] = verifierResults;
    dst.offRamp.execute(encodedMessage, ccvs, results, gasLimitOverride);
  }

  /// @notice The OffRamp's verdict among `logs`: state and (capped) return data of the single ExecutionStateChanged.
  function _executionResult(Vm.Log[] memory logs, address offRamp)
    internal
    pure
    returns (bytes32 messageId, Internal.MessageExecutionState state, bytes memory returnData)
  {
    uint256 found;
    for (uint256 i; i < logs.length; ++i) {
      Vm.Log memory log = logs[i];
      if (log.emitter != offRamp || log.topics.length != 4) continue;
      if (log.topics[0] != OffRamp.ExecutionStateChanged.selector) continue;
      messageId = log.topics[3];
      (state, returnData) = abi.decode(log.data, (Internal.MessageExecutionState, bytes));
      ++found;
    }
    if (found != 1) revert UnexpectedExecutionCount(found);
  }

  /// @notice What CCIP keeps of a receiver's revert: OffRamp.ReceiverError(reason), cut at Internal.MAX_RET_BYTES.
  function _receiverFailure(bytes memory reason) internal pure returns (bytes memory) {
    return _capped(abi.encodeWithSelector(OffRamp.ReceiverError.selector, reason));
  }

  function _capped(bytes memory data) internal pure returns (bytes memory out) {
    uint256 n = data.length < MAX_RET_BYTES ? data.length : MAX_RET_BYTES;
    out = new bytes(n);
    for (uint256 i; i < n; ++i) {
      out[i] = data[i];
    }
  }

  /// @notice Decodes an encoded MessageV1 (the library reads calldata, hence the external self-call entry point).
  function decodeMessageV1(bytes calldata encodedMessage) external pure returns (MessageV1Codec.MessageV1 memory) {
    return MessageV1Codec._decodeMessageV1(encodedMessage);
  }

  function _encodeMessageV1(MessageV1Codec.MessageV1 memory message) internal pure returns (bytes memory) {
    return MessageV1Codec._encodeMessageV1(message);
  }

  function _sortedByAddress(uint256[] memory keys) private pure returns (uint256[] memory sorted) {
    sorted = new uint256[](keys.length);
    for (uint256 i; i < keys.length; ++i) {
      uint256 k = keys[i];
      uint256 j = i;
      while (j > 0 && vm.addr(sorted[j - 1]) > vm.addr(k)) {
        sorted[j] = sorted[j - 1];
        --j;
      }
      sorted[j] = k;
    }
  }
}
