// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "./AttestationCodec.sol";

/// @notice The items of a Merkle batch (RwaReceiver.receiveBatch) as they travel: the batch's messages packed back to
/// back, each without its DID (the call names the DID once; every leaf of a root is of that DID). Only settlements and
/// NAV may be batched, so an item's kind gives its length. Encoded by core/batch-tree.ts (packBatchItems); pinned by
/// schemas/batch-vectors.json.
///
/// Item = the message (AttestationCodec) minus its bytes 2..34 (the DID):
///   offset  size  field
///   0       1     version        = 1
///   1       1     kind           1 settlement (143 bytes in all), 2 NAV (50 bytes in all)
///   2       8     nonce
///   10      ...   the kind's fields, as in AttestationCodec at their offset there minus 32
///
/// The leaf of an item is the leaf of its message, keccak256(keccak256(message)) (BatchProof.leafOf): the message is
/// rebuilt in scratch memory with the DID put back, so the committee's tree is unchanged. A root over every item of a
/// call is recomputed from the leaves (`rootOf`): the same tree as core/batch-tree.ts, so such a call needs no proofs.
library BatchItems {
  uint256 internal constant DID_LENGTH = 32;
  uint256 internal constant SETTLEMENT_ITEM_LENGTH = AttestationCodec.SETTLEMENT_LENGTH - DID_LENGTH;
  uint256 internal constant NAV_ITEM_LENGTH = AttestationCodec.NAV_LENGTH - DID_LENGTH;

  /// @dev The length of the item of `kind`, 0 for a kind a batch may not carry.
  function lengthOf(uint8 kind) internal pure returns (uint256) {
    if (kind == AttestationCodec.KIND_SETTLEMENT) return SETTLEMENT_ITEM_LENGTH;
    if (kind == AttestationCodec.KIND_NAV) return NAV_ITEM_LENGTH;
    return 0;
  }

  /// @dev keccak256(keccak256(message)) of the message `item` stands for (the DID put back at byte 2). Scratch memory
  /// at the free memory pointer, which is not moved: nothing is allocated per item.
  function leafOf(bytes32 did, bytes calldata item) internal pure returns (bytes32 leaf) {
    assembly ("memory-safe") {
      let ptr := mload(0x40)
      calldatacopy(ptr, item.offset, 2)
      mstore(add(ptr, 2), did)
      calldatacopy(add(ptr, 34), add(item.offset, 2), sub(item.length, 2))
      mstore(0x00, keccak256(ptr, add(item.length, 32)))
      leaf := keccak256(0x00, 0x20)
    }
  }

  /// @dev The root of the tree whose leaves are `leaves` in order (pairs hashed sorted, the last node of an odd level
  /// moves up unchanged: core/batch-tree.ts). Overwrites `leaves` level by level. Needs at least one leaf.
  function rootOf(bytes32[] memory leaves) internal pure returns (bytes32 root) {
    assembly ("memory-safe") {
      let base := add(leaves, 0x20)
      for { let n := mload(leaves) } gt(n, 1) {} {
        let half := shr(1, n)
        // Node j of the next level from nodes 2j and 2j + 1: written at j, never before both are read.
        for { let j := 0 } lt(j, half) { j := add(j, 1) } {
          let a := mload(add(base, shl(6, j)))
          let b := mload(add(base, add(shl(6, j), 0x20)))
          switch lt(b, a)
          case 0 {
            mstore(0x00, a)
            mstore(0x20, b)
          }
          default {
            mstore(0x00, b)
            mstore(0x20, a)
          }
          mstore(add(base, shl(5, j)), keccak256(0x00, 0x40))
        }
        if and(n, 1) { mstore(add(base, shl(5, half)), mload(add(base, shl(5, sub(n, 1))))) }
        n := add(half, and(n, 1))
      }
      root := mload(base)
    }
  }

  /// @dev Kind and nonce of an item whose length the caller checked for its kind; the DID is the batch's.
  function headerOf(bytes32 did, bytes calldata item) internal pure returns (AttestationCodec.Header memory h) {
    h.did = did;
    assembly ("memory-safe") {
      mstore(h, shr(248, calldataload(add(item.offset, 1))))
      mstore(add(h, 0x40), shr(192, calldataload(add(item.offset, 2))))
    }
  }

  /// @dev A settlement item (SETTLEMENT_ITEM_LENGTH bytes, checked by the caller).
  function settlementOf(bytes calldata item) internal pure returns (AttestationCodec.Settlement memory s) {
    assembly ("memory-safe") {
      let o := item.offset
      mstore(s, shr(248, calldataload(add(o, 10))))
      mstore(add(s, 0x20), calldataload(add(o, 11)))
      mstore(add(s, 0x40), shr(96, calldataload(add(o, 43))))
      mstore(add(s, 0x60), calldataload(add(o, 63)))
      mstore(add(s, 0x80), calldataload(add(o, 95)))
      mstore(add(s, 0xa0), shr(192, calldataload(add(o, 127))))
      mstore(add(s, 0xc0), shr(192, calldataload(add(o, 135))))
    }
  }

  /// @dev The settlement kind and amount of a settlement item: what the brakes' amount line reads.
  function lineInputsOf(bytes calldata item) internal pure returns (uint8 settlementKind, uint256 amount) {
    assembly ("memory-safe") {
      settlementKind := shr(248, calldataload(add(item.offset, 10)))
      amount := calldataload(add(item.offset, 63))
    }
  }

  /// @dev A NAV item (NAV_ITEM_LENGTH bytes, checked by the caller).
  function navOf(bytes calldata item) internal pure returns (AttestationCodec.Nav memory n) {
    assembly ("memory-safe") {
      mstore(n, calldataload(add(item.offset, 10)))
      mstore(add(n, 0x20), shr(192, calldataload(add(item.offset, 42))))
    }
  }
}
