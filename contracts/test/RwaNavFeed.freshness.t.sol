// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IRwaNavFreshness} from "../src/interfaces/IRwaNavFreshness.sol";
import {AggregatorInterface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorInterface.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice `freshness()` of a DID's feed on a real receiver: NAV, config (heartbeat), pause, stage and policy all
/// arrive as signed attestations, and the feed reads the pause and the stage where the receiver put them.
contract RwaNavFeedFreshnessTest is RedemptionFixture {
  uint64 internal s_navNonce = 1;

  function deliverNav(uint256 nav, uint64 asOf) internal {
    deliver(navAtt(nav, asOf, s_navNonce++));
  }

  function setHeartbeat(uint32 heartbeat) internal {
    ConfigAtt memory c = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
    c.heartbeat = heartbeat;
    deliverAdmin(encodeConfig(c));
  }

  function test_freshness_BeforeAnyNavIsStaleAndDoNotUse() public view {
    IRwaNavFreshness.Freshness memory f = navFeed.freshness();
    assertEq(f.roundId, 0);
    assertEq(f.answer, 0);
    assertEq(f.asOf, 0);
    assertEq(f.updatedAt, 0);
    assertEq(f.nextDueBy, 0);
    assertFalse(f.paused);
    assertFalse(f.stageC);
    assertTrue(f.stale);
    assertTrue(f.doNotUse);
  }

  function test_freshness_AsOfIsStruckUpdatedAtIsArrival() public {
    uint64 struck = uint64(block.timestamp - 2 hours);
    deliverNav(NAV_1, struck);
    IRwaNavFreshness.Freshness memory f = navFeed.freshness();
    assertEq(f.roundId, 1);
    assertEq(f.answer, int256(NAV_1));
    assertEq(f.asOf, struck);
    assertEq(f.updatedAt, block.timestamp);
    assertEq(f.nextDueBy, uint256(struck) + HEARTBEAT);
    assertFalse(f.stale);
    assertFalse(f.doNotUse);
    // The same round the Chainlink reads give.
    (uint80 roundId, int256 answer,, uint256 updatedAt,) = navFeed.latestRoundData();
    assertEq(f.roundId, roundId);
    assertEq(f.answer, answer);
    assertEq(f.asOf, updatedAt);
  }

  function test_freshness_StaleOneSecondAfterNextDueBy() public {
    deliverNav(NAV_1, uint64(block.timestamp));
    uint256 due = navFeed.freshness().nextDueBy;
    vm.warp(due);
    assertFalse(navFeed.freshness().stale);
    assertFalse(navFeed.freshness().doNotUse);
    vm.warp(due + 1);
    IRwaNavFreshness.Freshness memory f = navFeed.freshness();
    assertTrue(f.stale);
    assertTrue(f.doNotUse);
    // The next NAV makes it fresh again, due a heartbeat after its own as-of.
    deliverNav(NAV_1 + 1, uint64(block.timestamp));
    f = navFeed.freshness();
    assertFalse(f.doNotUse);
    assertEq(f.nextDueBy, block.timestamp + HEARTBEAT);
    assertEq(f.roundId, 2);
  }

  function test_freshness_HeartbeatComesFromTheDidConfig() public {
    deliverNav(NAV_1, uint64(block.timestamp));
    setHeartbeat(7 days);
    assertEq(navFeed.freshness().nextDueBy, block.timestamp + 7 days);
    vm.warp(block.timestamp + 2 days);
    assertFalse(navFeed.freshness().stale);
  }

  function test_freshness_PausedMeansDoNotUse() public {
    deliverNav(NAV_1, uint64(block.timestamp));
    setPaused(true);
    IRwaNavFreshness.Freshness memory f = navFeed.freshness();
    assertTrue(f.paused);
    assertFalse(f.stale);
    assertTrue(f.doNotUse);
    setPaused(false);
    assertFalse(navFeed.freshness().doNotUse);
  }

  function test_freshness_StageCMeansDoNotUse() public {
    deliverNav(NAV_1, uint64(block.timestamp));
    applyStage(STAGE_C, 1, REASON_THRESHOLD);
    IRwaNavFreshness.Freshness memory f = navFeed.freshness();
    assertTrue(f.stageC);
    assertTrue(f.doNotUse);
    applyStage(STAGE_A, 2, REASON_NONE);
    f = navFeed.freshness();
    assertFalse(f.stageC);
    assertFalse(f.doNotUse);
  }

  function test_freshness_StageBIsUsable() public {
    deliverNav(NAV_1, uint64(block.timestamp));
    applyStage(STAGE_B, 1, REASON_THRESHOLD);
    assertFalse(navFeed.freshness().stageC);
    assertFalse(navFeed.freshness().doNotUse);
  }

  function test_freshness_EmergencyPolicyHaltsBeforeTheHubsStageC() public {
    deliverNav(NAV_1, uint64(block.timestamp));
    applyPolicy(100, 300, 7, 7 days, true);
    assertEq(redemptions.stageOf(DID).stage, STAGE_A);
    assertTrue(navFeed.freshness().stageC);
    assertTrue(navFeed.freshness().doNotUse);
    applyPolicy(100, 300, 7, 7 days, false);
    assertFalse(navFeed.freshness().doNotUse);
  }

  function test_receiveMessage_NavEmitsChainlinkEventsFromTheFeed() public {
    uint64 asOf = uint64(block.timestamp);
    vm.expectEmit(true, true, true, true, address(navFeed));
    emit AggregatorInterface.NewRound(1, address(receiver), asOf);
    vm.expectEmit(true, true, true, true, address(navFeed));
    emit AggregatorInterface.AnswerUpdated(int256(NAV_1), 1, asOf);
    deliverNav(NAV_1, asOf);
    assertEq(navFeed.latestAnswer(), int256(NAV_1));
  }

  /// @dev Each flag against the part that owns it, and doNotUse as their disjunction, in any combination.
  function testFuzz_freshness_DoNotUseIsPausedOrHaltedOrStale(bool paused, uint8 stage, bool emergency, uint32 age) public {
    stage = uint8(bound(stage, STAGE_A, STAGE_C));
    uint64 asOf = uint64(block.timestamp);
    deliverNav(NAV_1, asOf);
    if (paused) setPaused(true);
    if (stage != STAGE_A) applyStage(stage, 1, REASON_THRESHOLD);
    if (emergency) applyPolicy(100, 300, 7, 7 days, true);
    vm.warp(block.timestamp + bound(age, 0, 3 * HEARTBEAT));

    IRwaNavFreshness.Freshness memory f = navFeed.freshness();
    assertEq(f.paused, holdings.paused());
    assertEq(f.paused, paused);
    assertEq(f.stageC, stage == STAGE_C || emergency);
    assertEq(f.nextDueBy, uint256(asOf) + HEARTBEAT);
    assertEq(f.stale, block.timestamp > f.nextDueBy);
    assertEq(f.stale, navFeed.isStale());
    assertEq(f.doNotUse, f.paused || f.stageC || f.stale);
  }
}
