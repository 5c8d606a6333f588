// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {BatchProof} from "../../src/libraries/BatchProof.sol";
import {Eip712Attestation} from "../../src/libraries/Eip712Attestation.sol";

/// @dev Exposes BatchProof on calldata, as RwaReceiver.receiveBatch uses it.
contract BatchProofHarness {
  function rootFor(bytes calldata message, bytes32[] calldata proof) external pure returns (bytes32) {
    return BatchProof.rootOf(proof, BatchProof.leafOf(message));
  }

  function batchDigest(uint256 chainId, address receiver, bytes32 did, bytes32 root) external pure returns (bytes32) {
    return Eip712Attestation.digest(Eip712Attestation.domainSeparator(chainId, receiver), Eip712Attestation.batchHash(did, root));
  }
}

/// @notice The oracle's batch trees (core/batch-tree.ts, via schemas/batch-vectors.json: sizes 1..17 and 64) are the
/// trees the receiver verifies: every message's proof leads BatchProof to the TypeScript root, and the root's
/// AttestationBatch digest is the one the committee signs.
contract BatchProofVectorsTest is Test {
  BatchProofHarness internal harness = new BatchProofHarness();

  function test_batchVectors_EveryProofLeadsToTheRoot() public view {
    string memory json = vm.readFile("schemas/batch-vectors.json");
    uint256 chainId = vm.parseJsonUint(json, ".chainId");
    address receiver = vm.parseJsonAddress(json, ".receiver");
    bytes32 did = vm.parseJsonBytes32(json, ".did");
    uint256 count = vm.parseJsonUint(json, ".count");
    assertGt(count, 0, "no trees");
    uint256 checked;
    for (uint256 t; t < count; ++t) {
      string memory base = string.concat(".trees[", vm.toString(t), "]");
      bytes32 root = vm.parseJsonBytes32(json, string.concat(base, ".root"));
      uint256 size = vm.parseJsonUint(json, string.concat(base, ".size"));
      assertEq(harness.batchDigest(chainId, receiver, did, root), vm.parseJsonBytes32(json, string.concat(base, ".digest")), "digest");
      for (uint256 i; i < size; ++i) {
        string memory item = string.concat("[", vm.toString(i), "]");
        bytes memory message = vm.parseJsonBytes(json, string.concat(base, ".messages", item));
        bytes32[] memory proof = size == 1 ? new bytes32[](0) : vm.parseJsonBytes32Array(json, string.concat(base, ".proofs", item));
        assertEq(harness.rootFor(message, proof), root, string.concat("tree ", vm.toString(size), " item ", vm.toString(i)));
        ++checked;
      }
    }
    assertEq(checked, 217, "every item of sizes 1..17 and 64");
  }

  function test_batchVectors_AnotherMessageMissesTheRoot() public view {
    string memory json = vm.readFile("schemas/batch-vectors.json");
    string memory base = ".trees[4]";
    bytes32 root = vm.parseJsonBytes32(json, string.concat(base, ".root"));
    bytes32[] memory proof = vm.parseJsonBytes32Array(json, string.concat(base, ".proofs[0]"));
    bytes memory other = vm.parseJsonBytes(json, string.concat(base, ".messages[1]"));
    assertTrue(harness.rootFor(other, proof) != root, "a proof is for its own message only");
  }
}
