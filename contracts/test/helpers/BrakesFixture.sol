// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {AttestationFixture} from "./AttestationFixture.sol";

/// @notice AttestationFixture plus the brakes (kind 14): an encoder restated from BrakesCodec's byte table, a setter
/// signed by the DID committee, and settlement delivery with the whole committee (3 of 3, the large threshold).
abstract contract BrakesFixture is AttestationFixture {
  uint8 internal constant KIND_BRAKES = 14;
  uint8 internal constant MINT = 0;
  uint8 internal constant BURN = 1;
  uint8 internal constant LARGE_THRESHOLD = 3;

  struct BrakesAtt {
    bytes32 did;
    uint64 nonce;
    uint64 chainId;
    uint128 mintCapacity;
    uint128 mintRefillPerSecond;
    uint128 burnCapacity;
    uint128 burnRefillPerSecond;
    uint128 largeAmount;
    uint8 largeThreshold;
  }

  function encodeBrakes(BrakesAtt memory b) internal pure returns (bytes memory) {
    return abi.encodePacked(
      uint8(1),
      KIND_BRAKES,
      b.did,
      b.nonce,
      b.chainId,
      b.mintCapacity,
      b.mintRefillPerSecond,
      b.burnCapacity,
      b.burnRefillPerSecond,
      b.largeAmount,
      b.largeThreshold
    );
  }

  /// @dev Brakes for the main DID on this chain with the next admin nonce.
  function brakesAtt(uint128 mintCap, uint128 mintRefill, uint128 burnCap, uint128 burnRefill, uint128 line, uint8 large)
    internal
    returns (BrakesAtt memory)
  {
    return BrakesAtt({
      did: DID,
      nonce: nextAdminNonce(receiver, DID),
      chainId: uint64(block.chainid),
      mintCapacity: mintCap,
      mintRefillPerSecond: mintRefill,
      burnCapacity: burnCap,
      burnRefillPerSecond: burnRefill,
      largeAmount: line,
      largeThreshold: large
    });
  }

  function setBrakes(uint128 mintCap, uint128 mintRefill, uint128 burnCap, uint128 burnRefill, uint128 line, uint8 large)
    internal
  {
    deliverAdmin(encodeBrakes(brakesAtt(mintCap, mintRefill, burnCap, burnRefill, line, large)));
  }

  /// @dev All three committee keys: the signatures a settlement above the line needs.
  function deliverLarge(SettlementAtt memory a) internal {
    bytes memory sigs = signSorted(digestOf(a), committeeKeys);
    vm.prank(relayer);
    receiver.receiveMessage(encodeSettlement(a), sigs);
  }

  function queueLength(uint8 direction) internal view returns (uint256) {
    (uint64 head, uint64 tail) = receiver.queuedOf(DID, direction);
    return tail - head;
  }
}
