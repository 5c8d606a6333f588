// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaBatchVerifier} from "../src/receiver/RwaBatchVerifier.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice receiveBatch's items (packed without their DID, libraries/BatchItems.sol) and its two ways of proving them:
/// a call carrying every leaf of the root needs no proofs (the root is recomputed), a call carrying a part gives one
/// proof per item. Any part verifies with its proofs; a tampered item or proof, or a part sent as a whole tree, fails
/// before anything applies; duplicates are skipped.
contract RwaReceiverBatchWholeTest is AttestationFixture {
  uint256 internal constant MAX_ITEMS = 24;

  /// @dev `n` subscriptions of i + 1 units to alice, bob and carol in turn, nonces from `firstNonce`; item 3 a NAV
  /// round when `withNav` (n > 3).
  function _messages(uint256 n, uint64 firstNonce, bool withNav) internal view returns (bytes[] memory messages) {
    address[3] memory investors = [alice, bob, carol];
    messages = new bytes[](n);
    for (uint256 i; i < n; ++i) {
      messages[i] = encodeSettlement(subscriptionAtt(investors[i % 3], i + 1, firstNonce + uint64(i)));
    }
    if (withNav && n > 3) messages[3] = encodeNav(navAtt(NAV_1, uint64(T0 - 1 days), firstNonce + 3));
  }

  function _noProofs() internal pure returns (bytes32[][] memory) {
    return new bytes32[][](0);
  }

  /// @dev Units the subscriptions among messages[i] for the chosen `mask` bits add up to (item 3 is NAV when withNav).
  function _units(uint256 n, uint256 mask, bool withNav) internal pure returns (uint256 units) {
    for (uint256 i; i < n; ++i) {
      if (mask & (1 << i) != 0 && !(withNav && i == 3)) units += i + 1;
    }
  }

  function test_receiveBatch_WholeTreeAppliesWithoutProofs() public {
    bytes[] memory messages = _messages(7, 1, true);
    (bytes32 root,) = buildBatch(messages);
    vm.prank(relayer);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(messages), _noProofs());
    for (uint64 nonce = 1; nonce <= 7; ++nonce) {
      assertTrue(receiver.isNonceUsed(DID, nonce));
    }
    assertEq(holdings.totalSupply(), _units(7, 0x7f, true));
    assertEq(navFeed.latestRound(), 1);
  }

  function test_RevertWhen_receiveBatch_PartSentAsWholeTree() public {
    bytes[] memory messages = _messages(5, 1, false);
    (bytes32 root,) = buildBatch(messages);
    bytes memory sigs = batchQuorumSigs(root);
    bytes[] memory part = new bytes[](4);
    for (uint256 i; i < 4; ++i) {
      part[i] = messages[i];
    }
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.BatchRootMismatch.selector, DID, root));
    receiver.receiveBatch(DID, root, sigs, packItems(part), _noProofs());
    assertEq(holdings.totalSupply(), 0);
    assertEq(receiver.batchRootEpoch(DID, root), 0);
  }

  function test_RevertWhen_receiveBatch_ItemCutShort() public {
    bytes[] memory messages = _messages(2, 1, false);
    (bytes32 root,) = buildBatch(messages);
    bytes memory items = packItems(messages);
    bytes memory cut = new bytes(items.length - 1);
    for (uint256 i; i < cut.length; ++i) {
      cut[i] = items[i];
    }
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidBatchItem.selector, 1));
    receiver.receiveBatch(DID, root, sigs, cut, _noProofs());
  }

  function test_RevertWhen_receiveBatch_ProofsForFewerItems() public {
    bytes[] memory messages = _messages(3, 1, false);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes32[][] memory two = new bytes32[][](2);
    (two[0], two[1]) = (proofs[0], proofs[1]);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.BatchLengthMismatch.selector, 3, 2));
    receiver.receiveBatch(DID, root, sigs, packItems(messages), two);
  }

  /// @dev A whole tree that holds one message twice: the second is skipped, the units minted once.
  function test_receiveBatch_DuplicateInWholeTreeSkipped() public {
    bytes[] memory messages = _messages(4, 1, false);
    messages[3] = messages[1];
    (bytes32 root,) = buildBatch(messages);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 2, 3);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(messages), _noProofs());
    assertEq(holdings.totalSupply(), 1 + 2 + 3);
  }

  /// @dev Any part of a tree (any size, any items), sent with its proofs, applies exactly its items; the rest of the
  /// tree sent afterwards as a whole applies the others, and nothing twice.
  function testFuzz_receiveBatch_AnyPartThenTheWholeTree(uint256 size, uint256 mask) public {
    uint256 n = bound(size, 1, MAX_ITEMS);
    mask = bound(mask, 1, (1 << n) - 1);
    bytes[] memory messages = _messages(n, 1, true);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    uint256 count;
    for (uint256 i; i < n; ++i) {
      if (mask & (1 << i) != 0) ++count;
    }
    bytes[] memory part = new bytes[](count);
    bytes32[][] memory partProofs = new bytes32[][](count);
    uint256 k;
    for (uint256 i; i < n; ++i) {
      if (mask & (1 << i) != 0) (part[k], partProofs[k++]) = (messages[i], proofs[i]);
    }
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(part), partProofs);
    for (uint256 i; i < n; ++i) {
      assertEq(receiver.isNonceUsed(DID, uint64(1 + i)), mask & (1 << i) != 0);
    }
    assertEq(holdings.totalSupply(), _units(n, mask, true));

    receiver.receiveBatch(DID, root, "", packItems(messages), _noProofs());
    assertEq(holdings.totalSupply(), _units(n, (1 << n) - 1, true));
  }

  /// @dev One byte of one item changed: neither the whole tree nor the item's own proof lets it through, and nothing
  /// applies.
  function testFuzz_RevertWhen_receiveBatch_TamperedItem(uint256 size, uint256 at, uint8 delta) public {
    uint256 n = bound(size, 1, MAX_ITEMS);
    delta = uint8(bound(delta, 1, 255));
    bytes[] memory messages = _messages(n, 1, true);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory items = packItems(messages);
    uint256 pos = bound(at, 0, items.length - 1);
    items[pos] = bytes1(uint8(items[pos]) ^ delta);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert();
    receiver.receiveBatch(DID, root, sigs, items, _noProofs());
    vm.expectRevert();
    receiver.receiveBatch(DID, root, sigs, items, proofs);
    assertEq(holdings.totalSupply(), 0);
  }

  /// @dev One word of one proof changed: that item is named (InvalidMerkleProof(i)) so the relayer can send it alone.
  function testFuzz_RevertWhen_receiveBatch_TamperedProofNamesItsItem(uint256 size, uint256 item, uint256 word, bytes32 noise)
    public
  {
    uint256 n = bound(size, 2, MAX_ITEMS);
    bytes[] memory messages = _messages(n, 1, false);
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    uint256 i = bound(item, 0, n - 1);
    vm.assume(proofs[i].length != 0 && noise != bytes32(0));
    uint256 w = bound(word, 0, proofs[i].length - 1);
    proofs[i][w] ^= noise;
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidMerkleProof.selector, i));
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
  }

  /// @dev The verifier on its own (what the receiver static-calls): the oracle's packed vectors (real settlements and
  /// NAV rounds, schemas/batch-vectors.json) recompute to their roots without proofs.
  function test_batchVectors_PackedItemsRecomputeTheRoot() public {
    RwaBatchVerifier verifier = new RwaBatchVerifier();
    string memory json = vm.readFile("schemas/batch-vectors.json");
    bytes32 did = vm.parseJsonBytes32(json, ".did");
    uint256 count = vm.parseJsonUint(json, ".packedCount");
    assertGt(count, 0, "no packed trees");
    for (uint256 t; t < count; ++t) {
      string memory base = string.concat(".packed[", vm.toString(t), "]");
      bytes32 root = vm.parseJsonBytes32(json, string.concat(base, ".root"));
      bytes memory items = vm.parseJsonBytes(json, string.concat(base, ".items"));
      uint256 size = vm.parseJsonUint(json, string.concat(base, ".size"));
      assertEq(verifier.verifyBatch(did, root, "", items, _noProofs()), size, string.concat("packed tree ", vm.toString(t)));
      vm.expectRevert(abi.encodeWithSelector(RwaBatchVerifier.BatchRootMismatch.selector, bytes32(uint256(did) ^ 1), root));
      verifier.verifyBatch(bytes32(uint256(did) ^ 1), root, "", items, _noProofs());
    }
  }
}
