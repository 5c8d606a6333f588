// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Vm} from "forge-std/Vm.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice receiveBatch: one quorum over AttestationBatch(did, root) per root and signer epoch, then any subset of the
/// root's settlement and NAV items, each with its Merkle proof, applied once.
contract RwaReceiverBatchTest is AttestationFixture {
  bytes32 internal constant DID_B = keccak256("did:rwa:acme:money-market");

  /// @dev `n` subscriptions of i + 1 units to alice, bob and carol in turn, nonces from `firstNonce`.
  function _subscriptions(uint256 n, uint64 firstNonce) internal view returns (bytes[] memory messages) {
    address[3] memory investors = [alice, bob, carol];
    messages = new bytes[](n);
    for (uint256 i; i < n; ++i) {
      messages[i] = encodeSettlement(subscriptionAtt(investors[i % 3], i + 1, firstNonce + uint64(i)));
    }
  }

  function _slice(bytes[] memory messages, bytes32[][] memory proofs, uint256 from, uint256 to)
    internal
    pure
    returns (bytes[] memory m, bytes32[][] memory p)
  {
    m = new bytes[](to - from);
    p = new bytes32[][](to - from);
    for (uint256 i = from; i < to; ++i) {
      (m[i - from], p[i - from]) = (messages[i], proofs[i]);
    }
  }

  function _one(bytes memory message) internal pure returns (bytes[] memory messages) {
    messages = new bytes[](1);
    messages[0] = message;
  }

  function _applyAll(uint256 n) internal returns (bytes32 root) {
    bytes[] memory messages = _subscriptions(n, 1);
    bytes32[][] memory proofs;
    (root, proofs) = buildBatch(messages);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchRootVerified(DID, root, 1);
    vm.prank(relayer);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(messages), proofs);
    assertEq(receiver.batchRootEpoch(DID, root), 1);
    uint256 supply;
    for (uint256 i; i < n; ++i) {
      assertTrue(receiver.isNonceUsed(DID, uint64(1 + i)));
      supply += i + 1;
    }
    assertEq(holdings.totalSupply(), supply);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // happy paths
  // ---------------------------------------------------------------------------------------------------------------

  function test_receiveBatch_OneItem() public {
    bytes32 root = _applyAll(1);
    assertEq(root, leafOf(encodeSettlement(subscriptionAtt(alice, 1, 1))), "a single leaf is the root");
    assertEq(holdings.balanceOf(alice), 1);
  }

  function test_receiveBatch_TwoItems() public {
    _applyAll(2);
    assertEq(holdings.balanceOf(alice), 1);
    assertEq(holdings.balanceOf(bob), 2);
  }

  function test_receiveBatch_SixtyFourItems() public {
    _applyAll(64);
    // alice holds items 0, 3, ..., 63: amounts 1, 4, ..., 64
    uint256 aliceExpected;
    for (uint256 i; i < 64; i += 3) {
      aliceExpected += i + 1;
    }
    assertEq(holdings.balanceOf(alice), aliceExpected);
  }

  function test_receiveBatch_EmitsPerItemEvents() public {
    SettlementAtt memory a = subscriptionAtt(alice, 7, 1);
    bytes[] memory messages = _one(encodeSettlement(a));
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.SettlementApplied(DID, 1, alice, SUBSCRIPTION, a.settlementRef, 7, a.cashLegRef, 0);
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
  }

  function test_receiveBatch_SettlementsAndNav() public {
    bytes[] memory messages = new bytes[](3);
    messages[0] = encodeSettlement(subscriptionAtt(alice, 100, 1));
    messages[1] = encodeNav(navAtt(NAV_1, uint64(T0 - 1 days), 2));
    messages[2] = encodeSettlement(redemptionAtt(alice, 40, 3));
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(messages), proofs);
    assertEq(holdings.balanceOf(alice), 60);
    assertEq(navFeed.latestRound(), 1);
  }

  function test_receiveBatch_RootVerifiedOnceThenEmptySignatures() public {
    bytes[] memory messages = _subscriptions(8, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    (bytes[] memory first, bytes32[][] memory firstProofs) = _slice(messages, proofs, 0, 5);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(first), firstProofs);

    (bytes[] memory rest, bytes32[][] memory restProofs) = _slice(messages, proofs, 5, 8);
    vm.recordLogs();
    vm.prank(stranger); // anyone may deliver items of a verified root
    receiver.receiveBatch(DID, root, "", packItems(rest), restProofs);
    Vm.Log[] memory logs = vm.getRecordedLogs();
    for (uint256 i; i < logs.length; ++i) {
      assertTrue(logs[i].topics[0] != RwaReceiver.BatchRootVerified.selector, "root verified twice");
    }
    assertEq(holdings.totalSupply(), 36); // 1 + ... + 8
  }

  function test_receiveBatch_OutOfOrderItemsOfAVerifiedRoot() public {
    bytes[] memory messages = _subscriptions(4, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    (bytes[] memory last, bytes32[][] memory lastProof) = _slice(messages, proofs, 3, 4);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(last), lastProof);
    (bytes[] memory first, bytes32[][] memory firstProof) = _slice(messages, proofs, 0, 1);
    receiver.receiveBatch(DID, root, "", packItems(first), firstProof);
    assertEq(holdings.totalSupply(), 5);
    assertFalse(receiver.isNonceUsed(DID, 2));
  }

  function test_receiveBatch_EmptyItemListOnlyVerifiesRoot() public {
    bytes32 root = keccak256("root of items delivered later");
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(new bytes[](0)), new bytes32[][](0));
    assertEq(receiver.batchRootEpoch(DID, root), 1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // root verification
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveBatch_RootNotVerified() public {
    bytes[] memory messages = _subscriptions(2, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.BatchRootNotVerified.selector, DID, root));
    receiver.receiveBatch(DID, root, "", packItems(messages), proofs);
    assertEq(holdings.totalSupply(), 0);
  }

  function test_RevertWhen_receiveBatch_ZeroRootNeverVerified() public {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.BatchRootNotVerified.selector, DID, bytes32(0)));
    receiver.receiveBatch(DID, bytes32(0), "", packItems(new bytes[](0)), new bytes32[][](0));
  }

  function test_RevertWhen_receiveBatch_UnknownDid() public {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnknownDid.selector, DID_B));
    receiver.receiveBatch(DID_B, keccak256("r"), "", packItems(new bytes[](0)), new bytes32[][](0));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnknownDid.selector, GOVERNANCE_DID));
    receiver.receiveBatch(GOVERNANCE_DID, keccak256("r"), "", packItems(new bytes[](0)), new bytes32[][](0));
  }

  function test_RevertWhen_receiveBatch_RootSignedByOutsiders() public {
    bytes32 root = keccak256("r");
    bytes32 digest = batchDigest(DID, root, block.chainid, address(receiver));
    bytes memory sigs = signSorted(digest, firstKeys(outsiderKeys, 2));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, vm.addr(outsiderKeys[0])));
    receiver.receiveBatch(DID, root, sigs, packItems(new bytes[](0)), new bytes32[][](0));
  }

  function test_RevertWhen_receiveBatch_RootSignedForAnotherDidOrChain() public {
    configure(receiver, DID_B, committeeKeys, THRESHOLD); // same committee on both DIDs
    bytes32 root = keccak256("r");
    bytes32 digest = batchDigest(DID, root, block.chainid, address(receiver));
    bytes memory forB = signSorted(batchDigest(DID_B, root, block.chainid, address(receiver)), quorumKeys());
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, recoverAt(digest, forB, 0)));
    receiver.receiveBatch(DID, root, forB, packItems(new bytes[](0)), new bytes32[][](0));

    bytes memory forPeer = signSorted(batchDigest(DID, root, PEER_CHAIN_ID, address(receiver)), quorumKeys());
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, recoverAt(digest, forPeer, 0)));
    receiver.receiveBatch(DID, root, forPeer, packItems(new bytes[](0)), new bytes32[][](0));
    assertEq(receiver.batchRootEpoch(DID, root), 0);
  }

  function test_RevertWhen_receiveBatch_RootBelowThreshold() public {
    bytes32 root = keccak256("r");
    bytes32 digest = batchDigest(DID, root, block.chainid, address(receiver));
    bytes memory one = signSorted(digest, firstKeys(committeeKeys, 1));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 65, 130));
    receiver.receiveBatch(DID, root, one, packItems(new bytes[](0)), new bytes32[][](0));
  }

  function test_RevertWhen_receiveBatch_RotatedSignerSetInvalidatesOldRoot() public {
    bytes[] memory messages = _subscriptions(4, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    (bytes[] memory first, bytes32[][] memory firstProofs) = _slice(messages, proofs, 0, 2);
    bytes memory oldSigs = batchQuorumSigs(root);
    receiver.receiveBatch(DID, root, oldSigs, packItems(first), firstProofs);

    uint256[] memory next = deriveKeys(3, 42);
    deliverAdmin(encodeConfig(configAtt(DID, nextAdminNonce(receiver, DID), addressesOf(next), 2)));

    (bytes[] memory rest, bytes32[][] memory restProofs) = _slice(messages, proofs, 2, 4);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.BatchRootNotVerified.selector, DID, root));
    receiver.receiveBatch(DID, root, "", packItems(rest), restProofs);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, committee[0]));
    receiver.receiveBatch(DID, root, oldSigs, packItems(rest), restProofs);

    // The new set may vouch for the same root again.
    bytes memory newSigs = signSorted(batchDigest(DID, root, block.chainid, address(receiver)), firstKeys(next, 2));
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchRootVerified(DID, root, 2);
    receiver.receiveBatch(DID, root, newSigs, packItems(rest), restProofs);
    assertEq(receiver.batchRootEpoch(DID, root), 2);
    assertEq(holdings.totalSupply(), 10);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // items
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveBatch_InvalidMerkleProof() public {
    bytes[] memory messages = _subscriptions(4, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    proofs[1] = proofs[2]; // a valid proof, of another leaf
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidMerkleProof.selector, 1));
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
    // All or nothing: item 0 and the root verification were rolled back.
    assertEq(holdings.totalSupply(), 0);
    assertEq(receiver.batchRootEpoch(DID, root), 0);
  }

  function test_RevertWhen_receiveBatch_ItemTamperedAfterRootSigned() public {
    bytes[] memory messages = _subscriptions(2, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory sigs = batchQuorumSigs(root);
    messages[0] = encodeSettlement(subscriptionAtt(alice, 1_000_000, 1));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidMerkleProof.selector, 0));
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
  }

  function test_RevertWhen_receiveBatch_InnerNodeAsItem() public {
    // An inner node's 64-byte preimage is not a message of the tree (leaves are double-hashed).
    bytes[] memory messages = _subscriptions(4, 1);
    bytes32[] memory leaves = leavesOf(messages);
    (bytes32 root,) = buildBatch(messages);
    bytes32 left = hashPair(leaves[0], leaves[1]);
    bytes32 right = hashPair(leaves[2], leaves[3]);
    bytes[] memory forged = _one(left < right ? abi.encodePacked(left, right) : abi.encodePacked(right, left));
    bytes32[][] memory noProof = new bytes32[][](1);
    bytes memory sigs = batchQuorumSigs(root);
    // Packed as an item it is not even framed as one: no kind a batch carries is 32 bytes long.
    uint8 kind = uint8(forged[0][1]);
    vm.expectRevert(
      kind == KIND_SETTLEMENT || kind == KIND_NAV
        ? abi.encodeWithSelector(RwaReceiver.InvalidBatchItem.selector, 0)
        : abi.encodeWithSelector(RwaReceiver.KindNotAllowedInBatch.selector, 0, kind)
    );
    receiver.receiveBatch(DID, root, sigs, packItems(forged), noProof);
  }

  /// @dev Items travel without their DID: a message of another DID under this DID's root is read as this DID's, so
  /// its leaf is not the one the tree holds.
  function test_RevertWhen_receiveBatch_ItemOfAnotherDid() public {
    configure(receiver, DID_B, committeeKeys, THRESHOLD);
    bytes[] memory messages = _subscriptions(3, 1);
    SettlementAtt memory b = subscriptionAtt(alice, 5, 9);
    b.did = DID_B;
    messages[2] = encodeSettlement(b);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidMerkleProof.selector, 2));
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
    assertFalse(receiver.isNonceUsed(DID_B, 9));
  }

  function test_RevertWhen_receiveBatch_KindNotAllowed() public {
    bytes[] memory admin = new bytes[](4);
    admin[0] = encodeConfig(configAtt(DID, 50, addressesOf(outsiderKeys), 1));
    admin[1] = encodePause(PauseAtt({did: DID, nonce: 51, paused: true}));
    AllowListAtt memory al;
    al.did = DID;
    al.nonce = 52;
    admin[2] = encodeAllowList(al);
    CapEntry[] memory caps = new CapEntry[](0);
    admin[3] = encodeReserve(ReserveAtt({did: DID, nonce: 53, reserve: 0, asOf: uint64(T0 + 1), caps: caps}));
    uint8[4] memory kinds = [KIND_CONFIG, KIND_PAUSE, KIND_ALLOWLIST, KIND_RESERVE];
    for (uint256 k; k < admin.length; ++k) {
      bytes[] memory messages = _subscriptions(2, 1);
      messages[1] = admin[k];
      (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
      bytes memory sigs = batchQuorumSigs(root);
      vm.expectRevert(abi.encodeWithSelector(RwaReceiver.KindNotAllowedInBatch.selector, 1, kinds[k]));
      receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
    }
    assertEq(receiver.didState(DID).signerEpoch, 1);
    assertFalse(holdings.paused());
  }

  /// @dev Items an earlier call applied are skipped (a partly applied batch completes), never applied twice.
  function test_receiveBatch_ItemReplayedIsSkipped() public {
    bytes[] memory messages = _subscriptions(3, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(messages), proofs);
    (bytes[] memory again, bytes32[][] memory againProof) = _slice(messages, proofs, 1, 2);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 2, 0);
    receiver.receiveBatch(DID, root, "", packItems(again), againProof);
    assertEq(holdings.totalSupply(), 6);
  }

  function test_receiveBatch_ItemAlreadyDeliveredSinglyIsSkipped() public {
    SettlementAtt memory a = subscriptionAtt(alice, 5, 1);
    deliver(a);
    bytes[] memory messages = _subscriptions(2, 1);
    messages[0] = encodeSettlement(a);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 1, 0);
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
    assertEq(holdings.balanceOf(alice), 5);
    assertEq(holdings.balanceOf(bob), 2);
  }

  function test_receiveBatch_SameItemTwiceInOneCallAppliesOnce() public {
    bytes[] memory messages = _subscriptions(2, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    messages[1] = messages[0];
    proofs[1] = proofs[0];
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 1, 1);
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
    assertEq(holdings.totalSupply(), 1);
  }

  /// @dev A skipped item still needs its proof: an item of another root reverts, applied or not.
  function test_RevertWhen_receiveBatch_AppliedItemWithABadProof() public {
    bytes[] memory messages = _subscriptions(2, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(messages), proofs);
    proofs[0] = proofs[1];
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidMerkleProof.selector, 0));
    receiver.receiveBatch(DID, root, "", packItems(messages), proofs);
  }

  /// @dev Any subset applied before (in order, by earlier calls of the same root), then the whole batch: every item
  /// applied exactly once, the subset skipped.
  function testFuzz_receiveBatch_PartlyAppliedBatchCompletes(uint256 n, uint256 appliedMask) public {
    n = bound(n, 1, 40);
    bytes[] memory messages = _subscriptions(n, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(_one(messages[0])), _oneProof(proofs[0]));
    appliedMask |= 1;
    uint256 skipped = 1;
    for (uint256 i = 1; i < n; ++i) {
      if (appliedMask >> i & 1 == 0) continue;
      receiver.receiveBatch(DID, root, "", packItems(_one(messages[i])), _oneProof(proofs[i]));
      ++skipped;
    }
    vm.recordLogs();
    receiver.receiveBatch(DID, root, "", packItems(messages), proofs);
    Vm.Log[] memory logs = vm.getRecordedLogs();
    uint256 seen;
    for (uint256 i; i < logs.length; ++i) {
      if (logs[i].topics[0] == RwaReceiver.BatchItemSkipped.selector) ++seen;
    }
    assertEq(seen, skipped);
    uint256 supply;
    for (uint256 i; i < n; ++i) {
      assertTrue(receiver.isNonceUsed(DID, uint64(1 + i)));
      supply += i + 1;
    }
    assertEq(holdings.totalSupply(), supply);
  }

  function test_RevertWhen_receiveBatch_ItemRejectedByHoldings() public {
    bytes[] memory messages = _subscriptions(2, 1);
    messages[1] = encodeSettlement(subscriptionAtt(stranger, 1, 2));
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, stranger));
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
    assertEq(holdings.totalSupply(), 0);
    assertFalse(receiver.isNonceUsed(DID, 1));
  }

  function test_RevertWhen_receiveBatch_FewerProofsThanItems() public {
    bytes[] memory messages = _subscriptions(2, 1);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    (, bytes32[][] memory oneProof) = _slice(messages, proofs, 0, 1);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.BatchLengthMismatch.selector, 2, 1));
    receiver.receiveBatch(DID, root, sigs, packItems(messages), oneProof);
  }

  function _oneProof(bytes32[] memory proof) internal pure returns (bytes32[][] memory proofs) {
    proofs = new bytes32[][](1);
    proofs[0] = proof;
  }
}
