// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice Kind 7 on the hub: request reports summed per day over all chains, the stage rule, refreshStage.
/// POOL is 10,000,000e6, so 1 % is 100,000e6 and 3 % is 300,000e6.
contract RwaRedemptionsReportTest is RedemptionFixture {
  uint64 internal constant SPOKE_A = 8453;
  uint64 internal constant SPOKE_B = 42_161;

  function _report(uint64 chainId, uint64 requestId, uint256 amount, uint256 pool) internal {
    deliverRedemption(encodeRequestReport(reportAtt(chainId, requestId, amount, pool)));
  }

  function _assertStage(uint8 stage, uint64 seq, uint8 reason) internal view {
    RwaRedemptions.Stage memory s = redemptions.stageOf(DID);
    assertEq(s.stage, stage, "stage");
    assertEq(s.stageSeq, seq, "stageSeq");
    assertEq(s.reason, reason, "reason");
  }

  function test_report_CountsTheDayAndEmits() public {
    RequestReportAtt memory a = reportAtt(SPOKE_A, 4, 50_000e6, POOL);
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedemptionReported(DID, a.nonce, SPOKE_A, 4, alice, 50_000e6, a.requestedAt, POOL);
    deliverRedemption(encodeRequestReport(a));
    assertEq(redemptions.dayRequestedOf(DID, today()), 50_000e6);
    (uint64 reports, uint256 pool) = redemptions.aggregationOf(DID);
    assertEq(reports, 1);
    assertEq(pool, POOL);
    assertTrue(redemptions.isReported(DID, SPOKE_A, 4));
    assertFalse(redemptions.isReported(DID, SPOKE_B, 4));
    _assertStage(STAGE_A, 0, REASON_NONE);
  }

  /// @dev Exactly 1 % is not above stage B's threshold.
  function test_report_StaysInStageAAtExactlyStageBBps() public {
    _report(SPOKE_A, 1, 100_000e6, POOL);
    _assertStage(STAGE_A, 0, REASON_NONE);
  }

  function test_report_MovesToStageBAboveStageBBps() public {
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedemptionStageChanged(DID, 1, STAGE_B, uint64(block.timestamp), REASON_THRESHOLD, 110_000e6, POOL);
    _report(SPOKE_A, 1, 110_000e6, POOL);
    _assertStage(STAGE_B, 1, REASON_THRESHOLD);
    RwaRedemptions.Stage memory s = redemptions.stageOf(DID);
    assertEq(s.since, block.timestamp);
    assertEq(s.dayRequested, 110_000e6);
    assertEq(s.poolSupply, POOL);
  }

  /// @dev Requests on two spokes that together pass 1 %, then 3 % (the issue's scenario).
  function test_report_TwoChainsTogetherPassTheThresholds() public {
    _report(SPOKE_A, 1, 60_000e6, POOL);
    _assertStage(STAGE_A, 0, REASON_NONE);
    _report(SPOKE_B, 1, 60_000e6, POOL);
    _assertStage(STAGE_B, 1, REASON_THRESHOLD);
    _report(SPOKE_B, 2, 100_000e6, POOL);
    _assertStage(STAGE_B, 1, REASON_THRESHOLD); // 2.2 %: no new stageSeq without a change
    _report(SPOKE_A, 2, 90_000e6, POOL);
    _assertStage(STAGE_C, 2, REASON_THRESHOLD); // 3.1 %
  }

  function test_report_EmptyPoolIsStageC() public {
    _report(SPOKE_A, 1, 1, 0);
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
  }

  function test_report_MoreThanThePoolIsStageC() public {
    _report(SPOKE_A, 1, type(uint256).max, 1);
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
  }

  function test_report_LatestPoolSupplyApplies() public {
    _report(SPOKE_A, 1, 100_000e6, POOL);
    _assertStage(STAGE_A, 0, REASON_NONE);
    _report(SPOKE_A, 2, 1, POOL / 2); // the same 1 % is 2 % of a halved pool
    _assertStage(STAGE_B, 1, REASON_THRESHOLD);
  }

  function test_report_RequestOfAnotherDayCountsForThatDay() public {
    RequestReportAtt memory a = reportAtt(SPOKE_A, 1, 500_000e6, POOL);
    a.requestedAt -= 1 days;
    deliverRedemption(encodeRequestReport(a));
    assertEq(redemptions.dayRequestedOf(DID, today() - 1), 500_000e6);
    assertEq(redemptions.dayRequestedOf(DID, today()), 0);
    _assertStage(STAGE_A, 0, REASON_NONE);
  }

  function test_RevertWhen_report_ZeroAmount() public {
    deliverRedemptionExpectRevert(
      encodeRequestReport(reportAtt(SPOKE_A, 1, 0, POOL)), abi.encodeWithSelector(RwaRedemptions.InvalidAmount.selector, 0)
    );
  }

  function test_RevertWhen_report_SameRequestReportedTwice() public {
    _report(SPOKE_A, 300, 1e6, POOL);
    deliverRedemptionExpectRevert(
      encodeRequestReport(reportAtt(SPOKE_A, 300, 1e6, POOL)),
      abi.encodeWithSelector(RwaRedemptions.RequestAlreadyReported.selector, SPOKE_A, 300)
    );
    assertEq(redemptions.dayRequestedOf(DID, today()), 1e6);
  }

  // ---- refreshStage ----

  function test_refreshStage_FallsBackOnceTheWindowHasPassed() public {
    _report(SPOKE_A, 1, 400_000e6, POOL);
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
    // The default window is 7 days: the first day boundary after it.
    vm.warp((block.timestamp / 1 days + 8) * 1 days);
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedemptionStageChanged(DID, 2, STAGE_A, uint64(block.timestamp), REASON_NONE, 0, POOL);
    vm.prank(stranger);
    redemptions.refreshStage(DID);
    _assertStage(STAGE_A, 2, REASON_NONE);
  }

  function test_refreshStage_HoldsARaisedStageForTheWindow() public {
    _report(SPOKE_A, 1, 400_000e6, POOL);
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
    uint256 since = block.timestamp;
    // A new day without requests: the pressure rule alone would give A, but C holds until since + 7 days.
    vm.warp((since / 1 days + 1) * 1 days);
    redemptions.refreshStage(DID);
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
    vm.warp(since + 7 days - 1);
    redemptions.refreshStage(DID);
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
    vm.warp(since + 7 days);
    redemptions.refreshStage(DID);
    _assertStage(STAGE_A, 2, REASON_NONE);
  }

  function test_refreshStage_RaisesAtOnceDuringAHold() public {
    _report(SPOKE_A, 1, 150_000e6, POOL);
    _assertStage(STAGE_B, 1, REASON_THRESHOLD);
    vm.warp((block.timestamp / 1 days + 1) * 1 days);
    _report(SPOKE_B, 1, 350_000e6, POOL);
    _assertStage(STAGE_C, 2, REASON_THRESHOLD);
  }

  function test_refreshStage_SameDayChangesNothing() public {
    _report(SPOKE_A, 1, 150_000e6, POOL);
    vm.recordLogs();
    redemptions.refreshStage(DID);
    assertEq(vm.getRecordedLogs().length, 0);
    _assertStage(STAGE_B, 1, REASON_THRESHOLD);
  }

  function test_RevertWhen_refreshStage_ChainDoesNotAggregate() public {
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.NotAggregating.selector, DID));
    redemptions.refreshStage(DID);
  }
}
