// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice receiveMessage with PAUSE attestations (kind 5): while paused no holding moves (transfer, subscription,
/// redemption, move out, move in); a rejected settlement keeps its nonce and applies after the resume.
contract RwaReceiverPauseTest is AttestationFixture {
  function setUp() public override {
    super.setUp();
    deliver(subscriptionAtt(alice, 1_000, 1));
  }

  function _expectPausedRevert(SettlementAtt memory a) internal returns (bytes memory m, bytes memory sigs) {
    m = encodeSettlement(a);
    sigs = quorumSigs(a);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    receiver.receiveMessage(m, sigs);
    assertFalse(receiver.isNonceUsed(DID, a.nonce), "rejected settlement consumed its nonce");
  }

  function _assertFrozen() internal view {
    assertEq(holdings.balanceOf(alice), 1_000);
    assertEq(holdings.balanceOf(bob), 0);
    assertEq(holdings.totalSupply(), 1_000);
  }

  function test_receiveMessage_PauseAppliesAndEmits() public {
    bytes memory m = encodePause(PauseAtt({did: DID, nonce: 2, paused: true}));
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectEmit(true, true, true, true, address(holdings));
    emit RwaHoldings.PausedSet(true);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.PauseApplied(DID, 2, true);
    receiver.receiveMessage(m, sigs);
    assertTrue(holdings.paused());
    assertTrue(receiver.isNonceUsed(DID, 2));
  }

  function test_receiveMessage_AnyNonZeroFlagPauses() public {
    bytes memory m = encodePause(PauseAtt({did: DID, nonce: 2, paused: true}));
    m[42] = 0x02;
    receiver.receiveMessage(m, adminQuorumSigs(m));
    assertTrue(holdings.paused());
  }

  function test_RevertWhen_transfer_Paused() public {
    setPaused(true);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    vm.prank(alice);
    holdings.transfer(bob, 1);
    _assertFrozen();
  }

  function test_RevertWhen_receiveMessage_SubscriptionWhilePaused() public {
    setPaused(true);
    _expectPausedRevert(subscriptionAtt(bob, 5, 2));
    _assertFrozen();
  }

  function test_RevertWhen_receiveMessage_RedemptionWhilePaused() public {
    setPaused(true);
    _expectPausedRevert(redemptionAtt(alice, 5, 2));
    _assertFrozen();
  }

  function test_RevertWhen_receiveMessage_MovesWhilePaused() public {
    setPaused(true);
    _expectPausedRevert(moveOutAtt(alice, 5, 2));
    _expectPausedRevert(moveInAtt(bob, 5, 3));
    _assertFrozen();
  }

  function test_receiveMessage_ResumeLetsRejectedSettlementsApply() public {
    setPaused(true);
    (bytes memory m, bytes memory sigs) = _expectPausedRevert(redemptionAtt(alice, 400, 2));

    uint64 nonce = ADMIN_NONCE_BASE + 4; // config, allow-list, reserve, pause came first
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.PauseApplied(DID, nonce, false);
    setPaused(false);
    assertFalse(holdings.paused());

    receiver.receiveMessage(m, sigs);
    assertEq(holdings.balanceOf(alice), 600);
    vm.prank(alice);
    holdings.transfer(bob, 100);
    deliver(subscriptionAtt(bob, 1, 3));
    assertEq(holdings.balanceOf(bob), 101);
  }

  function test_receiveMessage_NonHoldingAttestationsApplyWhilePaused() public {
    // The pause stops holdings from moving; NAV, allow-list and reserve still apply (what a paused NAV stream means
    // is the reader's call, as with Chainlink's ripcord).
    setPaused(true);
    deliver(navAtt(NAV_1, uint64(T0), 2));
    assertEq(navFeed.latestRound(), 1);
    allow(stranger);
    assertTrue(holdings.isAllowed(stranger));
    setCap(5_000);
    assertEq(holdings.supplyCap(), 5_000);
    _assertFrozen();
  }

  function test_receiveMessage_PauseTwiceStaysPaused() public {
    setPaused(true);
    setPaused(true);
    assertTrue(holdings.paused());
    setPaused(false);
    assertFalse(holdings.paused());
  }
}
