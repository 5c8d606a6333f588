// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Merkle proofs of a batch root (RwaReceiver.receiveBatch), the same tree as OpenZeppelin's MerkleProof and
/// the oracle's batch builder: a leaf is keccak256(keccak256(message)) (double-hashed, so no 64-byte inner node is
/// ever a leaf), and each pair is hashed in sorted order. Written in assembly over scratch space: no memory is
/// allocated per item, which matters across the 64 items of a batch.
library BatchProof {
  /// @dev keccak256(bytes.concat(keccak256(message))).
  function leafOf(bytes calldata message) internal pure returns (bytes32 leaf) {
    assembly ("memory-safe") {
      // Hashed at the free memory pointer without moving it: the copy is scratch, dead after this block.
      let ptr := mload(0x40)
      calldatacopy(ptr, message.offset, message.length)
      mstore(0x00, keccak256(ptr, message.length))
      leaf := keccak256(0x00, 0x20)
    }
  }

  /// @dev The root that `proof` leads to from `leaf` (equal to MerkleProof.processProofCalldata).
  function rootOf(bytes32[] calldata proof, bytes32 leaf) internal pure returns (bytes32 node) {
    assembly ("memory-safe") {
      node := leaf
      let end := add(proof.offset, shl(5, proof.length))
      for { let p := proof.offset } lt(p, end) { p := add(p, 0x20) } {
        let sibling := calldataload(p)
        switch lt(sibling, node)
        case 0 {
          mstore(0x00, node)
          mstore(0x20, sibling)
        }
        default {
          mstore(0x00, sibling)
          mstore(0x20, node)
        }
        node := keccak256(0x00, 0x40)
      }
    }
  }
}
