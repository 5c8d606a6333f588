// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaTransportQuorum} from "../../src/RwaTransportQuorum.sol";
import {TransportQuorumFixture} from "../helpers/TransportQuorumFixture.sol";

/// @notice Random rules (k of a mask) and random arrival orders, each transport possibly repeated or outside the
/// mask: a message is applied iff k distinct transports of the mask delivered it, exactly once, on the k-th.
contract TransportQuorumFuzzTest is TransportQuorumFixture {
  uint256 internal constant AMOUNT = 42e6;

  function _popcount(uint8 bits) internal pure returns (uint8) {
    return (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1);
  }

  function _rule(uint8 kSeed, uint8 maskSeed) internal pure returns (uint8 k, uint8 mask) {
    mask = uint8(bound(maskSeed, 1, 7));
    k = uint8(bound(kSeed, 1, _popcount(mask)));
  }

  bytes internal message;
  bytes internal sigs;
  bytes32 internal digest;

  function setUp() public override {
    super.setUp();
    SettlementAtt memory a = subscriptionAtt(alice, AMOUNT, 1);
    message = encodeSettlement(a);
    sigs = quorumSigs(a);
    digest = keccak256(message);
  }

  function testFuzz_receiveMessage_AppliesIffKDistinctArrivalsInTheMask(
    uint8 kSeed,
    uint8 maskSeed,
    uint256 orderSeed,
    uint256 countSeed
  ) public {
    (uint8 k, uint8 mask) = _rule(kSeed, maskSeed);
    setTransportQuorum(k, mask, CCTP);
    uint8 arrived;
    uint256 applies;
    uint256 arrivals = bound(countSeed, 1, 10);
    for (uint256 i; i < arrivals; ++i) {
      uint8 bit = uint8(1 << (uint256(keccak256(abi.encode(orderSeed, i))) % 3));
      bool appliedNow;
      (arrived, appliedNow) = _step(bit, k, mask, arrived);
      if (appliedNow) ++applies;
    }
    assertLe(applies, 1, "applied at most once");
    assertEq(holdings.balanceOf(alice), applies * AMOUNT);
  }

  /// @dev One arrival through `bit`, its expected outcome derived from the rule and the transports arrived so far.
  function _step(uint8 bit, uint8 k, uint8 mask, uint8 arrived) internal returns (uint8, bool appliedNow) {
    bool usedBefore = receiver.isNonceUsed(DID, 1);
    if (bit & mask == 0) {
      vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportNotInQuorum.selector, bit, mask));
    } else if (arrived & bit != 0) {
      vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportAlreadyDelivered.selector, digest, bit));
    } else {
      arrived |= bit;
    }
    arrive(bit, message, sigs);
    bool usedAfter = receiver.isNonceUsed(DID, 1);
    appliedNow = usedAfter && !usedBefore;
    if (appliedNow) assertEq(_popcount(arrived), k, "applied on the k-th distinct transport, not later");
    assertEq(usedAfter, _popcount(arrived) >= k, "applied iff k distinct arrivals in the mask");
    (uint8 gotArrived, bool gotApplied) = gate.arrivalsOf(digest);
    assertEq(gotArrived, arrived);
    assertEq(gotApplied, usedAfter);
    return (arrived, appliedNow);
  }

  /// @dev A rule change between arrivals: what counts is the rule in force at each arrival, over the transports of
  /// its mask that have arrived so far.
  function testFuzz_receiveMessage_RuleInForceAtTheArrivalDecides(
    uint8 k1Seed,
    uint8 mask1Seed,
    uint8 k2Seed,
    uint8 mask2Seed,
    uint256 orderSeed
  ) public {
    (uint8 k1, uint8 mask1) = _rule(k1Seed, mask1Seed);
    (uint8 k2, uint8 mask2) = _rule(k2Seed, mask2Seed);
    setTransportQuorum(k1, mask1, CCTP);

    // First arrival under rule 1, through a transport of its mask.
    uint8 first = _nthBit(mask1, orderSeed);
    arrive(first, message, sigs);
    bool applied = k1 == 1;
    assertEq(receiver.isNonceUsed(DID, 1), applied);

    // Rule 2, itself delivered under rule 1 (through k1 transports of mask1).
    _deliverRule(k1, mask1, k2, mask2);

    // Second arrival under rule 2, through a transport of mask2 that has not delivered yet (if any).
    uint8 second = _nthBit(mask2 & ~first, orderSeed >> 8);
    if (second == 0) return;
    arrive(second, message, sigs);
    bool expected = applied || _popcount((first | second) & mask2) >= k2;
    assertEq(receiver.isNonceUsed(DID, 1), expected);
    assertEq(holdings.balanceOf(alice), expected ? AMOUNT : 0);
  }

  /// @dev A kind-12 rule `k2` of `mask2`, delivered under `k1` of `mask1` (through its first k1 transports).
  function _deliverRule(uint8 k1, uint8 mask1, uint8 k2, uint8 mask2) internal {
    bytes memory rule = encodeTransportQuorum(DID, nextAdminNonce(receiver, DID), uint64(block.chainid), k2, mask2);
    bytes memory ruleSigs = adminQuorumSigs(rule);
    uint8 sent;
    for (uint8 bit = 1; bit <= WORMHOLE && _popcount(sent) < k1; bit <<= 1) {
      if (mask1 & bit != 0) {
        arrive(bit, rule, ruleSigs);
        sent |= bit;
      }
    }
    (uint8 k, uint8 transports) = receiver.transportQuorumOf(DID);
    assertEq(k, k2);
    assertEq(transports, mask2);
  }

  /// @dev One of the set bits of `mask` chosen by `seed`; 0 for an empty mask.
  function _nthBit(uint8 mask, uint256 seed) internal pure returns (uint8) {
    uint8 n = _popcount(mask);
    if (n == 0) return 0;
    uint256 pick = seed % n;
    for (uint8 bit = 1; bit <= 4; bit <<= 1) {
      if (mask & bit != 0) {
        if (pick == 0) return bit;
        --pick;
      }
    }
    return 0;
  }
}
