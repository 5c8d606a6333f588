// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice Kind 7 on the hub: reports of accepted requests summed per hour of arrival over all chains, the stage
/// rule on the last 24 to 25 hours, refreshStage. POOL is 10,000,000e6, so 1 % is 100,000e6 and 3 % is 300,000e6.
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

  function test_report_CountsTheHourOfArrivalAndEmits() public {
    RequestReportAtt memory a = reportAtt(SPOKE_A, 4, 50_000e6, POOL);
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedemptionReported(DID, a.nonce, SPOKE_A, 4, alice, 50_000e6, a.requestedAt, POOL);
    deliverRedemption(encodeRequestReport(a));
    assertEq(redemptions.hourAcceptedOf(DID, uint64(block.timestamp / 1 hours)), 50_000e6);
    assertEq(redemptions.pressureOf(DID), 50_000e6);
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

  /// @dev Issue 17, "a late report escapes the gate": a whale requests 5 % of the pool at 23:55; confirmations and
  /// relay bring the report to the hub at 00:10 the next day. It counts when it arrives: stage C at once.
  function test_report_LateReportCountsWhenItArrives() public {
    uint256 midnight = (block.timestamp / 1 days + 1) * 1 days;
    vm.warp(midnight - 5 minutes);
    RequestReportAtt memory a = reportAtt(SPOKE_A, 1, 500_000e6, POOL); // requestedAt 23:55
    vm.warp(midnight + 10 minutes);
    deliverRedemption(encodeRequestReport(a));
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
    assertEq(redemptions.pressureOf(DID), 500_000e6);
  }

  /// @dev However old its requestedAt (a report stuck in a queue for days), a report counts in the hour it arrives.
  function testFuzz_report_CountsWheneverItArrives(uint256 age, uint256 arrival) public {
    age = bound(age, 0, 30 days);
    arrival = bound(arrival, 0, 30 days);
    vm.warp(T0 + arrival);
    RequestReportAtt memory a = reportAtt(SPOKE_A, 1, 310_000e6, POOL);
    a.requestedAt = uint64(block.timestamp - (age > block.timestamp ? block.timestamp : age));
    deliverRedemption(encodeRequestReport(a));
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
  }

  /// @dev Split requests: two halves of a run less than 24 hours apart count together, whatever the clock says
  /// (here 2 % at 23:59 and 2 % at 00:01, and 2 % at 00:00 and 2 % at 23:59 the same day).
  function testFuzz_report_SplitRequestsLessThanADayApartCountTogether(uint256 start, uint256 gap) public {
    start = bound(start, 0, 2 days);
    gap = bound(gap, 0, 24 hours - 1);
    vm.warp(T0 + start);
    _report(SPOKE_A, 1, 200_000e6, POOL);
    _assertStage(STAGE_B, 1, REASON_THRESHOLD);
    vm.warp(block.timestamp + gap);
    _report(SPOKE_B, 1, 200_000e6, POOL);
    _assertStage(STAGE_C, 2, REASON_THRESHOLD);
  }

  /// @dev The window is the current hour and the 24 before it: a report leaves it 25 hours after its hour began.
  function test_pressureOf_ReportLeavesTheWindowAfter25Hours() public {
    uint256 hourStart = block.timestamp / 1 hours * 1 hours;
    _report(SPOKE_A, 1, 50_000e6, POOL);
    vm.warp(hourStart + 25 hours - 1);
    assertEq(redemptions.pressureOf(DID), 50_000e6);
    vm.warp(hourStart + 25 hours);
    assertEq(redemptions.pressureOf(DID), 0);
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
    assertEq(redemptions.pressureOf(DID), 1e6);
  }

  // ---- refreshStage ----

  function test_refreshStage_FallsBackOnceTheWindowHasPassed() public {
    _report(SPOKE_A, 1, 400_000e6, POOL);
    _assertStage(STAGE_C, 1, REASON_THRESHOLD);
    // The default window is 7 days, and the report left the pressure window long before.
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
    // Two days without reports: the pressure rule alone would give A, but C holds until since + 7 days.
    vm.warp(since + 2 days);
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
    vm.warp(block.timestamp + 2 days);
    _report(SPOKE_B, 1, 350_000e6, POOL);
    _assertStage(STAGE_C, 2, REASON_THRESHOLD);
  }

  function test_refreshStage_WithinTheWindowChangesNothing() public {
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
