// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../RwaReceiver.sol";

/// @notice Recovery of the signers of a quorum: `n` 65-byte (r, s, v) signatures packed back to back, by strictly
/// ascending signer. Shared by the receiver (committee quorums, receiver/RwaReceiverVerification.sol) and
/// RwaBrakesModule (guardians' curse and uncurse, run by delegatecall as the receiver). Its errors are RwaReceiver's,
/// whichever part refused (the module names them here only: it never creates or calls the receiver).
library QuorumSignatures {
  /// @dev secp256k1n / 2: signatures with a higher s are the malleated twin of a valid one.
  uint256 internal constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

  /// @dev Reverts unless `signatures` holds exactly `n` signatures.
  function requireCount(bytes calldata signatures, uint256 n) internal pure {
    if (signatures.length != n * 65) revert RwaReceiver.InvalidSignatureCount(signatures.length, n * 65);
  }

  /// @dev The signer of signature `i` over `digest`, which must be above `last` (the signer of signature i - 1, or 0).
  function nextSigner(bytes32 digest, bytes calldata signatures, uint256 i, address last)
    internal
    view
    returns (address signer)
  {
    signer = recover(digest, signatures, i);
    if (signer <= last) revert RwaReceiver.SignersNotAscending(i);
  }

  /// @dev The signer of signature `i`: low-s and v in {27, 28} only, so each signer has exactly one valid signature
  /// per digest; a signature that recovers no address is refused. Reads r, s and v straight from calldata (one word
  /// each) after one bounds check, and calls the ecrecover precompile in the free memory without allocating.
  function recover(bytes32 digest, bytes calldata signatures, uint256 i) internal view returns (address signer) {
    // i < n and the length n * 65 were checked by the caller in a quorum loop; checked again here, for any caller.
    if (signatures.length / 65 <= i) revert RwaReceiver.InvalidSignature(i);
    bytes32 r;
    uint256 s;
    uint256 v;
    assembly ("memory-safe") {
      let p := add(signatures.offset, mul(i, 65))
      r := calldataload(p)
      s := calldataload(add(p, 0x20))
      v := byte(0, calldataload(add(p, 0x40)))
    }
    if (s > HALF_ORDER || (v != 27 && v != 28)) revert RwaReceiver.InvalidSignature(i);
    assembly ("memory-safe") {
      let m := mload(0x40)
      mstore(m, digest)
      mstore(add(m, 0x20), v)
      mstore(add(m, 0x40), r)
      mstore(add(m, 0x60), s)
      // The precompile returns nothing when no key recovers: the zeroed word then reads as address(0).
      mstore(0x00, 0)
      pop(staticcall(gas(), 1, m, 0x80, 0x00, 0x20))
      signer := mload(0x00)
    }
    if (signer == address(0)) revert RwaReceiver.InvalidSignature(i);
  }
}
