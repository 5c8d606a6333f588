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
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.RequestPartlyFulfilled.selector, id, 100e6));
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
  }

  function test_RevertWhen_cancelRedeem_AssetPaused() public {
    setPaused(true);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
    assertFalse(redemptions.requestOf(DID, id).cancelled);
  }
}
