// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice receiveMessage with RESERVE attestations (kind 6): every chain's cap is listed, their sum is covered by
/// the reserve, this chain applies its own (zero when unlisted); as-of times only move forward.
contract RwaReceiverReserveTest is AttestationFixture {
  uint64 internal constant OTHER_CHAIN_ID = 42_161;

  /// @dev caps of [PEER_CHAIN_ID, this chain, OTHER_CHAIN_ID].
  function _reserve(uint64 nonce, uint256 reserve, uint64 asOf, uint128 peerCap, uint128 ownCap, uint128 otherCap)
    internal
    view
    returns (bytes memory)
  {
    CapEntry[] memory caps = new CapEntry[](3);
    caps[0] = CapEntry({chainId: PEER_CHAIN_ID, cap: peerCap, ceiling: 0});
    caps[1] = CapEntry({chainId: uint64(block.chainid), cap: ownCap, ceiling: 0});
    caps[2] = CapEntry({chainId: OTHER_CHAIN_ID, cap: otherCap, ceiling: 0});
    return encodeReserve(ReserveAtt({did: DID, nonce: nonce, reserve: reserve, asOf: asOf, caps: caps}));
  }

  function _deliverExpectingRevert(bytes memory m, bytes memory revertData) internal {
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectRevert(revertData);
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.supplyCap(), LARGE_CAP, "cap changed");
    assertEq(receiver.reserveAsOf(DID), T0, "as-of moved");
  }

  function test_receiveMessage_ReserveAppliesOwnCapAndEmits() public {
    uint64 asOf = uint64(T0 + 1 days);
    bytes memory m = _reserve(1, 1_000, asOf, 300, 500, 200);
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectEmit(true, true, true, true, address(holdings));
    emit RwaHoldings.SupplyCapSet(500);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.ReserveApplied(DID, 1, 1_000, asOf, 500);
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.supplyCap(), 500);
    assertEq(receiver.reserveAsOf(DID), asOf);
    assertTrue(receiver.isNonceUsed(DID, 1));
  }

  function test_receiveMessage_ReserveSumEqualToReserveApplies() public {
    bytes memory m = _reserve(1, 1_000, uint64(T0 + 1), 300, 500, 200);
    receiver.receiveMessage(m, adminQuorumSigs(m));
    assertEq(holdings.supplyCap(), 500);
  }

  function test_RevertWhen_receiveMessage_CapsExceedReserve() public {
    _deliverExpectingRevert(
      _reserve(1, 1_000, uint64(T0 + 1), 300, 500, 201),
      abi.encodeWithSelector(RwaReceiver.CapsExceedReserve.selector, 1_001, 1_000)
    );
    assertFalse(receiver.isNonceUsed(DID, 1));
  }

  function test_RevertWhen_receiveMessage_OtherChainsCapsAloneExceedReserve() public {
    // Even when this chain's own cap fits, the reserve must cover every chain's budget.
    _deliverExpectingRevert(
      _reserve(1, 1_000, uint64(T0 + 1), 1_000, 0, 1),
      abi.encodeWithSelector(RwaReceiver.CapsExceedReserve.selector, 1_001, 1_000)
    );
  }

  function test_RevertWhen_receiveMessage_CapsSumAboveUint128() public {
    // 3 x (2^128 - 1) fits in uint256: the sum is exact, never wraps.
    uint128 max = type(uint128).max;
    uint256 sum = 3 * uint256(max);
    _deliverExpectingRevert(
      _reserve(1, sum - 1, uint64(T0 + 1), max, max, max),
      abi.encodeWithSelector(RwaReceiver.CapsExceedReserve.selector, sum, sum - 1)
    );
  }

  function test_RevertWhen_receiveMessage_ReserveAsOfEqualToLatest() public {
    _deliverExpectingRevert(
      _reserve(1, 1_000, uint64(T0), 0, 500, 0),
      abi.encodeWithSelector(RwaReceiver.ReserveNotNewer.selector, uint64(T0), uint64(T0))
    );
  }

  function test_RevertWhen_receiveMessage_ReserveAsOfOlderThanLatest() public {
    _deliverExpectingRevert(
      _reserve(1, 1_000, uint64(T0 - 1), 0, 500, 0),
      abi.encodeWithSelector(RwaReceiver.ReserveNotNewer.selector, uint64(T0 - 1), uint64(T0))
    );
  }

  function test_RevertWhen_receiveMessage_FirstReserveAsOfZero() public {
    bytes32 didB = keccak256("did:rwa:acme:money-market");
    uint256[] memory keysB = deriveKeys(3, 5);
    introduce(receiver, didB, keysB, 2);
    CapEntry[] memory caps = new CapEntry[](0);
    bytes memory m = encodeReserve(ReserveAtt({did: didB, nonce: 1, reserve: 0, asOf: 0, caps: caps}));
    bytes memory sigs = adminSigs(receiver, m, firstKeys(keysB, 2));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.ReserveNotNewer.selector, 0, 0));
    receiver.receiveMessage(m, sigs);
  }

  function test_receiveMessage_UnlistedChainGetsCapZero() public {
    CapEntry[] memory caps = new CapEntry[](2);
    caps[0] = CapEntry({chainId: PEER_CHAIN_ID, cap: 700, ceiling: 0});
    caps[1] = CapEntry({chainId: OTHER_CHAIN_ID, cap: 300, ceiling: 0});
    bytes memory m = encodeReserve(ReserveAtt({did: DID, nonce: 1, reserve: 1_000, asOf: uint64(T0 + 1), caps: caps}));
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.ReserveApplied(DID, 1, 1_000, uint64(T0 + 1), 0);
    receiver.receiveMessage(m, adminQuorumSigs(m));
    assertEq(holdings.supplyCap(), 0);

    SettlementAtt memory a = subscriptionAtt(alice, 1, 2);
    bytes memory sm = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 0, 1, 0));
    receiver.receiveMessage(sm, sigs);
  }

  function test_receiveMessage_EmptyCapListClosesMinting() public {
    bytes memory m =
      encodeReserve(ReserveAtt({did: DID, nonce: 1, reserve: 0, asOf: uint64(T0 + 1), caps: new CapEntry[](0)}));
    receiver.receiveMessage(m, adminQuorumSigs(m));
    assertEq(holdings.supplyCap(), 0);
  }

  function test_receiveMessage_DuplicateOwnEntryLastWinsAndBothCount() public {
    // A malformed list naming this chain twice: both entries count towards the sum, the last one applies.
    CapEntry[] memory caps = new CapEntry[](2);
    caps[0] = CapEntry({chainId: uint64(block.chainid), cap: 600, ceiling: 0});
    caps[1] = CapEntry({chainId: uint64(block.chainid), cap: 400, ceiling: 0});
    bytes memory m = encodeReserve(ReserveAtt({did: DID, nonce: 1, reserve: 999, asOf: uint64(T0 + 1), caps: caps}));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.CapsExceedReserve.selector, 1_000, 999));
    receiver.receiveMessage(m, adminQuorumSigs(m));
    m = encodeReserve(ReserveAtt({did: DID, nonce: 1, reserve: 1_000, asOf: uint64(T0 + 1), caps: caps}));
    receiver.receiveMessage(m, adminQuorumSigs(m));
    assertEq(holdings.supplyCap(), 400);
  }

  // ---- the cap at work ----

  function test_RevertWhen_receiveMessage_SubscriptionAboveCap() public {
    setCap(1_000);
    deliver(subscriptionAtt(alice, 600, 1));
    SettlementAtt memory a = subscriptionAtt(bob, 401, 2);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 600, 401, 1_000));
    receiver.receiveMessage(m, sigs);
    assertFalse(receiver.isNonceUsed(DID, 2));

    deliver(subscriptionAtt(bob, 400, 3)); // exactly to the cap
    assertEq(holdings.totalSupply(), 1_000);
  }

  function test_receiveMessage_RaisedCapLetsRejectedSubscriptionApply() public {
    setCap(100);
    SettlementAtt memory a = subscriptionAtt(alice, 150, 1);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 0, 150, 100));
    receiver.receiveMessage(m, sigs);
    vm.warp(T0 + 1);
    setCap(200);
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.balanceOf(alice), 150);
  }

  function test_receiveMessage_CapBelowSupplyStopsMintsNotRedemptions() public {
    deliver(subscriptionAtt(alice, 800, 1));
    setCap(500);
    SettlementAtt memory a = subscriptionAtt(bob, 1, 2);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 800, 1, 500));
    receiver.receiveMessage(m, sigs);
    deliver(redemptionAtt(alice, 400, 3));
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.totalSupply(), 401);
  }
}
