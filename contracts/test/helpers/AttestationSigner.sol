// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";

/// @notice Builds v1 attestations and signs them like the oracle committee does. Everything here is restated from
/// the wire layout in AttestationCodec's header and from the EIP-712 type strings, without importing the contract
/// libraries, so a layout or hashing slip in contracts/src shows up as a failing test instead of cancelling out.
/// Used by the unit/fuzz fixtures and by the invariant handler (which cannot inherit Test).
abstract contract AttestationSigner is CommonBase {
  // ---- wire layout (AttestationCodec v1) ----
  uint8 internal constant V1 = 1;
  uint8 internal constant KIND_SETTLEMENT = 1;
  uint8 internal constant KIND_NAV = 2;
  uint8 internal constant SUBSCRIPTION = 1;
  uint8 internal constant REDEMPTION = 2;
  uint256 internal constant HEADER_LEN = 42;
  uint256 internal constant SETTLEMENT_LEN = 167;
  uint256 internal constant NAV_LEN = 82;

  // ---- EIP-712 ----
  bytes32 internal constant DOMAIN_TYPEHASH_ =
    keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  bytes32 internal constant SETTLEMENT_TYPEHASH_ = keccak256(
    "SettlementAttestation(bytes32 did,uint64 nonce,uint8 settlementKind,bytes32 settlementRef,address investor,uint256 amount,bytes32 cashLegRef,uint64 settledAt)"
  );
  bytes32 internal constant NAV_TYPEHASH_ = keccak256("NavAttestation(bytes32 did,uint64 nonce,uint256 nav,uint64 asOf)");
  string internal constant DOMAIN_NAME = "RWA Settlement Oracle";
  string internal constant DOMAIN_VERSION = "1";

  // ---- secp256k1 ----
  uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
  uint256 internal constant SECP256K1_HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

  struct SettlementAtt {
    bytes32 did;
    uint64 nonce;
    uint8 settlementKind;
    bytes32 settlementRef;
    address investor;
    uint256 amount;
    bytes32 cashLegRef;
    uint64 settledAt;
  }

  struct NavAtt {
    bytes32 did;
    uint64 nonce;
    uint256 nav;
    uint64 asOf;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Encoding: abi.encodePacked of the fields in layout order (uint8 = 1 byte, uint64 = 8, address = 20, 32-byte words)
  // ---------------------------------------------------------------------------------------------------------------

  function encodeSettlement(SettlementAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(
      V1,
      KIND_SETTLEMENT,
      a.did,
      a.nonce,
      a.settlementKind,
      a.settlementRef,
      a.investor,
      a.amount,
      a.cashLegRef,
      a.settledAt
    );
  }

  function encodeNav(NavAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(V1, KIND_NAV, a.did, a.nonce, a.nav, a.asOf);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // EIP-712 digests
  // ---------------------------------------------------------------------------------------------------------------

  function domainSeparatorFor(uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
    return keccak256(
      abi.encode(
        DOMAIN_TYPEHASH_, keccak256(bytes(DOMAIN_NAME)), keccak256(bytes(DOMAIN_VERSION)), chainId, verifyingContract
      )
    );
  }

  function settlementStructHash(SettlementAtt memory a) internal pure returns (bytes32) {
    return keccak256(
      abi.encode(
        SETTLEMENT_TYPEHASH_,
        a.did,
        a.nonce,
        a.settlementKind,
        a.settlementRef,
        a.investor,
        a.amount,
        a.cashLegRef,
        a.settledAt
      )
    );
  }

  function navStructHash(NavAtt memory a) internal pure returns (bytes32) {
    return keccak256(abi.encode(NAV_TYPEHASH_, a.did, a.nonce, a.nav, a.asOf));
  }

  function typedDigest(bytes32 separator, bytes32 structHash) internal pure returns (bytes32) {
    return keccak256(abi.encodePacked("\x19\x01", separator, structHash));
  }

  function settlementDigest(SettlementAtt memory a, uint256 chainId, address verifyingContract)
    internal
    pure
    returns (bytes32)
  {
    return typedDigest(domainSeparatorFor(chainId, verifyingContract), settlementStructHash(a));
  }

  function navDigest(NavAtt memory a, uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
    return typedDigest(domainSeparatorFor(chainId, verifyingContract), navStructHash(a));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Keys and signatures
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev `n` deterministic private keys derived from `salt`, sorted by ascending signer address.
  function deriveKeys(uint256 n, uint256 salt) internal pure returns (uint256[] memory keys) {
    keys = new uint256[](n);
    for (uint256 i; i < n; ++i) {
      keys[i] = (uint256(keccak256(abi.encode("rwa-committee-key", salt, i))) % (SECP256K1_N - 1)) + 1;
    }
    sortKeysByAddress(keys);
  }

  /// @dev In-place insertion sort of private keys by their address (strictly increasing for distinct keys).
  function sortKeysByAddress(uint256[] memory keys) internal pure {
    for (uint256 i = 1; i < keys.length; ++i) {
      uint256 k = keys[i];
      address a = vm.addr(k);
      uint256 j = i;
      while (j > 0 && vm.addr(keys[j - 1]) > a) {
        keys[j] = keys[j - 1];
        --j;
      }
      keys[j] = k;
    }
  }

  function addressesOf(uint256[] memory keys) internal pure returns (address[] memory addrs) {
    addrs = new address[](keys.length);
    for (uint256 i; i < keys.length; ++i) {
      addrs[i] = vm.addr(keys[i]);
    }
  }

  /// @dev First `count` keys of `keys` (a committee quorum when `keys` is sorted).
  function firstKeys(uint256[] memory keys, uint256 count) internal pure returns (uint256[] memory out) {
    out = new uint256[](count);
    for (uint256 i; i < count; ++i) {
      out[i] = keys[i];
    }
  }

  /// @dev One 65-byte signature packed r(32) | s(32) | v(1).
  function signOne(bytes32 digest, uint256 key) internal pure returns (bytes memory) {
    (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
    return abi.encodePacked(r, s, v);
  }

  /// @dev Signatures packed in exactly the order of `keys` (no sorting): for hostile orderings.
  function signInOrder(bytes32 digest, uint256[] memory keys) internal pure returns (bytes memory sigs) {
    for (uint256 i; i < keys.length; ++i) {
      sigs = bytes.concat(sigs, signOne(digest, keys[i]));
    }
  }

  /// @dev Signatures packed by strictly increasing signer address, as the receiver requires.
  function signSorted(bytes32 digest, uint256[] memory keys) internal pure returns (bytes memory) {
    uint256[] memory sorted = new uint256[](keys.length);
    for (uint256 i; i < keys.length; ++i) {
      sorted[i] = keys[i];
    }
    sortKeysByAddress(sorted);
    return signInOrder(digest, sorted);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Raw signature surgery
  // ---------------------------------------------------------------------------------------------------------------

  function sigAt(bytes memory sigs, uint256 i) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
    uint256 off = i * 65;
    assembly ("memory-safe") {
      let p := add(add(sigs, 0x20), off)
      r := mload(p)
      s := mload(add(p, 0x20))
      v := byte(0, mload(add(p, 0x40)))
    }
  }

  function setSigAt(bytes memory sigs, uint256 i, bytes32 r, bytes32 s, uint8 v) internal pure {
    uint256 off = i * 65;
    for (uint256 k; k < 32; ++k) {
      sigs[off + k] = r[k];
      sigs[off + 32 + k] = s[k];
    }
    sigs[off + 64] = bytes1(v);
  }

  /// @dev The address a plain ecrecover yields for signature `i` over `digest` (what a contract without the
  /// domain binding would accept), used to predict UnauthorizedSigner arguments.
  function recoverAt(bytes32 digest, bytes memory sigs, uint256 i) internal pure returns (address) {
    (bytes32 r, bytes32 s, uint8 v) = sigAt(sigs, i);
    return ecrecover(digest, v, r, s);
  }

  function truncate(bytes memory data, uint256 len) internal pure returns (bytes memory out) {
    out = new bytes(len);
    for (uint256 i; i < len; ++i) {
      out[i] = data[i];
    }
  }

  function copyBytes(bytes memory data) internal pure returns (bytes memory) {
    return truncate(data, data.length);
  }
}
