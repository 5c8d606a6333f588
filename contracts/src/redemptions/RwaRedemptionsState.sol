// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {BuyBackCodec} from "../libraries/BuyBackCodec.sol";
import {RedemptionPolicy} from "../libraries/RedemptionPolicy.sol";
import {RwaHoldings} from "../RwaHoldings.sol";
import {RwaRedemptions} from "../RwaRedemptions.sol";

/// @dev The receiver views this module reads: the holdings of a DID (zero until the DID is configured here) and the
/// chain's curse (RwaReceiverCurse).
interface IRwaReceiverDids {
  function didState(bytes32 did) external view returns (uint8 threshold, uint32 signerEpoch, RwaHoldings holdings);
  function cursed() external view returns (bool);
}

/// @notice RwaRedemptions' constants and storage, shared by its parts, and the reads every part makes. All storage
/// lives here, in this order, so the module's slots do not depend on how its parts are split. Errors, events and
/// structs are declared in RwaRedemptions itself (integrators and tests name them `RwaRedemptions.X`).
abstract contract RwaRedemptionsState {
  uint8 public constant STAGE_A = 1;
  uint8 public constant STAGE_B = 2;
  uint8 public constant STAGE_C = 3;
  uint8 public constant REASON_NONE = 0;
  uint8 public constant REASON_THRESHOLD = 1;
  uint8 public constant REASON_EMERGENCY = 2;
  /// @dev A halt by the liquidity floor (kind 17: LCR below the issuer's stage C band).
  uint8 public constant REASON_LIQUIDITY = 3;
  uint8 internal constant DOC_KIND_MAX = 4;
  /// @dev Pressure window: the current hour and the 24 before it, so two reports less than 24 hours apart always
  /// count together (the window is 24 to 25 hours long, never shorter).
  uint64 public constant PRESSURE_HOURS = 24;

  address public immutable i_receiver;

  mapping(bytes32 did => RedemptionPolicy.Policy) internal s_policies; // instalments 0: never set, defaults apply
  mapping(bytes32 did => RwaRedemptions.Stage) internal s_stages;
  mapping(bytes32 did => uint64) internal s_requestCount;
  mapping(bytes32 did => mapping(uint64 requestId => RwaRedemptions.Request)) internal s_requests;
  mapping(bytes32 did => mapping(uint8 docKind => RwaRedemptions.Disclosure)) internal s_disclosures;
  // ---- hub aggregation: written only on the chain that receives request reports ----
  mapping(bytes32 did => uint64) internal s_reports;
  mapping(bytes32 did => uint256) internal s_poolSupply;
  /// @dev Accepted units reported per hub hour of arrival (block.timestamp / 3600).
  mapping(bytes32 did => mapping(uint64 hour => uint256)) internal s_hourAccepted;
  /// @dev Reported (chain, request) pairs, 256 request ids per word: the same request is never counted twice.
  mapping(bytes32 did => mapping(uint64 chainId => mapping(uint256 word => uint256 bits))) internal s_reported;
  // ---- every chain: the latest buy-back report (kind 17) per DID ----
  mapping(bytes32 did => BuyBackCodec.Report) internal s_buyBack;

  constructor() {
    i_receiver = msg.sender;
  }

  function _policy(bytes32 did) internal view returns (RedemptionPolicy.Policy memory p) {
    p = s_policies[did];
    if (p.instalments == 0) p = RedemptionPolicy.defaults();
  }

  function _stageValue(uint8 stored) internal pure returns (uint8) {
    return stored == 0 ? STAGE_A : stored;
  }

  function _holdings(bytes32 did) internal view returns (RwaHoldings holdings) {
    (,, holdings) = IRwaReceiverDids(i_receiver).didState(did);
    if (address(holdings) == address(0)) revert RwaRedemptions.UnknownDid(did);
  }
}
