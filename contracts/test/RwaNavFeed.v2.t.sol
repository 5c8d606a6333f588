// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {AggregatorInterface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorInterface.sol";
import {AggregatorV2V3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV2V3Interface.sol";
import {RwaNavFeed} from "../src/RwaNavFeed.sol";

/// @notice RwaNavFeed as Chainlink's AggregatorV2V3Interface: the V2 calls (latestAnswer, latestTimestamp, latestRound,
/// getAnswer, getTimestamp) and their events. This test contract deploys the feed, so it is the feed's receiver.
contract RwaNavFeedV2Test is Test {
  bytes32 internal constant DID = keccak256("did:rwa:acme:ust-bill-2026");
  uint32 internal constant HEARTBEAT = 1 days;
  uint16 internal constant MAX_MOVE_BPS = 500;
  uint256 internal constant NAV = 100_00000000;
  uint64 internal constant AS_OF = 1_767_225_600;

  RwaNavFeed internal feed;
  AggregatorV2V3Interface internal agg;

  function setUp() public {
    vm.warp(AS_OF + 1 hours);
    feed = new RwaNavFeed(DID, "aUSTB / NAV", 8, HEARTBEAT, MAX_MOVE_BPS, address(this));
    agg = AggregatorV2V3Interface(address(feed));
  }

  // ---- before the first NAV: V2 reads are 0, never a revert ----

  function test_latestAnswer_ZeroBeforeAnyNav() public view {
    assertEq(agg.latestAnswer(), 0);
    assertEq(agg.latestTimestamp(), 0);
    assertEq(agg.latestRound(), 0);
    assertEq(agg.getAnswer(0), 0);
    assertEq(agg.getTimestamp(0), 0);
    assertEq(agg.getAnswer(1), 0);
    assertEq(agg.getTimestamp(1), 0);
  }

  // ---- after NAVs ----

  function test_latestAnswer_IsTheLatestNav() public {
    feed.update(NAV, AS_OF);
    assertEq(agg.latestAnswer(), int256(NAV));
    feed.update(NAV + 1, AS_OF + 60);
    assertEq(agg.latestAnswer(), int256(NAV + 1));
  }

  function test_latestTimestamp_IsTheLatestAsOf() public {
    feed.update(NAV, AS_OF);
    assertEq(agg.latestTimestamp(), AS_OF);
    vm.warp(AS_OF + 2 hours);
    feed.update(NAV, AS_OF + 60);
    // The as-of time (V3's updatedAt), not the block time it arrived in.
    assertEq(agg.latestTimestamp(), AS_OF + 60);
    (,,, uint256 updatedAt,) = agg.latestRoundData();
    assertEq(agg.latestTimestamp(), updatedAt);
  }

  function test_latestRound_CountsAppliedNavs() public {
    for (uint64 i; i < 3; ++i) {
      feed.update(NAV, AS_OF + i);
      assertEq(agg.latestRound(), i + 1);
    }
    (uint80 roundId,,,,) = agg.latestRoundData();
    assertEq(agg.latestRound(), roundId);
  }

  function test_getAnswer_ReadsEveryPastRound() public {
    feed.update(NAV, AS_OF);
    feed.update(NAV + 7, AS_OF + 10);
    feed.update(NAV + 9, AS_OF + 20);
    assertEq(agg.getAnswer(1), int256(NAV));
    assertEq(agg.getAnswer(2), int256(NAV + 7));
    assertEq(agg.getAnswer(3), int256(NAV + 9));
    assertEq(agg.getTimestamp(1), AS_OF);
    assertEq(agg.getTimestamp(2), AS_OF + 10);
    assertEq(agg.getTimestamp(3), AS_OF + 20);
  }

  function test_getAnswer_ZeroForUnknownRounds() public {
    feed.update(NAV, AS_OF);
    assertEq(agg.getAnswer(0), 0);
    assertEq(agg.getAnswer(2), 0);
    assertEq(agg.getTimestamp(0), 0);
    assertEq(agg.getTimestamp(2), 0);
    // Above uint80: no truncation onto a real round (2**80 + 1 would otherwise read round 1).
    assertEq(agg.getAnswer(uint256(type(uint80).max) + 2), 0);
    assertEq(agg.getTimestamp(uint256(type(uint80).max) + 2), 0);
    assertEq(agg.getAnswer(type(uint256).max), 0);
  }

  function test_getAnswer_AgreesWithGetRoundDataWhileV3RevertsOnUnknown() public {
    feed.update(NAV, AS_OF);
    (, int256 answer,, uint256 updatedAt,) = agg.getRoundData(1);
    assertEq(agg.getAnswer(1), answer);
    assertEq(agg.getTimestamp(1), updatedAt);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NoDataPresent.selector, 2));
    agg.getRoundData(2);
  }

  function test_latestAnswer_UnchangedByRefusedUpdate() public {
    feed.update(NAV, AS_OF);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.StaleAsOf.selector, AS_OF, AS_OF));
    feed.update(NAV + 1, AS_OF);
    assertEq(agg.latestAnswer(), int256(NAV));
    assertEq(agg.latestRound(), 1);
  }

  // ---- events ----

  function test_update_EmitsNewRoundAndAnswerUpdated() public {
    vm.expectEmit(true, true, true, true, address(feed));
    emit AggregatorInterface.NewRound(1, address(this), AS_OF);
    vm.expectEmit(true, true, true, true, address(feed));
    emit AggregatorInterface.AnswerUpdated(int256(NAV), 1, AS_OF);
    feed.update(NAV, AS_OF);

    vm.expectEmit(true, true, true, true, address(feed));
    emit AggregatorInterface.NewRound(2, address(this), AS_OF + 5);
    vm.expectEmit(true, true, true, true, address(feed));
    emit AggregatorInterface.AnswerUpdated(int256(NAV + 3), 2, AS_OF + 5);
    feed.update(NAV + 3, AS_OF + 5);
  }

  function test_update_EmitsNothingWhenRefused() public {
    feed.update(NAV, AS_OF);
    vm.recordLogs();
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.InvalidNav.selector, 0));
    feed.update(0, AS_OF + 1);
    assertEq(vm.getRecordedLogs().length, 0);
  }

  // ---- fuzz ----

  /// @dev Any sequence of in-range updates: V2 and V3 reads agree round by round, unknown rounds read 0.
  function testFuzz_getAnswer_AgreesWithGetRoundData(uint256 seed, uint8 n) public {
    n = uint8(bound(n, 1, 12));
    uint256 nav = bound(seed, 1e6, 1e30);
    uint64 asOf = AS_OF;
    for (uint256 i; i < n; ++i) {
      seed = uint256(keccak256(abi.encode(seed)));
      // Moves within +-5 % (the limit) and as-of steps of 1 s to 2 days.
      uint256 move = nav * (seed % (MAX_MOVE_BPS + 1)) / 10_000;
      nav = seed & 1 == 0 ? nav + move : nav - move;
      asOf += uint64(1 + (seed >> 8) % 2 days);
      assertEq(feed.update(nav, asOf), i + 1);
    }
    assertEq(agg.latestRound(), n);
    assertEq(agg.latestAnswer(), int256(nav));
    assertEq(agg.latestTimestamp(), asOf);
    for (uint80 r = 1; r <= n; ++r) {
      (uint80 id, int256 answer,, uint256 updatedAt, uint80 answeredIn) = agg.getRoundData(r);
      assertEq(id, r);
      assertEq(answeredIn, r);
      assertEq(agg.getAnswer(r), answer);
      assertEq(agg.getTimestamp(r), updatedAt);
      if (r > 1) assertGt(agg.getTimestamp(r), agg.getTimestamp(r - 1));
    }
    assertEq(agg.getAnswer(uint256(n) + 1), 0);
    assertEq(agg.getTimestamp(uint256(n) + 1), 0);
  }

  function testFuzz_getAnswer_ZeroBeyondLatest(uint256 roundId) public {
    feed.update(NAV, AS_OF);
    feed.update(NAV, AS_OF + 1);
    roundId = bound(roundId, 3, type(uint256).max);
    assertEq(agg.getAnswer(roundId), 0);
    assertEq(agg.getTimestamp(roundId), 0);
  }

  function testFuzz_latestAnswer_FollowsAcceptedUpdatesOnly(uint256 prev, uint256 next, uint64 step) public {
    prev = bound(prev, 1, type(uint192).max);
    next = bound(next, 1, type(uint192).max);
    step = uint64(bound(step, 1, 365 days));
    feed.update(prev, AS_OF);
    uint256 diff = next > prev ? next - prev : prev - next;
    bool allowed = diff * 10_000 <= prev * MAX_MOVE_BPS;
    if (!allowed) vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, prev, next, MAX_MOVE_BPS));
    feed.update(next, AS_OF + step);
    assertEq(agg.latestAnswer(), int256(allowed ? next : prev));
    assertEq(agg.latestTimestamp(), allowed ? AS_OF + step : AS_OF);
    assertEq(agg.getAnswer(agg.latestRound()), agg.latestAnswer());
  }
}
