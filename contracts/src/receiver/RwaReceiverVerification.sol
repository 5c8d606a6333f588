// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {Eip712Attestation} from "../libraries/Eip712Attestation.sol";
import {QuorumSignatures} from "./QuorumSignatures.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaReceiverExpiry} from "./RwaReceiverExpiry.sol";

/// @notice RwaReceiver's checks before an apply: the EIP-712 struct hash of a message, the quorum of its signers
/// (low-s, strictly ascending, current epoch, set not past its end) and the replay bitmap of nonces.
abstract contract RwaReceiverVerification is RwaReceiverExpiry {
  function _structHash(AttestationCodec.Header memory h, bytes calldata message) internal pure returns (bytes32) {
    if (h.kind == AttestationCodec.KIND_SETTLEMENT) {
      // From calldata: the settlement is decoded once, by its apply.
      return Eip712Attestation.settlementHashOf(message);
    }
    if (h.kind == AttestationCodec.KIND_NAV) return Eip712Attestation.navHash(h, AttestationCodec.decodeNav(message));
    return Eip712Attestation.adminHash(h, AttestationCodec.body(message));
  }

  function _verifyQuorum(bytes32 key, RwaReceiver.DidState memory st, bytes32 structHash, bytes calldata signatures) internal view {
    if (block.timestamp > st.signersValidUntil) revert RwaReceiver.SignerSetExpired(key, st.signersValidUntil);
    uint256 threshold = st.threshold;
    QuorumSignatures.requireCount(signatures, threshold);
    bytes32 digest = Eip712Attestation.digest(_domainSeparator(), structHash);
    // The inner mapping's slot is hashed once for every signer.
    mapping(address signer => uint32 epoch) storage epochs = s_signerEpoch[key];
    uint32 epoch = st.signerEpoch;
    address last;
    for (uint256 i; i < threshold; ++i) {
      address signer = QuorumSignatures.nextSigner(digest, signatures, i, last);
      if (epochs[signer] != epoch) revert RwaReceiver.UnauthorizedSigner(signer);
      last = signer;
    }
  }

  function _useNonce(bytes32 did, uint64 nonce) internal {
    uint256 slot = _nonceWordSlot(did, nonce);
    uint256 bit = 1 << (nonce & 0xff);
    uint256 bits;
    assembly ("memory-safe") {
      bits := sload(slot)
    }
    if (bits & bit != 0) revert RwaReceiver.NonceAlreadyUsed(did, nonce);
    assembly ("memory-safe") {
      sstore(slot, or(bits, bit))
    }
  }

  function _isNonceUsed(bytes32 did, uint64 nonce) internal view returns (bool used) {
    uint256 slot = _nonceWordSlot(did, nonce);
    uint256 bits;
    assembly ("memory-safe") {
      bits := sload(slot)
    }
    used = bits & (1 << (nonce & 0xff)) != 0;
  }

  /// @dev The storage slot of s_usedNonces[did][nonce >> 8], hashed once (Solidity's own mapping layout) for the
  /// read and the write.
  function _nonceWordSlot(bytes32 did, uint64 nonce) internal pure returns (uint256 slot) {
    assembly ("memory-safe") {
      mstore(0x00, did)
      mstore(0x20, s_usedNonces.slot)
      mstore(0x20, keccak256(0x00, 0x40))
      mstore(0x00, shr(8, nonce))
      slot := keccak256(0x00, 0x40)
    }
  }

  function _domainSeparator() internal view returns (bytes32) {
    // Recomputed only on a chain fork, where the cached separator would let a message verify on both forks.
    if (block.chainid == i_chainId) return i_domainSeparator;
    return Eip712Attestation.domainSeparator(block.chainid, address(this));
  }
}
