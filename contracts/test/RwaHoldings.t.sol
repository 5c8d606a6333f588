// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice RwaHoldings on its own: this test contract deploys it, so it is the token's receiver.
contract RwaHoldingsTest is Test {
  bytes32 internal constant DID = keccak256("did:rwa:acme:ust-bill-2026");

  RwaHoldings internal token;
  address internal alice = makeAddr("alice");
  address internal bob = makeAddr("bob");
  address internal stranger = makeAddr("stranger");

  function setUp() public {
    token = new RwaHoldings(DID, "Acme UST Bill 2026", "aUSTB", 6);
  }

  function test_constructor_SetsMetadataAndReceiver() public view {
    assertEq(token.name(), "Acme UST Bill 2026");
    assertEq(token.symbol(), "aUSTB");
    assertEq(token.decimals(), 6);
    assertEq(token.i_receiver(), address(this));
    assertEq(token.i_did(), DID);
    assertEq(token.totalSupply(), 0);
  }

  function test_decimals_ReturnsConstructorValue() public {
    RwaHoldings eighteen = new RwaHoldings(DID, "n", "s", 18);
    RwaHoldings zero = new RwaHoldings(DID, "n", "s", 0);
    assertEq(eighteen.decimals(), 18);
    assertEq(zero.decimals(), 0);
  }

  function test_mint_ByReceiverCreditsInvestor() public {
    vm.expectEmit(true, true, true, true, address(token));
    emit IERC20.Transfer(address(0), alice, 500);
    token.mint(alice, 500);
    assertEq(token.balanceOf(alice), 500);
    assertEq(token.totalSupply(), 500);
  }

  function test_burn_ByReceiverDebitsInvestorWithoutAllowance() public {
    token.mint(alice, 500);
    vm.expectEmit(true, true, true, true, address(token));
    emit IERC20.Transfer(alice, address(0), 200);
    token.burn(alice, 200);
    assertEq(token.balanceOf(alice), 300);
    assertEq(token.totalSupply(), 300);
  }

  function test_RevertWhen_mint_CallerNotReceiver() public {
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, stranger));
    vm.prank(stranger);
    token.mint(stranger, 1);
    assertEq(token.totalSupply(), 0);
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

  function test_RevertWhen_mint_ToZeroAddress() public {
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
    token.mint(address(0), 1);
  }

  function test_transfer_InvestorsMayTransfer() public {
    token.mint(alice, 10);
    vm.prank(alice);
    assertTrue(token.transfer(bob, 4));
    assertEq(token.balanceOf(alice), 6);
    assertEq(token.balanceOf(bob), 4);
    assertEq(token.totalSupply(), 10);
  }
}

/// @notice The holdings deployed by a receiver accept mint/burn from that receiver only.
contract RwaHoldingsViaReceiverTest is AttestationFixture {
  function test_RevertWhen_mint_CallerIsReceiverOwner() public {
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, owner));
    vm.prank(owner);
    holdings.mint(owner, 1);
  }

  function test_RevertWhen_mint_CallerIsCommitteeMember() public {
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, committee[0]));
    vm.prank(committee[0]);
    holdings.mint(committee[0], 1);
  }

  function test_RevertWhen_burn_CallerIsRelayer() public {
    deliver(subscriptionAtt(alice, 10, 1));
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.OnlyReceiver.selector, relayer));
    vm.prank(relayer);
    holdings.burn(alice, 10);
    assertEq(holdings.balanceOf(alice), 10);
  }

  function test_i_receiver_IsTheReceiver() public view {
    assertEq(holdings.i_receiver(), address(receiver));
    assertEq(holdings.i_did(), DID);
  }
}
