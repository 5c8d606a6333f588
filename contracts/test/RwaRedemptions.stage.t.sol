// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice Kind 8 on a spoke: the hub's stage, applied only when its stageSeq is newer.
contract RwaRedemptionsStageTest is RedemptionFixture {
  function test_stage_AppliesTheHubStage() public {
    StageAtt memory a = stageAtt(STAGE_B, 1, REASON_THRESHOLD);
    a.since = uint64(block.timestamp - 1 hours);
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedemptionStageChanged(DID, 1, STAGE_B, a.since, REASON_THRESHOLD, a.dayRequested, a.poolSupply);
    deliverRedemption(encodeStage(a));
    RwaRedemptions.Stage memory s = redemptions.stageOf(DID);
    assertEq(s.stage, STAGE_B);
    assertEq(s.stageSeq, 1);
    assertEq(s.since, a.since);
    assertEq(s.reason, REASON_THRESHOLD);
    assertEq(s.dayRequested, a.dayRequested);
    assertEq(s.poolSupply, a.poolSupply);
  }

  /// @dev Stage messages may overtake each other; a later one may skip sequence numbers.
  function test_stage_SkipsAheadAndBackToA() public {
    applyStage(STAGE_C, 3, REASON_EMERGENCY);
    applyStage(STAGE_A, 7, REASON_NONE);
    RwaRedemptions.Stage memory s = redemptions.stageOf(DID);
    assertEq(s.stage, STAGE_A);
    assertEq(s.stageSeq, 7);
  }

  function test_RevertWhen_stage_NotNewer() public {
    applyStage(STAGE_B, 2, REASON_THRESHOLD);
    deliverRedemptionExpectRevert(
      encodeStage(stageAtt(STAGE_C, 2, REASON_THRESHOLD)), abi.encodeWithSelector(RwaRedemptions.StageNotNewer.selector, 2, 2)
    );
    deliverRedemptionExpectRevert(
      encodeStage(stageAtt(STAGE_A, 1, REASON_NONE)), abi.encodeWithSelector(RwaRedemptions.StageNotNewer.selector, 1, 2)
    );
  }

  function test_RevertWhen_stage_SequenceZero() public {
    deliverRedemptionExpectRevert(
      encodeStage(stageAtt(STAGE_B, 0, REASON_THRESHOLD)), abi.encodeWithSelector(RwaRedemptions.StageNotNewer.selector, 0, 0)
    );
  }

  function test_RevertWhen_stage_UnknownStageOrReason() public {
    deliverRedemptionExpectRevert(
      encodeStage(stageAtt(0, 1, REASON_NONE)), abi.encodeWithSelector(RwaRedemptions.InvalidStage.selector, 0, REASON_NONE)
    );
    deliverRedemptionExpectRevert(
      encodeStage(stageAtt(4, 1, REASON_NONE)), abi.encodeWithSelector(RwaRedemptions.InvalidStage.selector, 4, REASON_NONE)
    );
    deliverRedemptionExpectRevert(
      encodeStage(stageAtt(STAGE_C, 1, 3)), abi.encodeWithSelector(RwaRedemptions.InvalidStage.selector, STAGE_C, 3)
    );
  }
}
