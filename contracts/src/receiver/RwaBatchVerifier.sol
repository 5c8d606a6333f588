// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {BatchItems} from "../libraries/BatchItems.sol";
import {BatchProof} from "../libraries/BatchProof.sol";

/// @notice The Merkle side of RwaReceiver.receiveBatch, kept out of the receiver's runtime (EIP-170): the receiver
/// static-calls it with receiveBatch's own arguments before applying anything. Stateless and pure; the receiver
/// creates it. It checks every item's framing (libraries/BatchItems.sol) and that the items belong to the root: without
/// proofs they must be every leaf of the root in the tree's order (the root is recomputed from them, so the call pays
/// no proof bytes), with proofs each item's proof must lead to the root.
contract RwaBatchVerifier {
  /// @dev RwaReceiver's errors, restated (same selectors): the receiver reverts with this contract's revert data.
  error InvalidMerkleProof(uint256 index);
  error BatchRootMismatch(bytes32 did, bytes32 root);
  error InvalidBatchItem(uint256 index);
  error KindNotAllowedInBatch(uint256 index, uint8 kind);
  error BatchLengthMismatch(uint256 messages, uint256 signatures);

  /// @notice Reverts with the first fault (naming the item at fault where there is one); else returns the number of
  /// items. The signatures are the receiver's business (unused here).
  /// @return n how many items `items` holds.
  function verifyBatch(bytes32 did, bytes32 root, bytes calldata, bytes calldata items, bytes32[][] calldata proofs)
    external
    pure
    returns (uint256 n)
  {
    bytes32[] memory leaves = new bytes32[](items.length / BatchItems.NAV_ITEM_LENGTH + 1);
    for (uint256 o; o < items.length; ++n) {
      bytes calldata item = _itemAt(items, o, n);
      leaves[n] = BatchItems.leafOf(did, item);
      o += item.length;
    }
    if (proofs.length == 0) {
      assembly ("memory-safe") {
        mstore(leaves, n)
      }
      if (n != 0 && BatchItems.rootOf(leaves) != root) revert BatchRootMismatch(did, root);
    } else {
      if (proofs.length != n) revert BatchLengthMismatch(n, proofs.length);
      for (uint256 i; i < n; ++i) {
        if (BatchProof.rootOf(proofs[i], leaves[i]) != root) revert InvalidMerkleProof(i);
      }
    }
  }

  /// @dev Item `i` of `items`, at byte `o`: its version, a kind a batch may carry, and its length inside `items`.
  function _itemAt(bytes calldata items, uint256 o, uint256 i) private pure returns (bytes calldata) {
    if (items.length < o + 2) revert InvalidBatchItem(i);
    uint8 kind = uint8(items[o + 1]);
    uint256 len = BatchItems.lengthOf(kind);
    if (len == 0) revert KindNotAllowedInBatch(i, kind);
    if (items.length < o + len || uint8(items[o]) != AttestationCodec.VERSION) revert InvalidBatchItem(i);
    return items[o:o + len];
  }
}
