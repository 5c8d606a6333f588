// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaHoldings} from "../src/RwaHoldings.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice Kind 10 on the request's chain (burns locked units within what the stage allows) and redeemableNow.
contract RwaRedemptionsFulfilTest is RedemptionFixture {
  uint64 internal id;

  function setUp() public override {
    super.setUp();
    id = requestAccepted(alice, 700e6);
  }

  // ---- stage A ----

  function test_fulfil_StageABurnsTheWholeRequest() public {
    uint256 supply = holdings.totalSupply();
    assertEq(redemptions.redeemableNow(DID, id), 700e6);
    FulfilmentAtt memory a = fulfilmentAtt(id, 700e6);
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedemptionFulfilled(DID, id, a.nonce, 700e6, 700e6, a.settlementRef, a.cashLegRef, a.settledAt);
    deliverRedemption(encodeFulfilment(a));
    assertEq(holdings.totalSupply(), supply - 700e6);
    assertEq(holdings.balanceOf(address(redemptions)), 0);
    assertEq(holdings.balanceOf(alice), FUNDED - 700e6);
    assertEq(redemptions.requestOf(DID, id).fulfilled, 700e6);
    assertEq(redemptions.redeemableNow(DID, id), 0);
  }

  function test_fulfil_InParts() public {
    fulfil(id, 200e6);
    assertEq(redemptions.redeemableNow(DID, id), 500e6);
    fulfil(id, 500e6);
    assertEq(redemptions.requestOf(DID, id).fulfilled, 700e6);
  }

  /// @dev Burning locked units needs no allow-listing: the holder was checked when the units were minted.
  function test_fulfil_AfterTheOwnerLeftTheAllowList() public {
    disallow(alice);
    fulfil(id, 700e6);
    assertEq(holdings.balanceOf(address(redemptions)), 0);
  }

  // ---- stage B: instalments ----

  /// @dev Default plan: 7 instalments over 7 days, one a day, each 100e6 of the 700e6.
  function test_redeemableNow_StageBReleasesOneInstalmentPerPeriod() public {
    applyStage(STAGE_B, 1, REASON_THRESHOLD);
    assertEq(redemptions.redeemableNow(DID, id), 100e6);
    vm.warp(T0 + 1 days - 1);
    assertEq(redemptions.redeemableNow(DID, id), 100e6);
    vm.warp(T0 + 1 days);
    assertEq(redemptions.redeemableNow(DID, id), 200e6);
    fulfil(id, 150e6);
    assertEq(redemptions.redeemableNow(DID, id), 50e6);
    vm.warp(T0 + 6 days);
    assertEq(redemptions.redeemableNow(DID, id), 550e6);
    vm.warp(T0 + 30 days);
    assertEq(redemptions.redeemableNow(DID, id), 550e6, "never more than the remainder");
  }

  /// @dev The clock of a request starts at the later of its own time and the stage's start.
  function test_redeemableNow_StageBCountsFromTheLaterOfRequestAndStage() public {
    vm.warp(T0 + 3 days);
    StageAtt memory s = stageAtt(STAGE_B, 1, REASON_THRESHOLD);
    deliverRedemption(encodeStage(s));
    assertEq(redemptions.redeemableNow(DID, id), 100e6, "older request: counted from the stage start");
    vm.warp(T0 + 5 days);
    uint64 late = requestAccepted(bob, 70e6);
    vm.warp(T0 + 5 days + 1 days);
    assertEq(redemptions.redeemableNow(DID, id), 400e6);
    assertEq(redemptions.redeemableNow(DID, late), 20e6);
  }

  /// @dev A stage start ahead of this chain's clock (the hub's block time ran ahead) counts as no time elapsed.
  function test_redeemableNow_StageStartInTheFuture() public {
    StageAtt memory s = stageAtt(STAGE_B, 1, REASON_THRESHOLD);
    s.since = uint64(block.timestamp + 1 hours);
    deliverRedemption(encodeStage(s));
    assertEq(redemptions.redeemableNow(DID, id), 100e6);
  }

  /// @dev Pro rata rounds down each step; the last instalment is the whole amount.
  function test_redeemableNow_StageBRoundsDownUntilTheLastInstalment() public {
    uint64 small = requestAccepted(bob, 10);
    applyStage(STAGE_B, 1, REASON_THRESHOLD);
    uint256[7] memory expected = [uint256(1), 2, 4, 5, 7, 8, 10];
    for (uint256 k; k < 7; ++k) {
      vm.warp(T0 + k * 1 days);
      assertEq(redemptions.redeemableNow(DID, small), expected[k]);
    }
  }

  function test_RevertWhen_fulfil_AboveTheStageAllowance() public {
    applyStage(STAGE_B, 1, REASON_THRESHOLD);
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 100e6 + 1)),
      abi.encodeWithSelector(RwaRedemptions.FulfilmentExceedsAllowance.selector, id, 100e6 + 1, 100e6)
    );
    fulfil(id, 100e6);
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 1)),
      abi.encodeWithSelector(RwaRedemptions.FulfilmentExceedsAllowance.selector, id, 1, 0)
    );
  }

  // ---- stage C and emergency ----

  function test_RevertWhen_fulfil_StageC() public {
    applyStage(STAGE_C, 1, REASON_THRESHOLD);
    assertEq(redemptions.redeemableNow(DID, id), 0);
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 1)),
      abi.encodeWithSelector(RwaRedemptions.RedemptionsHalted.selector, DID, REASON_THRESHOLD)
    );
  }

  /// @dev A fulfilment refused in stage C leaves its nonce unused: delivered again once the stage drops, it applies.
  function test_fulfil_RefusedInStageCAppliesOnceTheStageDrops() public {
    applyStage(STAGE_C, 1, REASON_EMERGENCY);
    bytes memory m = encodeFulfilment(fulfilmentAtt(id, 700e6));
    deliverRedemptionExpectRevert(m, abi.encodeWithSelector(RwaRedemptions.RedemptionsHalted.selector, DID, REASON_EMERGENCY));
    applyStage(STAGE_A, 2, REASON_NONE);
    deliverRedemption(m);
    assertEq(redemptions.requestOf(DID, id).fulfilled, 700e6);
  }

  // ---- the request ----

  function test_RevertWhen_fulfil_UnknownRequest() public {
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id + 1, 1)), abi.encodeWithSelector(RwaRedemptions.UnknownRequest.selector, DID, id + 1)
    );
  }

  function test_RevertWhen_fulfil_ZeroAmount() public {
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 0)), abi.encodeWithSelector(RwaRedemptions.InvalidAmount.selector, 0)
    );
  }

  function test_RevertWhen_fulfil_AboveTheRequest() public {
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 700e6 + 1)),
      abi.encodeWithSelector(RwaRedemptions.FulfilmentExceedsRequest.selector, id, 700e6 + 1, 700e6)
    );
    fulfil(id, 600e6);
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 100e6 + 1)),
      abi.encodeWithSelector(RwaRedemptions.FulfilmentExceedsRequest.selector, id, 100e6 + 1, 100e6)
    );
  }

  function test_RevertWhen_fulfil_AlreadyFilled() public {
    fulfil(id, 700e6);
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 1)), abi.encodeWithSelector(RwaRedemptions.RequestClosed.selector, DID, id)
    );
  }

  function test_RevertWhen_fulfil_Cancelled() public {
    uint64 other = request(bob, 5e6);
    vm.prank(bob);
    redemptions.cancelRedeem(DID, other);
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(other, 1)), abi.encodeWithSelector(RwaRedemptions.RequestClosed.selector, DID, other)
    );
  }

  /// @dev Issue 17: the custodian pays only what it accepted, so a fulfilment of an open request waits for it.
  function test_RevertWhen_fulfil_NotAccepted() public {
    uint64 other = request(bob, 5e6);
    assertEq(redemptions.redeemableNow(DID, other), 0, "nothing may be paid before acceptance");
    bytes memory m = encodeFulfilment(fulfilmentAtt(other, 5e6));
    deliverRedemptionExpectRevert(m, abi.encodeWithSelector(RwaRedemptions.RequestNotAccepted.selector, DID, other));
    accept(other);
    assertEq(redemptions.redeemableNow(DID, other), 5e6);
    deliverRedemption(m);
    assertEq(redemptions.requestOf(DID, other).fulfilled, 5e6);
  }

  function test_RevertWhen_fulfil_AssetPaused() public {
    setPaused(true);
    deliverRedemptionExpectRevert(encodeFulfilment(fulfilmentAtt(id, 1)), abi.encodeWithSelector(RwaHoldings.AssetPaused.selector));
    assertEq(redemptions.requestOf(DID, id).fulfilled, 0);
  }

  /// @dev Request ids are per chain: a fulfilment signed for another chain's receiver never verifies here.
  function test_RevertWhen_fulfil_SignedForAnotherChain() public {
    bytes memory m = encodeFulfilment(fulfilmentAtt(id, 1));
    bytes memory sigs = signSorted(adminDigest(m, PEER_CHAIN_ID, address(receiver)), quorumKeys());
    vm.expectRevert(
      abi.encodeWithSelector(
        RwaReceiver.UnauthorizedSigner.selector, recoverAt(adminDigest(m, block.chainid, address(receiver)), sigs, 0)
      )
    );
    receiver.receiveMessage(m, sigs);
  }

  function test_redeemableNow_ZeroForUnknownAndClosedRequests() public {
    assertEq(redemptions.redeemableNow(DID, 99), 0);
    uint64 other = request(bob, 5e6);
    vm.prank(bob);
    redemptions.cancelRedeem(DID, other);
    assertEq(redemptions.redeemableNow(DID, other), 0);
  }
}
