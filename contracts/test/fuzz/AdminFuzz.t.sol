// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../src/RwaHoldings.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";

/// @notice Fuzz of the admin kinds through the receiver: random cap vectors, allow-lists, rotations, peer chains.
contract AdminFuzzTest is AttestationFixture {
  /// @dev A reserve attestation with `n` chains, caps up to `maxCap`, this chain listed at `ownIndex` when < n.
  function _capsVector(uint256 n, uint256 maxCap, uint256 ownIndex, uint256 seed)
    internal
    view
    returns (CapEntry[] memory caps, uint256 sum, uint128 ownCap)
  {
    caps = new CapEntry[](n);
    for (uint256 i; i < n; ++i) {
      uint128 cap = uint128(bound(uint256(keccak256(abi.encode(seed, i))), 0, maxCap));
      // Other chains get ids that can never equal this one.
      uint64 chainId = i == ownIndex ? uint64(block.chainid) : uint64(block.chainid + 1 + i);
      caps[i] = CapEntry({chainId: chainId, cap: cap, ceiling: 0});
      sum += cap;
      if (i == ownIndex) ownCap = cap;
    }
  }

  function testFuzz_receiveMessage_ReserveAppliedIffCapsWithinReserve(
    uint256 n,
    uint256 maxCap,
    uint256 reserve,
    uint256 ownIndex,
    uint256 seed
  ) public {
    n = bound(n, 0, 12);
    maxCap = bound(maxCap, 0, type(uint128).max);
    ownIndex = bound(ownIndex, 0, n); // n: this chain is not listed
    (CapEntry[] memory caps, uint256 sum, uint128 ownCap) = _capsVector(n, maxCap, ownIndex, seed);
    // Around the sum, so both outcomes are frequent.
    reserve = bound(reserve, sum == 0 ? 0 : sum - 1, sum + 1);
    uint64 asOf = uint64(T0 + 1);
    uint64 nonce = nextAdminNonce(receiver, DID);
    bytes memory m = encodeReserve(ReserveAtt({did: DID, nonce: nonce, reserve: reserve, asOf: asOf, caps: caps}));
    bytes memory sigs = adminQuorumSigs(m);

    if (sum > reserve) {
      vm.expectRevert(abi.encodeWithSelector(RwaReceiver.CapsExceedReserve.selector, sum, reserve));
      receiver.receiveMessage(m, sigs);
      assertEq(holdings.supplyCap(), LARGE_CAP, "cap changed");
      assertEq(receiver.reserveAsOf(DID), T0, "asOf moved");
      assertFalse(receiver.isNonceUsed(DID, nonce));
    } else {
      vm.expectEmit(true, true, true, true, address(receiver));
      emit RwaReceiver.ReserveApplied(DID, nonce, reserve, asOf, ownCap);
      receiver.receiveMessage(m, sigs);
      assertEq(holdings.supplyCap(), ownCap, "own cap not applied");
      if (ownIndex == n) assertEq(holdings.supplyCap(), 0, "unlisted chain got a cap");
      assertEq(receiver.reserveAsOf(DID), asOf);
    }
  }

  function testFuzz_receiveMessage_MintAboveCapRejected(uint128 cap, uint256 first, uint256 amount) public {
    cap = uint128(bound(cap, 1, type(uint128).max));
    first = bound(first, 1, cap);
    setCap(cap);
    deliver(subscriptionAtt(alice, first, 1));
    amount = bound(amount, 1, type(uint256).max);
    SettlementAtt memory a = subscriptionAtt(bob, amount, 2);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    if (amount > cap - first) {
      vm.expectRevert(abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, first, amount, cap));
    }
    receiver.receiveMessage(m, sigs);
    assertLe(holdings.totalSupply(), cap);
  }

  function testFuzz_receiveMessage_AllowListAppliesEveryEntryInOrder(uint256 n, uint256 seed) public {
    n = bound(n, 1, 24);
    AllowListAtt memory a;
    a.did = DID;
    a.nonce = nextAdminNonce(receiver, DID);
    a.entries = new AllowEntry[](n);
    // Accounts drawn from a pool of 6, so the same account may appear twice: the later entry wins.
    for (uint256 i; i < n; ++i) {
      uint256 h = uint256(keccak256(abi.encode(seed, i)));
      a.entries[i] = AllowEntry({account: address(uint160(0xA000 + h % 6)), allowed: (h >> 8) % 2 == 0});
    }
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.AllowListApplied(DID, a.nonce, n);
    deliverAdmin(encodeAllowList(a));
    for (uint256 k; k < 6; ++k) {
      address account = address(uint160(0xA000 + k));
      bool expected;
      for (uint256 i; i < n; ++i) {
        if (a.entries[i].account == account) expected = a.entries[i].allowed;
      }
      assertEq(holdings.isAllowed(account), expected);
    }
  }

  function testFuzz_receiveMessage_RotationRetiresEveryOldSigner(uint256 n, uint256 threshold, uint256 salt) public {
    n = bound(n, 1, 8);
    threshold = bound(threshold, 1, n);
    uint256[] memory next = deriveKeys(n, bound(salt, 10_000, type(uint128).max));
    deliverAdmin(encodeConfig(configAtt(DID, nextAdminNonce(receiver, DID), addressesOf(next), uint8(threshold))));

    SettlementAtt memory a = subscriptionAtt(alice, 1, 1);
    bytes memory m = encodeSettlement(a);
    // Every old quorum (of the new size, when the old committee has that many) is refused; the new one applies.
    for (uint256 i; i < committeeKeys.length && threshold <= committeeKeys.length; ++i) {
      uint256[] memory old = new uint256[](threshold);
      for (uint256 j; j < threshold; ++j) {
        old[j] = committeeKeys[(i + j) % committeeKeys.length];
      }
      bytes memory oldSigs = signSorted(digestOf(a), old);
      address first = recoverAt(digestOf(a), oldSigs, 0);
      vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, first));
      receiver.receiveMessage(m, oldSigs);
    }
    receiver.receiveMessage(m, signSorted(digestOf(a), firstKeys(next, threshold)));
    assertEq(holdings.balanceOf(alice), 1);
  }

  function testFuzz_receiveMessage_PeerChainRule(uint8 kind, uint64 peer) public {
    kind = uint8(bound(kind, SUBSCRIPTION, MOVE_IN));
    deliver(subscriptionAtt(alice, 1_000, 1));
    SettlementAtt memory a = settlementAtt(kind, alice, 10, 2);
    a.peerChainId = peer;
    bool isMove = kind == MOVE_OUT || kind == MOVE_IN;
    bool valid = isMove ? (peer != 0 && peer != block.chainid) : peer == 0;
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    if (!valid) vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, peer));
    receiver.receiveMessage(m, sigs);
    assertEq(receiver.isNonceUsed(DID, 2), valid);
  }
}
