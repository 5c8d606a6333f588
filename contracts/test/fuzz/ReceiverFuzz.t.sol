// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../src/RwaHoldings.sol";
import {RwaNavFeed} from "../../src/RwaNavFeed.sol";
import {AttestationCodec} from "../../src/libraries/AttestationCodec.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";

contract ReceiverFuzzTest is AttestationFixture {
  uint256 internal constant FUNDED = 1_000_000e6;

  // ---------------------------------------------------------------------------------------------------------------
  // helpers
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev `k` distinct keys drawn from `keys` by a partial Fisher-Yates shuffle, returned in ascending signer order.
  function _randomSubset(uint256[] memory keys, uint256 k, uint256 seed) internal pure returns (uint256[] memory subset) {
    uint256 n = keys.length;
    uint256[] memory pool = new uint256[](n);
    for (uint256 i; i < n; ++i) {
      pool[i] = keys[i];
    }
    subset = new uint256[](k);
    for (uint256 i; i < k; ++i) {
      uint256 j = i + (uint256(keccak256(abi.encode(seed, "pick", i))) % (n - i));
      (pool[i], pool[j]) = (pool[j], pool[i]);
      subset[i] = pool[i];
    }
    sortKeysByAddress(subset);
  }

  function _isStrictlyAscending(uint256[] memory keys) internal pure returns (bool) {
    for (uint256 i = 1; i < keys.length; ++i) {
      if (vm.addr(keys[i]) <= vm.addr(keys[i - 1])) return false;
    }
    return true;
  }

  /// @dev Nonces below the fixture's admin range, which its configs, allow-lists and reserves already used.
  function _settlementNonce(uint64 nonce) internal pure returns (uint64) {
    return uint64(bound(nonce, 0, ADMIN_NONCE_BASE - 1));
  }

  function _nonceOf(bytes memory m) internal pure returns (uint64 nonce) {
    if (m.length < HEADER_LEN) return 0;
    assembly ("memory-safe") {
      nonce := shr(192, mload(add(m, 0x42))) // bytes [34, 42) of the message
    }
  }

  function _fuzzDid(uint256 seed) internal pure returns (bytes32) {
    return keccak256(abi.encode("did:rwa:fuzz:", seed));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // quorum verification
  // ---------------------------------------------------------------------------------------------------------------

  function testFuzz_receiveMessage_AcceptsAnyThresholdSubset(uint256 n, uint256 threshold, uint256 seed, uint64 nonce)
    public
  {
    nonce = _settlementNonce(nonce);
    n = bound(n, 1, 10);
    threshold = bound(threshold, 1, n);
    bytes32 did = _fuzzDid(seed);
    (uint256[] memory keys, RwaHoldings h,) = configureCommittee(did, n, uint8(threshold), seed);
    uint256[] memory subset = _randomSubset(keys, threshold, seed);

    SettlementAtt memory a = subscriptionAtt(alice, 1e6, nonce);
    a.did = did;
    receiver.receiveMessage(encodeSettlement(a), signInOrder(digestOf(a), subset));

    assertEq(h.balanceOf(alice), 1e6);
    assertTrue(receiver.isNonceUsed(did, nonce));
  }

  function testFuzz_receiveMessage_RejectsOrderNotStrictlyAscending(
    uint256 n,
    uint256 threshold,
    uint256 seed,
    bool duplicate
  ) public {
    n = bound(n, 2, 10);
    threshold = bound(threshold, 2, n);
    bytes32 did = _fuzzDid(seed);
    (uint256[] memory keys, RwaHoldings h,) = configureCommittee(did, n, uint8(threshold), seed);
    uint256[] memory order = _randomSubset(keys, threshold, seed);

    if (duplicate) {
      uint256 j = 1 + (uint256(keccak256(abi.encode(seed, "dup"))) % (threshold - 1));
      order[j] = order[j - 1];
    } else {
      for (uint256 i = threshold - 1; i > 0; --i) {
        uint256 j = uint256(keccak256(abi.encode(seed, "shuffle", i))) % (i + 1);
        (order[i], order[j]) = (order[j], order[i]);
      }
      if (_isStrictlyAscending(order)) {
        uint256 p = uint256(keccak256(abi.encode(seed, "swap"))) % (threshold - 1);
        (order[p], order[p + 1]) = (order[p + 1], order[p]);
      }
    }
    assertFalse(_isStrictlyAscending(order));

    uint256 firstBad = 1;
    while (vm.addr(order[firstBad]) > vm.addr(order[firstBad - 1])) {
      ++firstBad;
    }

    SettlementAtt memory a = subscriptionAtt(alice, 1e6, 1);
    a.did = did;
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = signInOrder(digestOf(a), order);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, firstBad));
    receiver.receiveMessage(m, sigs);

    assertEq(h.totalSupply(), 0);
    assertFalse(receiver.isNonceUsed(did, 1));
  }

  function testFuzz_receiveMessage_RejectsSignaturesForAnotherChain(uint256 chainId) public {
    chainId = bound(chainId, 1, type(uint64).max);
    if (chainId == block.chainid) ++chainId;
    SettlementAtt memory a = subscriptionAtt(alice, 1e6, 1);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = signSorted(settlementDigest(a, chainId, address(receiver)), firstKeys(committeeKeys, THRESHOLD));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, recoverAt(digestOf(a), sigs, 0)));
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.totalSupply(), 0);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // settlements
  // ---------------------------------------------------------------------------------------------------------------

  function testFuzz_receiveMessage_MintsExactAmount(address investor, uint256 amount, uint64 nonce) public {
    investor = address(uint160(bound(uint160(investor), 1, type(uint160).max)));
    amount = bound(amount, 1, LARGE_CAP);
    nonce = _settlementNonce(nonce);
    allow(investor);
    deliver(subscriptionAtt(investor, amount, nonce));
    assertEq(holdings.balanceOf(investor), amount);
    assertEq(holdings.totalSupply(), amount);
    assertTrue(receiver.isNonceUsed(DID, nonce));
  }

  function testFuzz_receiveMessage_RedeemsExactAmount(uint256 amount, uint256 redeem) public {
    amount = bound(amount, 1, LARGE_CAP);
    redeem = bound(redeem, 1, amount);
    deliver(subscriptionAtt(alice, amount, 1));
    deliver(redemptionAtt(alice, redeem, 2));
    assertEq(holdings.balanceOf(alice), amount - redeem);
    assertEq(holdings.totalSupply(), amount - redeem);
  }

  function testFuzz_receiveMessage_NonceMarksOnlyItsOwnBit(uint64 nonce, uint64 other) public {
    nonce = _settlementNonce(nonce);
    other = _settlementNonce(other);
    deliver(subscriptionAtt(alice, 1, nonce));
    assertTrue(receiver.isNonceUsed(DID, nonce));
    if (other != nonce) assertFalse(receiver.isNonceUsed(DID, other));

    SettlementAtt memory again = subscriptionAtt(alice, 1, nonce);
    bytes memory m = encodeSettlement(again);
    bytes memory sigs = quorumSigs(again);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, nonce));
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.totalSupply(), 1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // NAV
  // ---------------------------------------------------------------------------------------------------------------

  function testFuzz_receiveMessage_NavWithinLimitApplies(uint256 prev, uint256 bps, bool up, uint256 gap) public {
    prev = bound(prev, 1e6, 1e36);
    bps = bound(bps, 0, MAX_MOVE_BPS);
    gap = bound(gap, 1, 365 days);
    uint256 move = (prev * bps) / 10_000;
    uint256 next = up ? prev + move : prev - move;
    deliver(navAtt(prev, uint64(T0), 1));
    deliver(navAtt(next, uint64(T0 + gap), 2));
    (uint80 roundId, int256 answer,, uint256 updatedAt,) = navFeed.latestRoundData();
    assertEq(roundId, 2);
    assertEq(answer, int256(next));
    assertEq(updatedAt, T0 + gap);
  }

  function testFuzz_receiveMessage_NavBeyondLimitRejected(uint256 prev, uint256 bps, bool up) public {
    prev = bound(prev, 1e6, 1e36);
    bps = bound(bps, MAX_MOVE_BPS + 1, up ? 1_000_000 : 9_999);
    uint256 move = (prev * bps) / 10_000;
    uint256 next = up ? prev + move : prev - move;
    deliver(navAtt(prev, uint64(T0), 1));

    NavAtt memory n = navAtt(next, uint64(T0 + 1 days), 2);
    bytes memory m = encodeNav(n);
    bytes memory sigs = quorumSigs(n);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, prev, next, MAX_MOVE_BPS));
    receiver.receiveMessage(m, sigs);
    assertEq(navFeed.latestRound(), 1);
    assertFalse(receiver.isNonceUsed(DID, 2));
  }

  function testFuzz_receiveMessage_NavAsOfNotAfterLatestRejected(uint64 asOf1, uint64 asOf2) public {
    asOf1 = uint64(bound(asOf1, 1, type(uint64).max));
    asOf2 = uint64(bound(asOf2, 0, asOf1));
    deliver(navAtt(NAV_1, asOf1, 1));
    NavAtt memory n = navAtt(NAV_1, asOf2, 2);
    bytes memory m = encodeNav(n);
    bytes memory sigs = quorumSigs(n);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.StaleAsOf.selector, asOf2, asOf1));
    receiver.receiveMessage(m, sigs);
    assertEq(navFeed.latestRound(), 1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // tampering: a mutated message or signature never applies
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev Funds alice (nonce 1) and round 1 of the NAV, then returns a valid, signed, unapplied message at nonce 2.
  function _victim(bool nav) internal returns (bytes memory m, bytes memory sigs) {
    deliver(subscriptionAtt(alice, FUNDED, 1));
    deliver(navAtt(NAV_1, uint64(T0 - 1 days), 3));
    if (nav) {
      NavAtt memory n = navAtt(NAV_1 + 1, uint64(T0), 2);
      (m, sigs) = (encodeNav(n), quorumSigs(n));
    } else {
      SettlementAtt memory s = redemptionAtt(alice, FUNDED / 2, 2);
      (m, sigs) = (encodeSettlement(s), quorumSigs(s));
    }
  }

  /// @param usedBefore whether the nonce the mutated message carries was already used before the attempt.
  function _assertUntouched(bytes memory mutated, bool usedBefore) internal view {
    assertEq(holdings.totalSupply(), FUNDED, "supply changed");
    assertEq(holdings.balanceOf(alice), FUNDED, "balance changed");
    assertEq(navFeed.latestRound(), 1, "NAV round applied");
    assertFalse(receiver.isNonceUsed(DID, 2), "victim nonce consumed");
    assertEq(receiver.isNonceUsed(DID, _nonceOf(mutated)), usedBefore, "mutated nonce consumed");
  }

  function testFuzz_receiveMessage_MutatedMessageNeverApplies(uint256 index, uint256 flip, bool nav) public {
    (bytes memory m, bytes memory sigs) = _victim(nav);
    index = bound(index, 0, m.length - 1);
    flip = bound(flip, 1, 255);
    m[index] = m[index] ^ bytes1(uint8(flip));
    bool usedBefore = receiver.isNonceUsed(DID, _nonceOf(m));

    vm.prank(relayer);
    try receiver.receiveMessage(m, sigs) {
      assertTrue(false, "mutated message was applied");
    } catch {}
    _assertUntouched(m, usedBefore);
  }

  function testFuzz_receiveMessage_MutatedSignatureNeverApplies(uint256 index, uint256 flip, bool nav) public {
    (bytes memory m, bytes memory sigs) = _victim(nav);
    index = bound(index, 0, sigs.length - 1);
    flip = bound(flip, 1, 255);
    sigs[index] = sigs[index] ^ bytes1(uint8(flip));

    vm.prank(relayer);
    try receiver.receiveMessage(m, sigs) {
      assertTrue(false, "mutated signature was applied");
    } catch {}
    _assertUntouched(m, false);
  }

  function testFuzz_receiveMessage_TruncatedMessageReverts(uint256 len, bool nav) public {
    (bytes memory m, bytes memory sigs) = _victim(nav);
    uint256 full = m.length;
    len = bound(len, 0, full - 1);
    bytes memory cut = truncate(m, len);
    if (len < HEADER_LEN) {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, len));
    } else {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, len, full));
    }
    receiver.receiveMessage(cut, sigs);
    _assertUntouched(m, false);
  }

  function testFuzz_receiveMessage_ExtendedMessageReverts(bytes memory extra, bool nav) public {
    (bytes memory m, bytes memory sigs) = _victim(nav);
    if (extra.length == 0) extra = hex"00";
    bytes memory padded = bytes.concat(m, extra);
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, padded.length, m.length));
    receiver.receiveMessage(padded, sigs);
    _assertUntouched(m, false);
  }
}
