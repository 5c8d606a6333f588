// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice receiveMessage with ALLOWLIST attestations (kind 4) and what the allow-list gates: subscriptions, moves in
/// and transfers, never burns.
contract RwaReceiverAllowListTest is AttestationFixture {
  address internal dave = makeAddr("dave");

  /// @dev Above the nonces setUp used: an allow-list entry older than the account's newest is superseded.
  uint64 internal constant N = ADMIN_NONCE_BASE + 100;

  function _allowList(uint64 nonce, address[] memory accounts, bool[] memory flags)
    internal
    pure
    returns (bytes memory)
  {
    AllowListAtt memory a;
    a.did = DID;
    a.nonce = nonce;
    a.entries = new AllowEntry[](accounts.length);
    for (uint256 i; i < accounts.length; ++i) {
      a.entries[i] = AllowEntry({account: accounts[i], allowed: flags[i]});
    }
    return encodeAllowList(a);
  }

  function test_receiveMessage_AllowListAppliesEntriesAndEmits() public {
    address[] memory accounts = new address[](3);
    bool[] memory flags = new bool[](3);
    (accounts[0], accounts[1], accounts[2]) = (dave, carol, stranger);
    (flags[0], flags[1], flags[2]) = (true, false, true);
    bytes memory m = _allowList(N, accounts, flags);
    bytes memory sigs = adminQuorumSigs(m);

    vm.expectEmit(true, true, true, true, address(holdings));
    emit RwaHoldings.AllowListUpdated(dave, true);
    vm.expectEmit(true, true, true, true, address(holdings));
    emit RwaHoldings.AllowListUpdated(carol, false);
    vm.expectEmit(true, true, true, true, address(holdings));
    emit RwaHoldings.AllowListUpdated(stranger, true);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.AllowListApplied(DID, N, 3);
    vm.prank(relayer);
    receiver.receiveMessage(m, sigs);

    assertTrue(holdings.isAllowed(dave));
    assertFalse(holdings.isAllowed(carol));
    assertTrue(holdings.isAllowed(stranger));
    assertTrue(holdings.isAllowed(alice), "untouched entry changed");
    assertTrue(receiver.isNonceUsed(DID, N));
  }

  function test_receiveMessage_AllowListEmptyOnlyConsumesItsNonce() public {
    bytes memory m = _allowList(N, new address[](0), new bool[](0));
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.AllowListApplied(DID, N, 0);
    receiver.receiveMessage(m, adminQuorumSigs(m));
    assertTrue(receiver.isNonceUsed(DID, N));
  }

  function test_receiveMessage_AllowListLaterEntryWins() public {
    address[] memory accounts = new address[](2);
    bool[] memory flags = new bool[](2);
    (accounts[0], accounts[1]) = (dave, dave);
    (flags[0], flags[1]) = (true, false);
    bytes memory m = _allowList(N, accounts, flags);
    receiver.receiveMessage(m, adminQuorumSigs(m));
    assertFalse(holdings.isAllowed(dave));
  }

  // ---- what the list gates ----

  function test_RevertWhen_receiveMessage_SubscriptionToNotAllowListed() public {
    SettlementAtt memory a = subscriptionAtt(dave, 100, 1);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, dave));
    receiver.receiveMessage(m, sigs);
    assertFalse(receiver.isNonceUsed(DID, 1), "rejected subscription consumed its nonce");
    assertEq(holdings.totalSupply(), 0);

    // Retriable: once the investor is allow-listed, the same signed message applies.
    allow(dave);
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.balanceOf(dave), 100);
  }

  function test_RevertWhen_receiveMessage_SubscriptionAfterRemoval() public {
    deliver(subscriptionAtt(alice, 100, 1));
    disallow(alice);
    SettlementAtt memory a = subscriptionAtt(alice, 1, 2);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, alice));
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.balanceOf(alice), 100, "removal touched the balance");
  }

  function test_receiveMessage_RedemptionOfRemovedHolder() public {
    deliver(subscriptionAtt(alice, 100, 1));
    disallow(alice);
    deliver(redemptionAtt(alice, 100, 2));
    assertEq(holdings.balanceOf(alice), 0);
    assertEq(holdings.totalSupply(), 0);
  }

  function test_transfer_BetweenAllowListedHolders() public {
    deliver(subscriptionAtt(alice, 100, 1));
    vm.prank(alice);
    holdings.transfer(bob, 40);
    assertEq(holdings.balanceOf(alice), 60);
    assertEq(holdings.balanceOf(bob), 40);
    assertEq(holdings.totalSupply(), 100);
  }

  function test_RevertWhen_transfer_ToNotAllowListed() public {
    deliver(subscriptionAtt(alice, 100, 1));
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, dave));
    vm.prank(alice);
    holdings.transfer(dave, 1);
    assertEq(holdings.balanceOf(alice), 100);
  }

  function test_RevertWhen_transfer_FromRemovedHolder() public {
    deliver(subscriptionAtt(alice, 100, 1));
    disallow(alice);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, alice));
    vm.prank(alice);
    holdings.transfer(bob, 1);
    assertEq(holdings.balanceOf(bob), 0);
  }

  function test_RevertWhen_transfer_ToRemovedHolder() public {
    deliver(subscriptionAtt(alice, 100, 1));
    disallow(bob);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, bob));
    vm.prank(alice);
    holdings.transfer(bob, 1);
  }

  function test_transfer_ResumesWhenReAllowListed() public {
    deliver(subscriptionAtt(alice, 100, 1));
    disallow(bob);
    allow(bob);
    vm.prank(alice);
    holdings.transfer(bob, 1);
    assertEq(holdings.balanceOf(bob), 1);
  }

  function test_RevertWhen_transfer_InsufficientBalanceBetweenListed() public {
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 1));
    vm.prank(alice);
    holdings.transfer(bob, 1);
  }
}
