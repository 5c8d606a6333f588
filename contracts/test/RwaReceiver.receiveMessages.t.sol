// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Vm} from "forge-std/Vm.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {AttestationCodec} from "../src/libraries/AttestationCodec.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice receiveMessages: several attestations per call, each verified and applied as receiveMessage would; items
/// already applied are skipped (BatchItemSkipped), any other failing item reverts the whole call with its own error.
contract RwaReceiverReceiveMessagesTest is AttestationFixture {
  /// @dev Item i of a mixed batch: every third a NAV round, every fifth a redemption of 1 unit from alice (who holds
  /// units from setUp), the rest subscriptions of i + 1 units to bob or carol.
  function _mixed(uint256 n, uint64 firstNonce)
    internal
    view
    returns (bytes[] memory messages, bytes[] memory sigs, uint256 minted, uint256 burned, uint256 navs)
  {
    messages = new bytes[](n);
    sigs = new bytes[](n);
    for (uint256 i; i < n; ++i) {
      uint64 nonce = firstNonce + uint64(i);
      if (i % 3 == 2) {
        NavAtt memory a = navAtt(NAV_1, uint64(T0 - 1 days + i), nonce);
        (messages[i], sigs[i]) = (encodeNav(a), quorumSigs(a));
        ++navs;
      } else if (i % 5 == 4) {
        SettlementAtt memory a = redemptionAtt(alice, 1, nonce);
        (messages[i], sigs[i]) = (encodeSettlement(a), quorumSigs(a));
        burned += 1;
      } else {
        SettlementAtt memory a = subscriptionAtt(i % 2 == 0 ? bob : carol, i + 1, nonce);
        (messages[i], sigs[i]) = (encodeSettlement(a), quorumSigs(a));
        minted += i + 1;
      }
    }
  }

  function _fund() internal {
    deliver(subscriptionAtt(alice, 1_000, 1_000_000));
  }

  function _skippedCount(Vm.Log[] memory logs) internal pure returns (uint256 count) {
    for (uint256 i; i < logs.length; ++i) {
      if (logs[i].topics[0] == RwaReceiver.BatchItemSkipped.selector) ++count;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // happy paths
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev Sizes 1..40 of mixed settlements and NAV rounds: every item applies once, in order.
  function testFuzz_receiveMessages_AppliesEveryItem(uint256 n) public {
    n = bound(n, 1, 40);
    _fund();
    uint256 supplyBefore = holdings.totalSupply();
    (bytes[] memory messages, bytes[] memory sigs, uint256 minted, uint256 burned, uint256 navs) = _mixed(n, 10);
    vm.recordLogs();
    vm.prank(relayer);
    receiver.receiveMessages(messages, sigs);
    assertEq(_skippedCount(vm.getRecordedLogs()), 0);
    for (uint256 i; i < n; ++i) {
      assertTrue(receiver.isNonceUsed(DID, uint64(10 + i)));
    }
    assertEq(holdings.totalSupply(), supplyBefore + minted - burned);
    assertEq(navFeed.latestRound(), navs);
  }

  function test_receiveMessages_AdminKindsBesideSettlements() public {
    bytes[] memory messages = new bytes[](3);
    bytes[] memory sigs = new bytes[](3);
    AllowEntry[] memory entries = new AllowEntry[](1);
    entries[0] = AllowEntry({account: stranger, allowed: true});
    messages[0] = encodeAllowList(AllowListAtt({did: DID, nonce: 7, entries: entries}));
    sigs[0] = adminQuorumSigs(messages[0]);
    SettlementAtt memory s = subscriptionAtt(stranger, 5, 8);
    (messages[1], sigs[1]) = (encodeSettlement(s), quorumSigs(s));
    messages[2] = encodePause(PauseAtt({did: DID, nonce: 9, paused: true}));
    sigs[2] = adminQuorumSigs(messages[2]);

    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.AllowListApplied(DID, 7, 1);
    vm.expectEmit(true, true, true, false, address(receiver));
    emit RwaReceiver.SettlementApplied(DID, 8, stranger, SUBSCRIPTION, bytes32(0), 5, bytes32(0), 0);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.PauseApplied(DID, 9, true);
    vm.prank(relayer);
    receiver.receiveMessages(messages, sigs);
    assertEq(holdings.balanceOf(stranger), 5);
    assertTrue(holdings.paused());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // exactly once
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev A batch of which an earlier transaction applied any subset (singly or as a smaller batch): sending it again
  /// applies exactly the rest and skips the subset, once each. NAV rounds apply in order (a later round makes an
  /// earlier one stale), so the subset takes a prefix of the batch's NAV items and any of its settlements.
  function testFuzz_receiveMessages_PartlyAppliedBatchCompletes(uint256 n, uint256 appliedMask, bool asBatch) public {
    n = bound(n, 1, 24);
    bool navGap;
    for (uint256 i = 2; i < n; i += 3) {
      if (appliedMask >> i & 1 == 0) navGap = true;
      else if (navGap) appliedMask &= ~(uint256(1) << i);
    }
    _fund();
    (bytes[] memory messages, bytes[] memory sigs, uint256 minted, uint256 burned, uint256 navs) = _mixed(n, 10);
    uint256 supplyBefore = holdings.totalSupply();
    uint256 applied;
    for (uint256 i; i < n; ++i) {
      if (appliedMask >> i & 1 == 1) ++applied;
    }
    (bytes[] memory early, bytes[] memory earlySigs) = (new bytes[](applied), new bytes[](applied));
    uint256 j;
    for (uint256 i; i < n; ++i) {
      if (appliedMask >> i & 1 == 0) continue;
      (early[j], earlySigs[j]) = (messages[i], sigs[i]);
      ++j;
      if (!asBatch) {
        vm.prank(relayer);
        receiver.receiveMessage(messages[i], sigs[i]);
      }
    }
    if (asBatch && applied > 0) {
      vm.prank(relayer);
      receiver.receiveMessages(early, earlySigs);
    }

    for (uint256 i; i < n; ++i) {
      if (appliedMask >> i & 1 == 1) {
        vm.expectEmit(true, true, true, true, address(receiver));
        emit RwaReceiver.BatchItemSkipped(DID, uint64(10 + i), i);
      }
    }
    vm.recordLogs();
    vm.prank(makeAddr("another relayer"));
    receiver.receiveMessages(messages, sigs);
    assertEq(_skippedCount(vm.getRecordedLogs()), applied);
    assertEq(holdings.totalSupply(), supplyBefore + minted - burned);
    assertEq(navFeed.latestRound(), navs);

    // A third send changes nothing and skips every item.
    vm.recordLogs();
    receiver.receiveMessages(messages, sigs);
    assertEq(_skippedCount(vm.getRecordedLogs()), n);
    assertEq(holdings.totalSupply(), supplyBefore + minted - burned);
  }

  function test_receiveMessages_DuplicateInsideOneBatchAppliesOnce() public {
    SettlementAtt memory a = subscriptionAtt(alice, 7, 3);
    SettlementAtt memory b = subscriptionAtt(bob, 11, 4);
    bytes[] memory messages = new bytes[](4);
    bytes[] memory sigs = new bytes[](4);
    (messages[0], sigs[0]) = (encodeSettlement(a), quorumSigs(a));
    (messages[1], sigs[1]) = (encodeSettlement(b), quorumSigs(b));
    (messages[2], sigs[2]) = (messages[0], sigs[0]);
    (messages[3], sigs[3]) = (messages[1], sigs[1]);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 3, 2);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 4, 3);
    vm.prank(relayer);
    receiver.receiveMessages(messages, sigs);
    assertEq(holdings.balanceOf(alice), 7);
    assertEq(holdings.balanceOf(bob), 11);
  }

  /// @dev The skip comes before the signature check: an applied item whose signers were rotated out since (its
  /// signatures no longer verify) does not block the rest of a resent batch.
  function test_receiveMessages_SkipsAppliedItemSignedByARotatedCommittee() public {
    SettlementAtt memory a = subscriptionAtt(alice, 7, 3);
    bytes memory oldSigs = quorumSigs(a);
    deliver(a);
    uint256[] memory nextKeys = deriveKeys(3, 4242);
    bytes memory rotation = encodeConfig(configAtt(DID, nextAdminNonce(receiver, DID), addressesOf(nextKeys), 2));
    deliverAdmin(rotation);

    SettlementAtt memory b = subscriptionAtt(bob, 11, 4);
    bytes[] memory messages = new bytes[](2);
    bytes[] memory sigs = new bytes[](2);
    (messages[0], sigs[0]) = (encodeSettlement(a), oldSigs);
    (messages[1], sigs[1]) = (encodeSettlement(b), signSorted(digestOf(b), firstKeys(nextKeys, 2)));
    vm.prank(relayer);
    receiver.receiveMessages(messages, sigs);
    assertEq(holdings.balanceOf(alice), 7);
    assertEq(holdings.balanceOf(bob), 11);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // one bad item reverts all, with its own error
  // ---------------------------------------------------------------------------------------------------------------

  function testFuzz_receiveMessages_BadSignerRevertsAll(uint256 n, uint256 bad) public {
    n = bound(n, 1, 16);
    bad = bound(bad, 0, n - 1);
    _fund();
    (bytes[] memory messages, bytes[] memory sigs,,,) = _mixed(n, 10);
    uint256 supplyBefore = holdings.totalSupply();
    // The bad item is signed by outsiders: recovered fine, not in the committee.
    bytes32 digest = bad % 3 == 2
      ? digestOf(navAtt(NAV_1, uint64(T0 - 1 days + bad), uint64(10 + bad)))
      : digestOf(
        bad % 5 == 4
          ? redemptionAtt(alice, 1, uint64(10 + bad))
          : subscriptionAtt(bad % 2 == 0 ? bob : carol, bad + 1, uint64(10 + bad))
      );
    sigs[bad] = signSorted(digest, firstKeys(outsiderKeys, THRESHOLD));
    address first = recoverAt(digest, sigs[bad], 0);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, first));
    vm.prank(relayer);
    receiver.receiveMessages(messages, sigs);
    for (uint256 i; i < n; ++i) {
      assertFalse(receiver.isNonceUsed(DID, uint64(10 + i)));
    }
    assertEq(holdings.totalSupply(), supplyBefore);
    assertEq(navFeed.latestRound(), 0);
  }

  function test_receiveMessages_MalformedItemRevertsAllWithItsError() public {
    (bytes[] memory messages, bytes[] memory sigs,,,) = _mixed(3, 10);
    messages[1] = truncate(messages[1], 100);
    vm.expectRevert(
      abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, 100, AttestationCodec.SETTLEMENT_LENGTH)
    );
    receiver.receiveMessages(messages, sigs);
    assertFalse(receiver.isNonceUsed(DID, 10));
  }

  function test_receiveMessages_ApplyFailureRevertsAll() public {
    SettlementAtt memory a = subscriptionAtt(alice, 7, 3);
    SettlementAtt memory b = redemptionAtt(bob, 1, 4); // bob holds nothing
    bytes[] memory messages = new bytes[](2);
    bytes[] memory sigs = new bytes[](2);
    (messages[0], sigs[0]) = (encodeSettlement(a), quorumSigs(a));
    (messages[1], sigs[1]) = (encodeSettlement(b), quorumSigs(b));
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 0, 1));
    receiver.receiveMessages(messages, sigs);
    assertEq(holdings.balanceOf(alice), 0);
    assertFalse(receiver.isNonceUsed(DID, 3));
  }

  function test_receiveMessages_RevertsWhen_Empty() public {
    vm.expectRevert(RwaReceiver.EmptyBatch.selector);
    receiver.receiveMessages(new bytes[](0), new bytes[](0));
  }

  function test_receiveMessages_RevertsWhen_LengthMismatch() public {
    (bytes[] memory messages,,,,) = _mixed(2, 10);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.BatchLengthMismatch.selector, 2, 1));
    receiver.receiveMessages(messages, new bytes[](1));
  }
}
