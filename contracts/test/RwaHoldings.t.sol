// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice RwaHoldings on its own: this test contract deploys it, so it is the token's receiver. alice and bob are
/// allow-listed and the cap is CAP.
contract RwaHoldingsTest is Test {
  bytes32 internal constant DID = keccak256("did:rwa:acme:ust-bill-2026");
  uint128 internal constant CAP = 1_000_000;

  RwaHoldings internal token;
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");
  address internal stranger = makeAddr("stranger");
  address internal redemptions = makeAddr("redemptions");

  function setUp() public {
    token = new RwaHoldings(DID, "Acme UST Bill 2026", "aUSTB", 6, address(this), redemptions);
    token.setAllowed(alice, true);
    token.setAllowed(bob, true);
    token.setSupplyCap(CAP);
  }

  // ---- metadata ----

  function test_constructor_SetsMetadataAndReceiver() public {
    RwaHoldings fresh = new RwaHoldings(DID, "Acme UST Bill 2026", "aUSTB", 6, address(this), redemptions);
    assertEq(fresh.name(), "Acme UST Bill 2026");
    assertEq(fresh.symbol(), "aUSTB");
    assertEq(fresh.decimals(), 6);
    assertEq(fresh.i_receiver(), address(this));
    assertEq(fresh.i_redemptions(), redemptions);
    assertEq(fresh.i_did(), DID);
    assertEq(fresh.totalSupply(), 0);
    // Closed until attested: nobody allow-listed, zero cap, not paused.
    assertEq(fresh.supplyCap(), 0);
    assertFalse(fresh.isAllowed(alice));
    assertFalse(fresh.paused());
  }

  function test_decimals_ReturnsConstructorValue() public {
    RwaHoldings eighteen = new RwaHoldings(DID, "n", "s", 18, address(this), redemptions);
    RwaHoldings zero = new RwaHoldings(DID, "n", "s", 0, address(this), redemptions);
    assertEq(eighteen.decimals(), 18);
    assertEq(zero.decimals(), 0);
  }

  // ---- mint ----

  function test_mint_ByReceiverCreditsInvestor() public {
    vm.expectEmit(true, true, true, true, address(token));
    emit IERC20.Transfer(address(0), alice, 500);
    token.mint(alice, 500);
    assertEq(token.balanceOf(alice), 500);
    assertEq(token.totalSupply(), 500);
  }

  function test_mint_UpToTheCapExactly() public {
    token.mint(alice, CAP - 1);
    token.mint(bob, 1);
    assertEq(token.totalSupply(), CAP);
  }

  function test_RevertWhen_mint_CallerNotReceiver() public {
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, stranger));
    vm.prank(stranger);
    token.mint(alice, 1);
    assertEq(token.totalSupply(), 0);
  }

  function test_RevertWhen_mint_NotAllowListed() public {
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, stranger));
    token.mint(stranger, 1);
    assertEq(token.totalSupply(), 0);
  }

  function test_RevertWhen_mint_ToZeroAddress() public {
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, address(0)));
    token.mint(address(0), 1);
    // Even allow-listed, the zero address cannot hold units.
    token.setAllowed(address(0), true);
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
    token.mint(address(0), 1);
  }

  function test_RevertWhen_mint_AboveCap() public {
    token.mint(alice, 600_000);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 600_000, 400_001, CAP));
    token.mint(bob, 400_001);
    assertEq(token.totalSupply(), 600_000);
  }

  function test_RevertWhen_mint_AmountOverflowsSupply() public {
    // supply + amount would overflow uint256: still the named error, not an arithmetic panic.
    token.mint(alice, 1);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 1, type(uint256).max, CAP));
    token.mint(alice, type(uint256).max);
  }

  function test_RevertWhen_mint_CapZero() public {
    token.setSupplyCap(0);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 0, 1, 0));
    token.mint(alice, 1);
  }

  function test_mint_CapBelowSupplyBlocksMintsUntilBurnsBringSupplyUnder() public {
    token.mint(alice, 800);
    token.setSupplyCap(500);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 800, 1, 500));
    token.mint(alice, 1);
    token.burn(alice, 400); // burns are not capped
    token.mint(bob, 100);
    assertEq(token.totalSupply(), 500);
  }

  function test_RevertWhen_mint_Paused() public {
    token.setPaused(true);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    token.mint(alice, 1);
  }

  // ---- burn ----

  function test_burn_ByReceiverDebitsInvestorWithoutAllowance() public {
    token.mint(alice, 500);
    vm.expectEmit(true, true, true, true, address(token));
    emit IERC20.Transfer(alice, address(0), 200);
    token.burn(alice, 200);
    assertEq(token.balanceOf(alice), 300);
    assertEq(token.totalSupply(), 300);
  }

  function test_burn_NotGatedByAllowList() public {
    // A holder removed from the allow-list can still be redeemed.
    token.mint(alice, 500);
    token.setAllowed(alice, false);
    token.burn(alice, 500);
    assertEq(token.balanceOf(alice), 0);
  }

  function test_RevertWhen_burn_CallerNotReceiver() public {
    token.mint(alice, 10);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, stranger));
    vm.prank(stranger);
    token.burn(alice, 10);
    assertEq(token.balanceOf(alice), 10);
  }

  function test_RevertWhen_burn_InvestorBurnsOwnBalance() public {
    token.mint(alice, 10);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, alice));
    vm.prank(alice);
    token.burn(alice, 10);
  }

  function test_RevertWhen_burn_ExceedsBalance() public {
    token.mint(alice, 10);
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 10, 11));
    token.burn(alice, 11);
  }

  function test_RevertWhen_burn_Paused() public {
    token.mint(alice, 10);
    token.setPaused(true);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    token.burn(alice, 10);
    assertEq(token.balanceOf(alice), 10);
  }

  // ---- transfer ----

  function test_transfer_BetweenAllowListedAccounts() public {
    token.mint(alice, 10);
    vm.prank(alice);
    assertTrue(token.transfer(bob, 4));
    assertEq(token.balanceOf(alice), 6);
    assertEq(token.balanceOf(bob), 4);
    assertEq(token.totalSupply(), 10);
  }

  function test_RevertWhen_transfer_ToNotAllowListed() public {
    token.mint(alice, 10);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, stranger));
    vm.prank(alice);
    token.transfer(stranger, 1);
    assertEq(token.balanceOf(alice), 10);
  }

  function test_RevertWhen_transfer_FromNotAllowListed() public {
    token.mint(alice, 10);
    token.setAllowed(alice, false);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, alice));
    vm.prank(alice);
    token.transfer(bob, 1);
    assertEq(token.balanceOf(alice), 10);
  }

  function test_transferFrom_SpenderNeedNotBeAllowListed() public {
    token.mint(alice, 10);
    vm.prank(alice);
    token.approve(stranger, 10);
    vm.prank(stranger);
    token.transferFrom(alice, bob, 3);
    assertEq(token.balanceOf(bob), 3);

    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, stranger));
    vm.prank(stranger);
    token.transferFrom(alice, stranger, 3);
  }

  function test_RevertWhen_transfer_Paused() public {
    token.mint(alice, 10);
    token.setPaused(true);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    vm.prank(alice);
    token.transfer(bob, 1);
    vm.prank(alice);
    token.approve(bob, 1); // approvals move nothing
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    vm.prank(bob);
    token.transferFrom(alice, bob, 1);
    assertEq(token.balanceOf(alice), 10);
  }

  function test_transfer_ResumesAfterUnpause() public {
    token.mint(alice, 10);
    token.setPaused(true);
    token.setPaused(false);
    vm.prank(alice);
    token.transfer(bob, 1);
    token.mint(bob, 1);
    token.burn(alice, 1);
    assertEq(token.balanceOf(bob), 2);
    assertEq(token.balanceOf(alice), 8);
  }

  // ---- receiver-only setters ----

  function test_setAllowed_EmitsAndApplies() public {
    vm.expectEmit(true, true, true, true, address(token));
    emit RwaHoldings.AllowListUpdated(stranger, true);
    token.setAllowed(stranger, true);
    assertTrue(token.isAllowed(stranger));
    vm.expectEmit(true, true, true, true, address(token));
    emit RwaHoldings.AllowListUpdated(stranger, false);
    token.setAllowed(stranger, false);
    assertFalse(token.isAllowed(stranger));
  }

  function test_setPaused_EmitsAndApplies() public {
    vm.expectEmit(true, true, true, true, address(token));
    emit RwaHoldings.PausedSet(true);
    token.setPaused(true);
    assertTrue(token.paused());
  }

  function test_setSupplyCap_EmitsAndApplies() public {
    vm.expectEmit(true, true, true, true, address(token));
    emit RwaHoldings.SupplyCapSet(type(uint128).max);
    token.setSupplyCap(type(uint128).max);
    assertEq(token.supplyCap(), type(uint128).max);
  }

  // ---- redemption locks (only the redemptions module) ----

  function test_lockFrom_MovesUnitsToTheModuleWithoutTheAllowList() public {
    token.mint(alice, 500);
    token.setAllowed(alice, false);
    vm.expectEmit(true, true, true, true, address(token));
    emit IERC20.Transfer(alice, redemptions, 200);
    vm.prank(redemptions);
    token.lockFrom(alice, 200);
    assertEq(token.balanceOf(alice), 300);
    assertEq(token.balanceOf(redemptions), 200);
    assertEq(token.totalSupply(), 500);
  }

  function test_unlockTo_ReturnsUnitsWithoutTheAllowList() public {
    token.mint(alice, 500);
    vm.prank(redemptions);
    token.lockFrom(alice, 200);
    token.setAllowed(alice, false);
    vm.prank(redemptions);
    token.unlockTo(alice, 150);
    assertEq(token.balanceOf(alice), 450);
    assertEq(token.balanceOf(redemptions), 50);
  }

  function test_burnLocked_BurnsTheModulesUnits() public {
    token.mint(alice, 500);
    vm.startPrank(redemptions);
    token.lockFrom(alice, 200);
    vm.expectEmit(true, true, true, true, address(token));
    emit IERC20.Transfer(redemptions, address(0), 120);
    token.burnLocked(120);
    vm.stopPrank();
    assertEq(token.balanceOf(redemptions), 80);
    assertEq(token.totalSupply(), 380);
    assertEq(token.balanceOf(alice), 300);
  }

  function test_RevertWhen_redemptionFunctions_CallerNotTheModule() public {
    token.mint(alice, 500);
    address[2] memory callers = [address(this), stranger];
    for (uint256 i; i < callers.length; ++i) {
      vm.startPrank(callers[i]);
      vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyRedemptions.selector, callers[i]));
      token.lockFrom(alice, 1);
      vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyRedemptions.selector, callers[i]));
      token.unlockTo(alice, 1);
      vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyRedemptions.selector, callers[i]));
      token.burnLocked(1);
      vm.stopPrank();
    }
  }

  function test_RevertWhen_redemptionFunctions_Paused() public {
    token.mint(alice, 500);
    vm.prank(redemptions);
    token.lockFrom(alice, 200);
    token.setPaused(true);
    vm.startPrank(redemptions);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    token.lockFrom(alice, 1);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    token.unlockTo(alice, 1);
    vm.expectRevert(RwaHoldings.AssetPaused.selector);
    token.burnLocked(1);
    vm.stopPrank();
  }

  function test_RevertWhen_lockFrom_MoreThanTheBalance() public {
    token.mint(alice, 5);
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 5, 6));
    vm.prank(redemptions);
    token.lockFrom(alice, 6);
  }

  function test_RevertWhen_unlockTo_OrBurnLocked_MoreThanLocked() public {
    token.mint(alice, 500);
    vm.startPrank(redemptions);
    token.lockFrom(alice, 10);
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, redemptions, 10, 11));
    token.unlockTo(alice, 11);
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, redemptions, 10, 11));
    token.burnLocked(11);
    vm.stopPrank();
  }

  /// @dev A zero address would turn the move into a mint or a burn.
  function test_RevertWhen_lockFrom_OrUnlockTo_ZeroAddress() public {
    vm.startPrank(redemptions);
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidSender.selector, address(0)));
    token.lockFrom(address(0), 1);
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
    token.unlockTo(address(0), 1);
    vm.stopPrank();
  }

  function test_RevertWhen_setters_CallerNotReceiver() public {
    vm.startPrank(stranger);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, stranger));
    token.setAllowed(stranger, true);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, stranger));
    token.setPaused(true);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, stranger));
    token.setSupplyCap(type(uint128).max);
    vm.stopPrank();
    assertFalse(token.isAllowed(stranger));
    assertFalse(token.paused());
    assertEq(token.supplyCap(), CAP);
  }
}

