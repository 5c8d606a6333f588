// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {BatchItems} from "../libraries/BatchItems.sol";
import {BrakeBucket} from "../libraries/BrakeBucket.sol";
import {Eip712Attestation} from "../libraries/Eip712Attestation.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaBatchVerifier} from "./RwaBatchVerifier.sol";
import {RwaReceiverCurse} from "./RwaReceiverCurse.sol";
import {RwaReceiverSettlements} from "./RwaReceiverSettlements.sol";

/// @notice Merkle-root delivery (receiveBatch): one quorum over a root, then the root's settlements and NAV rounds,
/// each applied as RwaReceiverSettlements applies a single one. The items travel packed without their DID
/// (libraries/BatchItems.sol); a call carrying every leaf of its root needs no proofs (the root is recomputed), a call
/// carrying a part of it gives one proof per item. docs/batches.md.
abstract contract RwaReceiverBatch is RwaReceiverSettlements, RwaReceiverCurse {
  address private immutable i_batchVerifier = address(new RwaBatchVerifier());

  /// @notice Apply attestations of one DID covered by one quorum signature over a Merkle root.
  /// @dev The root is verified once (signatures may be empty on later calls for the same root while the DID's signer
  /// set is unchanged). Leaves are keccak256(keccak256(message)); pairs hashed in sorted order (as OZ MerkleProof).
  /// Only settlements and NAV may be batched. Every item is checked against the root before any applies. An item whose
  /// nonce is already used (an earlier call applied it, or it comes twice in this call) is skipped
  /// (`BatchItemSkipped`), so a partly applied batch completes; any other failing item reverts the whole call with its
  /// own error. No items: the call only verifies the root.
  /// @param items the messages packed back to back without their DID (libraries/BatchItems.sol).
  /// proofs: none: `items` are every leaf of the root in the tree's order, and the root is recomputed from them;
  /// else one proof per item (BatchProof), for a part of the root.
  function receiveBatch(
    bytes32 did,
    bytes32 root,
    bytes calldata signatures,
    bytes calldata items,
    bytes32[][] calldata /* proofs: the verifier's */
  ) external whenNotCursed {
    RwaReceiver.DidState memory st = s_dids[did];
    if (address(st.holdings) == address(0)) revert RwaReceiver.UnknownDid(did);
    if (st.quorumTransports != 0) revert RwaReceiver.TransportQuorumRequired(did);
    uint32 verified = s_batchRoots[did][root];
    // A root verified before the set's end applies nothing after it (its items would be verified by an expired set).
    _requireLive(did, st);
    if (verified != st.signerEpoch) {
      if (signatures.length == 0) revert RwaReceiver.BatchRootNotVerified(did, root);
      _verifyQuorum(did, st, Eip712Attestation.batchHash(did, root), signatures);
      s_batchRoots[did][root] = st.signerEpoch;
      emit RwaReceiver.BatchRootVerified(did, root, st.signerEpoch);
    }
    // Every item checked against the root before any applies, by the verifier (its code is kept out of this
    // contract's runtime): it takes this call's own arguments and returns how many items there are.
    uint256 n = _verifyBatch();
    _applyBatchItems(did, items, n, st);
  }

  /// @dev RwaBatchVerifier.verifyBatch on this call's arguments (a static call: it changes nothing); its revert
  /// (the item at fault) is this call's revert.
  function _verifyBatch() private view returns (uint256 n) {
    address v = i_batchVerifier;
    bytes4 selector = RwaBatchVerifier.verifyBatch.selector;
    assembly ("memory-safe") {
      let ptr := mload(0x40)
      mstore(ptr, selector)
      calldatacopy(add(ptr, 4), 4, sub(calldatasize(), 4))
      if iszero(staticcall(gas(), v, ptr, calldatasize(), 0x00, 0x20)) {
        returndatacopy(ptr, 0, returndatasize())
        revert(ptr, returndatasize())
      }
      n := mload(0x00)
    }
  }

  /// @dev The DID's nonce bitmap word (s_usedNonces) the batch is marking: read once, and written back once when the
  /// items move on to another word and at the end, instead of a read and a write per item. Nothing an item's apply
  /// calls reads the bitmap, and a revert undoes the whole call, so the deferred write is never observed.
  struct NonceWord {
    uint256 slot;
    uint256 index;
    uint256 bits;
  }

  /// @dev The `n` checked items in order.
  function _applyBatchItems(bytes32 did, bytes calldata items, uint256 n, RwaReceiver.DidState memory st) internal {
    // index: no real word (a nonce >> 8 is below 2^56), so the first item loads its word.
    NonceWord memory w = NonceWord(0, type(uint256).max, 0);
    uint256 free;
    assembly ("memory-safe") {
      free := mload(0x40)
    }
    uint256 at;
    for (uint256 i; i < n; ++i) {
      at += _applyBatchItem(did, items[at:], i, st, w);
      // Nothing an item allocated outlives it: its memory is reused by the next (saves the growth of 64 items).
      assembly ("memory-safe") {
        mstore(0x40, free)
      }
    }
    _storeNonceWord(w);
  }

  /// @dev Marks `nonce` in `w` (loading its word first, after storing the one held); false when it was marked already
  /// (an earlier call applied it, or it came earlier in this call).
  function _markNonce(bytes32 did, uint64 nonce, NonceWord memory w) private returns (bool fresh) {
    uint256 index = nonce >> 8;
    if (index != w.index) {
      _storeNonceWord(w);
      uint256 slot = _nonceWordSlot(did, nonce);
      uint256 bits;
      assembly ("memory-safe") {
        bits := sload(slot)
      }
      (w.slot, w.index, w.bits) = (slot, index, bits);
    }
    uint256 bit = 1 << (nonce & 0xff);
    fresh = w.bits & bit == 0;
    w.bits |= bit;
  }

  function _storeNonceWord(NonceWord memory w) private {
    (uint256 slot, uint256 bits) = (w.slot, w.bits);
    // slot 0: no word loaded (a mapping slot is a keccak256, never 0).
    if (slot != 0) {
      assembly ("memory-safe") {
        sstore(slot, bits)
      }
    }
  }

  /// @dev The item the verifier checked at the start of `item` (which runs on to the end of the items): the brakes'
  /// line, the nonce (skipped when used), then the apply. Returns the item's length.
  function _applyBatchItem(
    bytes32 did,
    bytes calldata item,
    uint256 i,
    RwaReceiver.DidState memory st,
    NonceWord memory w
  ) internal returns (uint256 length) {
    AttestationCodec.Header memory h = BatchItems.headerOf(did, item);
    bool settlement = h.kind == AttestationCodec.KIND_SETTLEMENT;
    // The verifier admitted settlements and NAV only.
    length = settlement ? BatchItems.SETTLEMENT_ITEM_LENGTH : BatchItems.NAV_ITEM_LENGTH;
    uint8 large = st.brakes & BrakeBucket.LARGE_THRESHOLD_MASK;
    if (settlement && large != 0) {
      (uint8 settlementKind, uint256 amount) = BatchItems.lineInputsOf(item);
      _refuseLargeInBatch(did, large, settlementKind, amount);
    }
    if (!_markNonce(did, h.nonce, w)) {
      emit RwaReceiver.BatchItemSkipped(did, h.nonce, i);
      return length;
    }
    if (settlement) _applySettlement(h, BatchItems.settlementOf(item), st);
    else _applyNav(h, BatchItems.navOf(item));
  }
}
