// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "./AttestationCodec.sol";

/// @notice EIP-712 struct hashes of the committee's attestations. Type strings are defined once in schemas/eip712.ts;
/// the golden vectors in schemas/vectors.json pin these hashes for TypeScript and Solidity alike.
/// Settlement and NAV have typed fields (what custodians and auditors read); config, allow-list, pause and reserve
/// sign their packed body as `bytes` under `AdminAttestation`, decoded by AdminCodec and RedemptionCodec.
library Eip712Attestation {
  bytes32 internal constant SETTLEMENT_TYPEHASH = keccak256(
    "SettlementAttestation(bytes32 did,uint64 nonce,uint8 settlementKind,bytes32 settlementRef,address investor,uint256 amount,bytes32 cashLegRef,uint64 settledAt,uint64 peerChainId)"
  );
  bytes32 internal constant NAV_TYPEHASH = keccak256("NavAttestation(bytes32 did,uint64 nonce,uint256 nav,uint64 asOf)");
  bytes32 internal constant ADMIN_TYPEHASH = keccak256("AdminAttestation(bytes32 did,uint64 nonce,uint8 kind,bytes body)");
  bytes32 internal constant BATCH_TYPEHASH = keccak256("AttestationBatch(bytes32 did,bytes32 root)");
  bytes32 internal constant DOMAIN_TYPEHASH =
    keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  bytes32 internal constant NAME_HASH = keccak256("RWA Settlement Oracle");
  bytes32 internal constant VERSION_HASH = keccak256("1");

  function domainSeparator(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
    return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, chainId, verifyingContract));
  }

  function settlementHash(AttestationCodec.Header memory h, AttestationCodec.Settlement memory s)
    internal
    pure
    returns (bytes32)
  {
    return keccak256(
      abi.encode(
        SETTLEMENT_TYPEHASH,
        h.did,
        h.nonce,
        s.settlementKind,
        s.settlementRef,
        s.investor,
        s.amount,
        s.cashLegRef,
        s.settledAt,
        s.peerChainId
      )
    );
  }

  /// @dev settlementHash of a settlement message's own fields, read straight from calldata into the free memory (no
  /// decode, no allocation). The layout is AttestationCodec's; the golden vectors and a fuzz test pin it equal to
  /// settlementHash(decodeHeader(m), decodeSettlement(m)).
  function settlementHashOf(bytes calldata message) internal pure returns (bytes32 hash) {
    if (message.length != AttestationCodec.SETTLEMENT_LENGTH) {
      revert AttestationCodec.InvalidMessageLength(message.length, AttestationCodec.SETTLEMENT_LENGTH);
    }
    bytes32 typehash = SETTLEMENT_TYPEHASH;
    assembly ("memory-safe") {
      let o := message.offset
      let m := mload(0x40)
      mstore(m, typehash)
      mstore(add(m, 0x20), calldataload(add(o, 2))) // did
      mstore(add(m, 0x40), shr(192, calldataload(add(o, 34)))) // nonce
      mstore(add(m, 0x60), shr(248, calldataload(add(o, 42)))) // settlementKind
      mstore(add(m, 0x80), calldataload(add(o, 43))) // settlementRef
      mstore(add(m, 0xa0), shr(96, calldataload(add(o, 75)))) // investor
      mstore(add(m, 0xc0), calldataload(add(o, 95))) // amount
      mstore(add(m, 0xe0), calldataload(add(o, 127))) // cashLegRef
      mstore(add(m, 0x100), shr(192, calldataload(add(o, 159)))) // settledAt
      mstore(add(m, 0x120), shr(192, calldataload(add(o, 167)))) // peerChainId
      hash := keccak256(m, 0x140)
    }
  }

  function navHash(AttestationCodec.Header memory h, AttestationCodec.Nav memory n) internal pure returns (bytes32) {
    return keccak256(abi.encode(NAV_TYPEHASH, h.did, h.nonce, n.nav, n.asOf));
  }

  function adminHash(AttestationCodec.Header memory h, bytes calldata body) internal pure returns (bytes32) {
    return keccak256(abi.encode(ADMIN_TYPEHASH, h.did, h.nonce, h.kind, keccak256(body)));
  }

  function batchHash(bytes32 did, bytes32 root) internal pure returns (bytes32) {
    return keccak256(abi.encode(BATCH_TYPEHASH, did, root));
  }

  function digest(bytes32 separator, bytes32 structHash) internal pure returns (bytes32 d) {
    // keccak256("\x19\x01" ‖ domainSeparator ‖ structHash) without an intermediate bytes allocation.
    assembly ("memory-safe") {
      let ptr := mload(0x40)
      mstore(ptr, hex"1901")
      mstore(add(ptr, 0x02), separator)
      mstore(add(ptr, 0x22), structHash)
      d := keccak256(ptr, 0x42)
    }
  }
}