/// @notice The holdings deployed by a receiver accept calls from that receiver only.
contract RwaHoldingsViaReceiverTest is AttestationFixture {
  function test_RevertWhen_mint_CallerIsGovernanceMember() public {
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, governance[0]));
    vm.prank(governance[0]);
    holdings.mint(alice, 1);
  }

  function test_RevertWhen_mint_CallerIsCommitteeMember() public {
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, committee[0]));
    vm.prank(committee[0]);
    holdings.mint(alice, 1);
  }

  function test_RevertWhen_burn_CallerIsRelayer() public {
    deliver(subscriptionAtt(alice, 10, 1));
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, relayer));
    vm.prank(relayer);
    holdings.burn(alice, 10);
    assertEq(holdings.balanceOf(alice), 10);
  }

  function test_RevertWhen_setters_CallerIsCommitteeMember() public {
    vm.startPrank(committee[0]);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, committee[0]));
    holdings.setAllowed(stranger, true);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, committee[0]));
    holdings.setPaused(true);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, committee[0]));
    holdings.setSupplyCap(0);
    vm.stopPrank();
  }

  function test_i_receiver_IsTheReceiver() public view {
    assertEq(holdings.i_receiver(), address(receiver));
    assertEq(holdings.i_did(), DID);
  }
}
