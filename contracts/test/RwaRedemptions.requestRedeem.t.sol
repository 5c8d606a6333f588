// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

contract RwaRedemptionsRequestRedeemTest is RedemptionFixture {
  function test_requestRedeem_LocksUnitsInTheModuleAndEmits() public {
    uint256 supply = holdings.totalSupply();
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedeemRequested(DID, 1, alice, 250e6, uint64(block.timestamp));
    uint64 id = request(alice, 250e6);
    assertEq(id, 1);
    assertEq(holdings.balanceOf(alice), FUNDED - 250e6);
    assertEq(holdings.balanceOf(address(redemptions)), 250e6);
    assertEq(holdings.totalSupply(), supply, "locking is not burning");
    RwaRedemptions.Request memory r = redemptions.requestOf(DID, id);
    assertEq(r.owner, alice);
    assertEq(r.amount, 250e6);
    assertEq(r.fulfilled, 0);
    assertEq(r.requestedAt, block.timestamp);
    assertFalse(r.cancelled);
    assertEq(redemptions.requestCount(DID), 1);
  }

  function test_requestRedeem_NumbersRequestsPerDidFromOne() public {
    assertEq(request(alice, 1), 1);
    assertEq(request(bob, 2), 2);
    assertEq(request(alice, 3), 3);
    bytes32 other = keccak256("did:rwa:acme:money-market");
    (uint256[] memory keys, RwaHoldings h,) = configureCommittee(other, 3, 2, 55);
    SettlementAtt memory s = subscriptionAtt(alice, 10, 1);
    s.did = other;
    receiver.receiveMessage(encodeSettlement(s), signSorted(digestOf(s), firstKeys(keys, 2)));
    vm.prank(alice);
    assertEq(redemptions.requestRedeem(other, 10), 1, "another DID counts on its own");
    assertEq(h.balanceOf(address(redemptions)), 10);
    assertEq(redemptions.requestCount(DID), 3);
  }

  /// @dev A holder the allow-list dropped can still ask to be redeemed (as a redemption settlement can burn).
  function test_requestRedeem_NotGatedByTheAllowList() public {
    disallow(alice);
    request(alice, 5e6);
    assertEq(holdings.balanceOf(address(redemptions)), 5e6);
  }

  function test_requestRedeem_QueuesInStageC() public {
    applyStage(STAGE_C, 1, REASON_THRESHOLD);
    uint64 id = request(alice, 5e6);
    assertEq(redemptions.redeemableNow(DID, id), 0);
    assertEq(redemptions.requestOf(DID, id).amount, 5e6);
  }

  function test_requestRedeem_WholeBalance() public {
    request(alice, FUNDED);
    assertEq(holdings.balanceOf(alice), 0);
  }

  function test_RevertWhen_requestRedeem_ZeroAmount() public {
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.InvalidAmount.selector, 0));
    vm.prank(alice);
    redemptions.requestRedeem(DID, 0);
  }

  function test_RevertWhen_requestRedeem_AmountAbove128Bits() public {
    uint256 amount = uint256(type(uint128).max) + 1;
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.InvalidAmount.selector, amount));
    vm.prank(alice);
    redemptions.requestRedeem(DID, amount);
  }

  function test_RevertWhen_requestRedeem_UnknownDid() public {
    bytes32 unknown = keccak256("did:rwa:nobody:none");
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.UnknownDid.selector, unknown));
    vm.prank(alice);
    redemptions.requestRedeem(unknown, 1);
  }

  function test_RevertWhen_requestRedeem_MoreThanTheBalance() public {
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, FUNDED, FUNDED + 1));
    vm.prank(alice);
    redemptions.requestRedeem(DID, FUNDED + 1);
  }

  function test_RevertWhen_requestRedeem_AssetPaused() public {
    setPaused(true);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    vm.prank(alice);
    redemptions.requestRedeem(DID, 1);
    assertEq(redemptions.requestCount(DID), 0);
  }
}
