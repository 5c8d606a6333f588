// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RedemptionPolicy} from "../libraries/RedemptionPolicy.sol";

/// @dev The reads RwaNavFeed.freshness() makes of the chain's other parts, declared here rather than imported:
/// RwaRedemptions' sources import each other in a cycle that compiles only from its own entry point.
/// Return layouts are those of RwaReceiver.didState (a prefix of DidState), RwaHoldings and RwaRedemptions.

interface IRwaReceiverHoldingsView {
  function didState(bytes32 did) external view returns (uint8 threshold, uint32 signerEpoch, address holdings);
}

interface IRwaHoldingsPauseView {
  function paused() external view returns (bool);
  function i_redemptions() external view returns (address);
}

interface IRwaRedemptionsStageView {
  /// @dev RwaRedemptions.Stage.
  struct Stage {
    uint8 stage;
    uint64 stageSeq;
    uint64 since;
    uint8 reason;
    uint256 dayRequested;
    uint256 poolSupply;
  }

  function stageOf(bytes32 did) external view returns (Stage memory);
  function policyOf(bytes32 did) external view returns (RedemptionPolicy.Policy memory);
}
