// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {ReceiverHandler} from "./handlers/ReceiverHandler.sol";

/// @notice Stateful properties of one receiver/DID under a random mix of valid and hostile deliveries. Numbers refer
/// to contracts/INVARIANTS.md; the two-chain campaign (TwoChainInvariants.t.sol) covers the rest.
contract ReceiverInvariants is AttestationFixture {
  ReceiverHandler internal handler;

  function setUp() public override {
    super.setUp();
    address[] memory actors = new address[](3);
    actors[0] = alice;
    actors[1] = bob;
    actors[2] = makeAddr("carol");
    handler = new ReceiverHandler(receiver, DID, committeeKeys, outsiderKeys, actors, makeAddr("attacker"));

    bytes4[] memory selectors = new bytes4[](6);
    selectors[0] = ReceiverHandler.applySubscription.selector;
    selectors[1] = ReceiverHandler.applyRedemption.selector;
    selectors[2] = ReceiverHandler.applyNav.selector;
    selectors[3] = ReceiverHandler.attemptForged.selector;
    selectors[4] = ReceiverHandler.attemptReplay.selector;
    selectors[5] = ReceiverHandler.attemptUnsigned.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (1) Supply is exactly what verified subscriptions minted minus what verified redemptions burned, and
  /// it sits with the investors named in those settlements.
  function invariant_supplyEqualsVerifiedSubscriptionsMinusRedemptions() public view {
    assertEq(holdings.totalSupply(), handler.ghost_subscribed() - handler.ghost_redeemed());
    uint256 sum;
    for (uint256 i; i < handler.actorCount(); ++i) {
      address actor = handler.actorAt(i);
      assertEq(holdings.balanceOf(actor), handler.ghost_balance(actor));
      sum += holdings.balanceOf(actor);
    }
    assertEq(sum, holdings.totalSupply());
    assertEq(holdings.balanceOf(handler.attacker()), 0);
  }

  /// @notice (3) One NAV round per applied NAV, rounds readable, as-of times strictly increasing across rounds.
  function invariant_navRoundsMatchAppliedNavsAndAsOfIncreases() public view {
    uint80 latest = uint80(navFeed.latestRound()); // V2 latestRound is uint256; round ids fit uint80
    assertEq(latest, handler.ghost_navCount());
    uint256 previousAsOf;
    for (uint80 r = 1; r <= latest; ++r) {
      (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) =
        navFeed.getRoundData(r);
      assertEq(roundId, r);
      assertEq(answeredInRound, r);
      assertGt(answer, 0);
      assertEq(startedAt, updatedAt);
      assertGt(updatedAt, previousAsOf, "as-of did not increase");
      previousAsOf = updatedAt;
    }
    if (latest != 0) {
      (, int256 answer,, uint256 updatedAt,) = navFeed.latestRoundData();
      assertEq(uint256(answer), handler.ghost_lastNav());
      assertEq(updatedAt, handler.ghost_lastAsOf());
    }
  }

  /// @notice (4) No nonce applied twice: every successful apply consumed a distinct nonce, and each is marked used.
  function invariant_noNonceAppliedTwice() public view {
    assertEq(handler.ghost_nonceAppliedTwice(), 0);
    uint256 applied = handler.appliedNonceCount();
    assertEq(handler.ghost_applies(), applied);
    assertEq(
      applied, handler.ghost_subscriptionCount() + handler.ghost_redemptionCount() + handler.ghost_navCount()
    );
    for (uint256 i; i < applied; ++i) {
      assertTrue(receiver.isNonceUsed(DID, handler.appliedNonceAt(i)));
    }
  }

  /// @notice (4) Forged, replayed and unsigned deliveries never succeeded, and never burned the nonce they carried
  /// (a nonce is used only if a valid delivery applied it).
  function invariant_hostileDeliveriesNeverSucceed() public view {
    assertEq(handler.ghost_hostileSucceeded(), 0);
    for (uint256 i; i < handler.hostileNonceCount(); ++i) {
      uint64 nonce = handler.hostileNonceAt(i);
      assertEq(receiver.isNonceUsed(DID, nonce), handler.ghost_nonceApplied(nonce));
    }
  }

  /// @notice (7) Valid committee deliveries were never rejected (guards the handler itself: without it, a broken
  /// fixture would make the properties above pass vacuously).
  function invariant_validDeliveriesAlwaysApply() public view {
    assertEq(handler.ghost_validRejected(), 0);
  }
}
