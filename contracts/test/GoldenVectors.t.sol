// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {AttestationCodec} from "../src/libraries/AttestationCodec.sol";
import {BuyBackCodec} from "../src/libraries/BuyBackCodec.sol";
import {Eip712Attestation} from "../src/libraries/Eip712Attestation.sol";
import {BrakesCodec} from "../src/libraries/BrakesCodec.sol";

/// @dev Exposes the codec on calldata, as the receiver uses it.
contract CodecHarness {
  error SettlementHashesDiffer(bytes32 fromCalldata);

  function hashes(bytes calldata message, uint256 chainId, address receiver)
    external
    pure
    returns (bytes32 structHash, bytes32 digest, bytes32 separator)
  {
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    if (h.kind == AttestationCodec.KIND_SETTLEMENT) {
      // The receiver hashes a settlement straight from calldata; the typed hash must agree with it on every vector.
      structHash = Eip712Attestation.settlementHashOf(message);
      if (Eip712Attestation.settlementHash(h, AttestationCodec.decodeSettlement(message)) != structHash) {
        revert SettlementHashesDiffer(structHash);
      }
    } else if (h.kind == AttestationCodec.KIND_NAV) {
      structHash = Eip712Attestation.navHash(h, AttestationCodec.decodeNav(message));
    } else {
      // A move end is signed like an admin kind; decoding it checks its exact length (MOVE_END_LENGTH) too.
      if (h.kind == AttestationCodec.KIND_MOVE_VOID || h.kind == AttestationCodec.KIND_MOVE_RETURN) {
        AttestationCodec.decodeMoveEnd(message);
      }
      // A buy-back report decodes too (its floor fields are checked there).
      if (h.kind == AttestationCodec.KIND_BUYBACK_REPORT) BuyBackCodec.decode(message, h.nonce);
      if (h.kind == AttestationCodec.KIND_BRAKES) BrakesCodec.decodeBrakes(message);
      structHash = Eip712Attestation.adminHash(h, AttestationCodec.body(message));
    }
    separator = Eip712Attestation.domainSeparator(chainId, receiver);
    digest = Eip712Attestation.digest(separator, structHash);
  }
}

/// @notice The TypeScript encoder (schemas/message.ts, via schemas/vectors.json) and the Solidity decoder agree on
/// every byte and every EIP-712 hash.
contract GoldenVectorsTest is Test {
  CodecHarness internal harness = new CodecHarness();

  function test_goldenVectors_MatchTypeScript() public view {
    string memory json = vm.readFile("schemas/vectors.json");
    uint256 chainId = vm.parseJsonUint(json, ".chainId");
    address receiver = vm.parseJsonAddress(json, ".receiver");
    bytes32 expectedSeparator = vm.parseJsonBytes32(json, ".domainSeparator");
    uint256 count = vm.parseJsonUint(json, ".count");
    assertGt(count, 0, "no vectors");
    for (uint256 i; i < count; ++i) {
      string memory base = string.concat(".vectors[", vm.toString(i), "]");
      bytes memory message = vm.parseJsonBytes(json, string.concat(base, ".message"));
      (bytes32 structHash, bytes32 digest, bytes32 separator) = harness.hashes(message, chainId, receiver);
      assertEq(separator, expectedSeparator, "domain separator");
      assertEq(structHash, vm.parseJsonBytes32(json, string.concat(base, ".structHash")), "struct hash");
      assertEq(digest, vm.parseJsonBytes32(json, string.concat(base, ".digest")), "digest");
    }
  }
}
