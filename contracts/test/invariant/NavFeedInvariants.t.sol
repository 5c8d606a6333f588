// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {IRwaNavFreshness} from "../../src/interfaces/IRwaNavFreshness.sol";
import {RwaNavFeed} from "../../src/RwaNavFeed.sol";
import {NavFeedHandler} from "./handlers/NavFeedHandler.sol";

/// @notice INVARIANTS.md 19: the feed read as Chainlink's AggregatorV2V3Interface, and its freshness.
contract NavFeedInvariantsTest is Test {
  NavFeedHandler internal handler;
  RwaNavFeed internal feed;

  function setUp() public {
    vm.warp(1_767_225_600);
    handler = new NavFeedHandler();
    feed = handler.feed();
    targetContract(address(handler));
  }

  /// @dev Guard: every run applied NAVs, so the properties below are not checked on an empty feed only.
  function afterInvariant() public view {
    assertGt(handler.ghostRounds(), 0, "no NAV applied in the run");
  }

  /// @dev Each applied update got the previous latest + 1 and every refused one was one the model refuses; over the
  /// rounds 1..n the as-of times strictly increase; round n + 1 does not exist.
  function invariant_roundIdsStrictlyIncrease() public view {
    assertEq(handler.ghostRoundIdViolations(), 0);
    uint256 n = feed.latestRound();
    assertEq(n, handler.ghostRounds());
    for (uint256 r = 2; r <= n; ++r) {
      assertGt(feed.getTimestamp(r), feed.getTimestamp(r - 1));
    }
    assertEq(feed.getAnswer(n + 1), 0);
    assertEq(feed.getTimestamp(n + 1), 0);
  }

  /// @dev getAnswer(latestRound()) == latestAnswer() (and the same for timestamps and V3's latestRoundData), and
  /// it is the NAV of the latest update the model admitted.
  function invariant_latestAnswerIsTheLatestRound() public view {
    uint256 n = feed.latestRound();
    assertEq(feed.getAnswer(n), feed.latestAnswer());
    assertEq(feed.getTimestamp(n), feed.latestTimestamp());
    assertEq(feed.latestAnswer(), int256(handler.ghostNav()));
    assertEq(feed.latestTimestamp(), handler.ghostAsOf());
    if (n == 0) return;
    (uint80 roundId, int256 answer,, uint256 updatedAt, uint80 answeredInRound) = feed.latestRoundData();
    assertEq(roundId, n);
    assertEq(answeredInRound, n);
    assertEq(answer, feed.latestAnswer());
    assertEq(updatedAt, feed.latestTimestamp());
  }

  /// @dev freshness() against the model: doNotUse = paused || halted || stale, stale = now > asOf + heartbeat.
  function invariant_freshnessIsPausedOrHaltedOrStale() public view {
    IRwaNavFreshness.Freshness memory f = feed.freshness();
    bool any = handler.ghostRounds() != 0;
    uint256 due = any ? uint256(handler.ghostAsOf()) + handler.ghostHeartbeat() : 0;
    assertEq(f.roundId, handler.ghostRounds());
    assertEq(f.answer, int256(handler.ghostNav()));
    assertEq(f.nextDueBy, due);
    assertEq(f.paused, handler.ghostPaused());
    assertEq(f.stageC, handler.ghostStage() == 3 || handler.ghostEmergency());
    assertEq(f.stale, !any || block.timestamp > due);
    assertEq(f.doNotUse, f.paused || f.stageC || f.stale);
  }
}
