// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaHoldings} from "../src/RwaHoldings.sol";
import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

contract RwaRedemptionsCancelRedeemTest is RedemptionFixture {
  uint64 internal id;

  function setUp() public override {
    super.setUp();
    id = request(alice, 300e6);
  }

  function test_cancelRedeem_ReturnsTheUnitsAndClosesTheRequest() public {
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedeemCancelled(DID, id, alice, 300e6);
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
    assertEq(holdings.balanceOf(alice), FUNDED);
    assertEq(holdings.balanceOf(address(redemptions)), 0);
    assertTrue(redemptions.requestOf(DID, id).cancelled);
    assertEq(redemptions.redeemableNow(DID, id), 0);
  }

  /// @dev The owner gets the units back even after the allow-list dropped them.
  function test_cancelRedeem_NotGatedByTheAllowList() public {
    disallow(alice);
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
    assertEq(holdings.balanceOf(alice), FUNDED);
  }

  function test_RevertWhen_cancelRedeem_UnknownRequest() public {
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.UnknownRequest.selector, DID, 2));
    vm.prank(alice);
    redemptions.cancelRedeem(DID, 2);
  }

  function test_RevertWhen_cancelRedeem_NotTheOwner() public {
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.NotRequestOwner.selector, id, bob));
    vm.prank(bob);
    redemptions.cancelRedeem(DID, id);
  }

  function test_RevertWhen_cancelRedeem_AlreadyCancelled() public {
    vm.startPrank(alice);
    redemptions.cancelRedeem(DID, id);
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.RequestClosed.selector, DID, id));
    redemptions.cancelRedeem(DID, id);
    vm.stopPrank();
    assertEq(holdings.balanceOf(alice), FUNDED, "returned once");
  }

  function test_RevertWhen_cancelRedeem_FullyFulfilled() public {
    fulfil(id, 300e6);
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.RequestClosed.selector, DID, id));
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
  }

  function test_RevertWhen_cancelRedeem_PartlyFulfilled() public {
    fulfil(id, 100e6);
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.RequestAlreadyAccepted.selector, DID, id));
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
  }

  /// @dev Issue 17, "cancel after being paid": the custodian accepts, then pays cash; before its fulfilment lands
  /// the holder tries to cancel. The acceptance already closed that door, and the fulfilment then burns the units.
  function test_RevertWhen_cancelRedeem_AcceptedBeforeTheFulfilmentLands() public {
    accept(id);
    // ... the custodian wires the cash here; the fulfilment is in flight ...
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.RequestAlreadyAccepted.selector, DID, id));
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
    fulfil(id, 300e6);
    assertEq(redemptions.requestOf(DID, id).fulfilled, 300e6, "paid in cash and burned on chain");
    assertEq(holdings.balanceOf(alice), FUNDED - 300e6, "the holder kept nothing twice");
    assertFalse(redemptions.requestOf(DID, id).cancelled);
  }

  // ---- acceptance (kind 13) ----

  function test_accept_SetsAcceptedAndEmits() public {
    AcceptanceAtt memory a = acceptanceAtt(id);
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedeemAccepted(DID, id, a.nonce, alice, 300e6, a.acceptedAt);
    deliverRedemption(encodeAcceptance(a));
    assertTrue(redemptions.requestOf(DID, id).accepted);
    assertEq(redemptions.redeemableNow(DID, id), 300e6);
  }

  /// @dev The other order: the holder cancelled first, so the custodian's acceptance is refused and nothing is paid.
  function test_RevertWhen_accept_Cancelled() public {
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
    deliverRedemptionExpectRevert(
      encodeAcceptance(acceptanceAtt(id)), abi.encodeWithSelector(RwaRedemptions.RequestClosed.selector, DID, id)
    );
    assertFalse(redemptions.requestOf(DID, id).accepted);
  }

  function test_RevertWhen_accept_Twice() public {
    accept(id);
    deliverRedemptionExpectRevert(
      encodeAcceptance(acceptanceAtt(id)), abi.encodeWithSelector(RwaRedemptions.RequestAlreadyAccepted.selector, DID, id)
    );
  }

  function test_RevertWhen_accept_UnknownRequest() public {
    AcceptanceAtt memory a = acceptanceAtt(id);
    a.requestId = id + 1;
    deliverRedemptionExpectRevert(
      encodeAcceptance(a), abi.encodeWithSelector(RwaRedemptions.UnknownRequest.selector, DID, id + 1)
    );
  }

  function test_RevertWhen_accept_OwnerOrAmountDiffer() public {
    AcceptanceAtt memory a = acceptanceAtt(id);
    a.amount = 300e6 + 1;
    deliverRedemptionExpectRevert(
      encodeAcceptance(a), abi.encodeWithSelector(RwaRedemptions.AcceptanceMismatch.selector, id, alice, 300e6 + 1)
    );
    a = acceptanceAtt(id);
    a.owner = bob;
    deliverRedemptionExpectRevert(
      encodeAcceptance(a), abi.encodeWithSelector(RwaRedemptions.AcceptanceMismatch.selector, id, bob, 300e6)
    );
  }

  function test_RevertWhen_cancelRedeem_AssetPaused() public {
    setPaused(true);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
    assertFalse(redemptions.requestOf(DID, id).cancelled);
  }
}
