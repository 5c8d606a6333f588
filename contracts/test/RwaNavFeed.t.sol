// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {RwaNavFeed} from "../src/RwaNavFeed.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice RwaNavFeed on its own: this test contract deploys it, so it is the feed's receiver.
contract RwaNavFeedTest is Test {
  bytes32 internal constant DID = keccak256("did:rwa:acme:ust-bill-2026");
  uint32 internal constant HEARTBEAT = 1 days;
  uint16 internal constant MAX_MOVE_BPS = 500;
  uint256 internal constant NAV = 100_00000000;
  uint64 internal constant AS_OF = 1_767_225_600;

  RwaNavFeed internal feed;
  address internal stranger = makeAddr("stranger");

  function setUp() public {
    vm.warp(AS_OF + 1 hours);
    feed = new RwaNavFeed(DID, "aUSTB / NAV", 8, HEARTBEAT, MAX_MOVE_BPS, address(this));
  }

  // ---- metadata ----

  function test_constructor_SetsMetadata() public view {
    assertEq(feed.decimals(), 8);
    assertEq(feed.description(), "aUSTB / NAV");
    assertEq(feed.version(), 1);
    assertEq(feed.i_receiver(), address(this));
    assertEq(feed.i_did(), DID);
    assertEq(feed.s_heartbeat(), HEARTBEAT);
    assertEq(feed.s_maxMoveBps(), MAX_MOVE_BPS);
    assertEq(feed.latestRound(), 0);
  }

  function test_feed_IsAnAggregatorV3() public {
    AggregatorV3Interface agg = AggregatorV3Interface(address(feed));
    feed.update(NAV, AS_OF);
    (uint80 roundId, int256 answer,,,) = agg.latestRoundData();
    assertEq(roundId, 1);
    assertEq(answer, int256(NAV));
    assertEq(agg.decimals(), 8);
  }

  // ---- update ----

  function test_update_FirstRoundIsOne() public {
    assertEq(feed.update(NAV, AS_OF), 1);
    assertEq(feed.latestRound(), 1);
    (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) = feed.getRoundData(1);
    assertEq(roundId, 1);
    assertEq(answer, int256(NAV));
    assertEq(startedAt, AS_OF);
    assertEq(updatedAt, AS_OF);
    assertEq(answeredInRound, 1);
  }

  function test_update_RoundsIncreaseByOne() public {
    uint256 nav = NAV;
    for (uint64 i; i < 4; ++i) {
      assertEq(feed.update(nav, AS_OF + i), i + 1);
      nav += nav / 100;
    }
    assertEq(feed.latestRound(), 4);
  }

  function test_update_EmitsNavUpdatedWithApplyTime() public {
    vm.expectEmit(true, true, true, true, address(feed));
    emit RwaNavFeed.NavUpdated(1, NAV, AS_OF, uint64(block.timestamp));
    feed.update(NAV, AS_OF);
  }

  function test_update_AcceptsMoveExactlyAtLimit() public {
    feed.update(NAV, AS_OF);
    uint256 up = NAV * (10_000 + MAX_MOVE_BPS) / 10_000;
    feed.update(up, AS_OF + 1);
    uint256 down = up * (10_000 - MAX_MOVE_BPS) / 10_000;
    feed.update(down, AS_OF + 2);
    (, int256 answer,,,) = feed.latestRoundData();
    assertEq(answer, int256(down));
  }

  function test_update_ZeroMaxMoveAcceptsOnlyUnchangedNav() public {
    RwaNavFeed pegged = new RwaNavFeed(DID, "peg", 8, HEARTBEAT, 0, address(this));
    pegged.update(NAV, AS_OF);
    pegged.update(NAV, AS_OF + 1);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, NAV, NAV + 1, 0));
    pegged.update(NAV + 1, AS_OF + 2);
  }

  function test_update_AcceptsUint192Max() public {
    feed.update(type(uint192).max, AS_OF);
    (, int256 answer,,,) = feed.latestRoundData();
    assertEq(answer, int256(uint256(type(uint192).max)));
  }

  function test_RevertWhen_update_CallerNotReceiver() public {
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.OnlyReceiver.selector, stranger));
    vm.prank(stranger);
    feed.update(NAV, AS_OF);
    assertEq(feed.latestRound(), 0);
  }

  function test_RevertWhen_update_NavZero() public {
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.InvalidNav.selector, 0));
    feed.update(0, AS_OF);
  }

  function test_RevertWhen_update_NavAboveUint192() public {
    uint256 nav = uint256(type(uint192).max) + 1;
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.InvalidNav.selector, nav));
    feed.update(nav, AS_OF);
  }

  function test_RevertWhen_update_AsOfZero() public {
    // An as-of of 0 would store a round that getRoundData reports as missing.
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.StaleAsOf.selector, 0, 0));
    feed.update(NAV, 0);
    assertEq(feed.latestRound(), 0);
  }

  function test_RevertWhen_update_AsOfOlderThanLatest() public {
    feed.update(NAV, AS_OF);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.StaleAsOf.selector, AS_OF - 1, AS_OF));
    feed.update(NAV, AS_OF - 1);
  }

  function test_RevertWhen_update_AsOfEqualToLatest() public {
    feed.update(NAV, AS_OF);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.StaleAsOf.selector, AS_OF, AS_OF));
    feed.update(NAV, AS_OF);
  }

  function test_RevertWhen_update_MoveAboveLimit() public {
    feed.update(NAV, AS_OF);
    uint256 up = NAV * (10_000 + MAX_MOVE_BPS) / 10_000 + 1;
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, NAV, up, MAX_MOVE_BPS));
    feed.update(up, AS_OF + 1);
    uint256 down = NAV * (10_000 - MAX_MOVE_BPS) / 10_000 - 1;
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, NAV, down, MAX_MOVE_BPS));
    feed.update(down, AS_OF + 1);
    assertEq(feed.latestRound(), 1);
  }

  // ---- setParams ----

  function test_setParams_EmitsAndApplies() public {
    vm.expectEmit(true, true, true, true, address(feed));
    emit RwaNavFeed.ParamsSet(2 days, 100);
    feed.setParams(2 days, 100);
    assertEq(feed.s_heartbeat(), 2 days);
    assertEq(feed.s_maxMoveBps(), 100);
  }

  function test_setParams_NewMoveLimitAppliesToNextUpdate() public {
    feed.update(NAV, AS_OF);
    feed.setParams(HEARTBEAT, 100);
    uint256 next = NAV + NAV / 100 + 1; // just above +1 %
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, NAV, next, 100));
    feed.update(next, AS_OF + 1);
    feed.update(NAV + NAV / 100, AS_OF + 1);
    assertEq(feed.latestRound(), 2);
  }

  function test_setParams_NewHeartbeatAppliesToIsStale() public {
    feed.update(NAV, AS_OF);
    vm.warp(uint256(AS_OF) + HEARTBEAT + 1);
    assertTrue(feed.isStale());
    feed.setParams(2 days, MAX_MOVE_BPS);
    assertFalse(feed.isStale());
  }

  function test_setParams_KeepsRounds() public {
    feed.update(NAV, AS_OF);
    feed.setParams(2 days, 0);
    (uint80 roundId, int256 answer,,,) = feed.latestRoundData();
    assertEq(roundId, 1);
    assertEq(answer, int256(NAV));
  }

  function test_RevertWhen_setParams_CallerNotReceiver() public {
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.OnlyReceiver.selector, stranger));
    vm.prank(stranger);
    feed.setParams(0, 10_000);
    assertEq(feed.s_heartbeat(), HEARTBEAT);
    assertEq(feed.s_maxMoveBps(), MAX_MOVE_BPS);
  }

  // ---- reads ----

  function test_RevertWhen_getRoundData_UnknownRound() public {
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NoDataPresent.selector, 1));
    feed.getRoundData(1);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NoDataPresent.selector, 0));
    feed.getRoundData(0);

    feed.update(NAV, AS_OF);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NoDataPresent.selector, 2));
    feed.getRoundData(2);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NoDataPresent.selector, type(uint80).max));
    feed.getRoundData(type(uint80).max);
  }

  function test_RevertWhen_latestRoundData_NoData() public {
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NoDataPresent.selector, 0));
    feed.latestRoundData();
  }

  function test_isStale_TrueBeforeAnyData() public view {
    assertTrue(feed.isStale());
  }

  function test_isStale_FalseUntilHeartbeatElapses() public {
    feed.update(NAV, AS_OF);
    assertFalse(feed.isStale());
    vm.warp(uint256(AS_OF) + HEARTBEAT);
    assertFalse(feed.isStale());
  }

  function test_isStale_TrueAfterHeartbeat() public {
    feed.update(NAV, AS_OF);
    vm.warp(uint256(AS_OF) + HEARTBEAT + 1);
    assertTrue(feed.isStale());
    feed.update(NAV, uint64(block.timestamp));
    assertFalse(feed.isStale());
  }

  function test_isStale_MeasuresAsOfNotApplyTime() public {
    // A NAV struck two days ago and applied now is already stale.
    feed.update(NAV, uint64(block.timestamp - 2 days));
    assertTrue(feed.isStale());
  }

  // ---- fuzz ----

  function testFuzz_update_MoveRuleMatchesBps(uint256 prev, uint256 next) public {
    prev = bound(prev, 1, type(uint192).max);
    next = bound(next, 1, type(uint192).max);
    feed.update(prev, AS_OF);
    uint256 diff = next > prev ? next - prev : prev - next;
    bool allowed = diff * 10_000 <= prev * MAX_MOVE_BPS;
    if (!allowed) {
      vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, prev, next, MAX_MOVE_BPS));
    }
    feed.update(next, AS_OF + 1);
    assertEq(feed.latestRound(), allowed ? 2 : 1);
  }
}

/// @notice The feed deployed by a receiver accepts updates from that receiver only.
contract RwaNavFeedViaReceiverTest is AttestationFixture {
  function test_RevertWhen_update_CallerIsGovernanceMember() public {
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.OnlyReceiver.selector, governance[0]));
    vm.prank(governance[0]);
    navFeed.update(NAV_1, uint64(T0));
  }

  function test_RevertWhen_setParams_CallerIsCommitteeMember() public {
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.OnlyReceiver.selector, committee[0]));
    vm.prank(committee[0]);
    navFeed.setParams(0, 10_000);
  }

  function test_RevertWhen_update_CallerIsCommitteeMember() public {
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.OnlyReceiver.selector, committee[1]));
    vm.prank(committee[1]);
    navFeed.update(NAV_1, uint64(T0));
    assertEq(navFeed.latestRound(), 0);
  }

  function test_isStale_FollowsDidHeartbeat() public {
    assertTrue(navFeed.isStale());
    deliver(navAtt(NAV_1, uint64(T0), 1));
    assertFalse(navFeed.isStale());
    vm.warp(T0 + HEARTBEAT + 1);
    assertTrue(navFeed.isStale());
  }
}
