// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {BatchItemsPacker} from "./BatchItemsPacker.sol";

/// @notice Builds v1 attestations and signs them like the oracle committee does. Everything here is restated from
/// the wire layout in AttestationCodec's header and from the EIP-712 type strings, without importing the contract
/// libraries, so a layout or hashing slip in contracts/src shows up as a failing test instead of cancelling out.
/// Used by the unit/fuzz fixtures and by the invariant handlers (which cannot inherit Test).
abstract contract AttestationSigner is CommonBase {
  error EncodingTooLong(uint256 length, uint256 max);

  // ---- wire layout (AttestationCodec v1) ----
  uint8 internal constant V1 = 1;
  uint8 internal constant KIND_SETTLEMENT = 1;
  uint8 internal constant KIND_NAV = 2;
  uint8 internal constant KIND_CONFIG = 3;
  uint8 internal constant KIND_ALLOWLIST = 4;
  uint8 internal constant KIND_PAUSE = 5;
  uint8 internal constant KIND_RESERVE = 6;
  uint8 internal constant SUBSCRIPTION = 1;
  uint8 internal constant REDEMPTION = 2;
  uint8 internal constant MOVE_OUT = 3;
  uint8 internal constant MOVE_IN = 4;
  uint256 internal constant HEADER_LEN = 42;
  uint256 internal constant SETTLEMENT_LEN = 175;
  uint256 internal constant NAV_LEN = 82;
  uint256 internal constant PAUSE_LEN = 43;
  uint256 internal constant CONFIG_FIXED_LEN = 62; // + 20 n + nameLength + symbolLength
  uint256 internal constant ALLOWLIST_FIXED_LEN = 44; // + 21 n
  uint256 internal constant RESERVE_FIXED_LEN = 83; // + 24 n

  // ---- EIP-712 ----
  bytes32 internal constant DOMAIN_TYPEHASH_ =
    keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
  bytes32 internal constant SETTLEMENT_TYPEHASH_ = keccak256(
    "SettlementAttestation(bytes32 did,uint64 nonce,uint8 settlementKind,bytes32 settlementRef,address investor,uint256 amount,bytes32 cashLegRef,uint64 settledAt,uint64 peerChainId)"
  );
  bytes32 internal constant NAV_TYPEHASH_ = keccak256("NavAttestation(bytes32 did,uint64 nonce,uint256 nav,uint64 asOf)");
  bytes32 internal constant ADMIN_TYPEHASH_ = keccak256("AdminAttestation(bytes32 did,uint64 nonce,uint8 kind,bytes body)");
  bytes32 internal constant BATCH_TYPEHASH_ = keccak256("AttestationBatch(bytes32 did,bytes32 root)");
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
    uint64 peerChainId;
  }

  struct NavAtt {
    bytes32 did;
    uint64 nonce;
    uint256 nav;
    uint64 asOf;
  }

  struct ConfigAtt {
    bytes32 did;
    uint64 nonce;
    uint8 threshold;
    uint8 navDecimals;
    uint8 tokenDecimals;
    uint32 heartbeat;
    uint16 maxNavMoveBps;
    address[] signers;
    string name;
    string symbol;
    uint64 signersValidUntil;
  }

  struct AllowEntry {
    address account;
    bool allowed;
  }

  struct AllowListAtt {
    bytes32 did;
    uint64 nonce;
    AllowEntry[] entries;
  }

  struct PauseAtt {
    bytes32 did;
    uint64 nonce;
    bool paused;
  }

  struct CapEntry {
    uint64 chainId;
    uint128 cap;
    /// @dev The most the chain's supply can reach before it applies the reserve (AttestationCodec kind 6).
    uint128 ceiling;
  }

  struct ReserveAtt {
    bytes32 did;
    uint64 nonce;
    uint256 reserve;
    uint64 asOf;
    CapEntry[] caps;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Encoding: the fields in layout order, packed (uint8 = 1 byte, uint16 = 2, uint64 = 8, address = 20, words = 32)
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
      a.settledAt,
      a.peerChainId
    );
  }

  function encodeNav(NavAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(V1, KIND_NAV, a.did, a.nonce, a.nav, a.asOf);
  }

  function encodeConfig(ConfigAtt memory c) internal pure returns (bytes memory m) {
    _checkFits(c.signers.length, type(uint8).max);
    _checkFits(bytes(c.name).length, type(uint8).max);
    _checkFits(bytes(c.symbol).length, type(uint8).max);
    m = abi.encodePacked(
      V1, KIND_CONFIG, c.did, c.nonce, c.threshold, c.navDecimals, c.tokenDecimals, c.heartbeat, c.maxNavMoveBps
    );
    // abi.encodePacked pads array elements to 32 bytes, so the signers are appended one by one.
    m = bytes.concat(m, bytes1(uint8(c.signers.length)));
    for (uint256 i; i < c.signers.length; ++i) {
      m = bytes.concat(m, bytes20(c.signers[i]));
    }
    m = bytes.concat(m, bytes1(uint8(bytes(c.name).length)), bytes(c.name));
    m = bytes.concat(m, bytes1(uint8(bytes(c.symbol).length)), bytes(c.symbol));
    m = bytes.concat(m, bytes8(c.signersValidUntil));
  }

  function encodeAllowList(AllowListAtt memory a) internal pure returns (bytes memory m) {
    _checkFits(a.entries.length, type(uint16).max);
    m = abi.encodePacked(V1, KIND_ALLOWLIST, a.did, a.nonce, uint16(a.entries.length));
    for (uint256 i; i < a.entries.length; ++i) {
      m = bytes.concat(m, bytes20(a.entries[i].account), bytes1(a.entries[i].allowed ? 0x01 : 0x00));
    }
  }

  function encodePause(PauseAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(V1, KIND_PAUSE, a.did, a.nonce, a.paused ? uint8(1) : uint8(0));
  }

  function encodeReserve(ReserveAtt memory a) internal pure returns (bytes memory m) {
    _checkFits(a.caps.length, type(uint8).max);
    m = abi.encodePacked(V1, KIND_RESERVE, a.did, a.nonce, a.reserve, a.asOf, uint8(a.caps.length));
    for (uint256 i; i < a.caps.length; ++i) {
      m = bytes.concat(m, bytes8(a.caps[i].chainId), bytes16(a.caps[i].cap), bytes16(a.caps[i].ceiling));
    }
  }

  function _checkFits(uint256 length, uint256 max) private pure {
    if (length > max) revert EncodingTooLong(length, max);
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
        a.settledAt,
        a.peerChainId
      )
    );
  }

  function navStructHash(NavAtt memory a) internal pure returns (bytes32) {
    return keccak256(abi.encode(NAV_TYPEHASH_, a.did, a.nonce, a.nav, a.asOf));
  }

  /// @dev AdminAttestation over an encoded config / allow-list / pause / reserve message: the header fields typed,
  /// the rest of the bytes as `bytes body` (hashed, as EIP-712 encodes dynamic bytes).
  function adminStructHash(bytes memory message) internal pure returns (bytes32) {
    bytes32 did;
    uint64 nonce;
    assembly ("memory-safe") {
      did := mload(add(message, 0x22)) // bytes [2, 34)
      nonce := shr(192, mload(add(message, 0x42))) // bytes [34, 42)
    }
    bytes memory body = new bytes(message.length - HEADER_LEN);
    for (uint256 i; i < body.length; ++i) {
      body[i] = message[HEADER_LEN + i];
    }
    return keccak256(abi.encode(ADMIN_TYPEHASH_, did, nonce, uint8(message[1]), keccak256(body)));
  }

  function batchStructHash(bytes32 did, bytes32 root) internal pure returns (bytes32) {
    return keccak256(abi.encode(BATCH_TYPEHASH_, did, root));
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

  function adminDigest(bytes memory message, uint256 chainId, address verifyingContract) internal pure returns (bytes32) {
    return typedDigest(domainSeparatorFor(chainId, verifyingContract), adminStructHash(message));
  }

  function batchDigest(bytes32 did, bytes32 root, uint256 chainId, address verifyingContract)
    internal
    pure
    returns (bytes32)
  {
    return typedDigest(domainSeparatorFor(chainId, verifyingContract), batchStructHash(did, root));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Merkle batches: leaf = keccak256(keccak256(message)), parents hash the sorted pair (OZ MerkleProof's convention).
  // Levels are built bottom-up; an unpaired last node moves up unchanged, so its proof simply has no sibling there.
  // ---------------------------------------------------------------------------------------------------------------

  function leafOf(bytes memory message) internal pure returns (bytes32) {
    return keccak256(bytes.concat(keccak256(message)));
  }

  function leavesOf(bytes[] memory messages) internal pure returns (bytes32[] memory leaves) {
    leaves = new bytes32[](messages.length);
    for (uint256 i; i < messages.length; ++i) {
      leaves[i] = leafOf(messages[i]);
    }
  }

  function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
    return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
  }

  function _nextLevel(bytes32[] memory level) private pure returns (bytes32[] memory next) {
    next = new bytes32[]((level.length + 1) / 2);
    for (uint256 i; i < next.length; ++i) {
      uint256 l = 2 * i;
      next[i] = l + 1 < level.length ? hashPair(level[l], level[l + 1]) : level[l];
    }
  }

  /// @dev Root of a non-empty list of leaves.
  function merkleRoot(bytes32[] memory leaves) internal pure returns (bytes32) {
    bytes32[] memory level = leaves;
    while (level.length > 1) {
      level = _nextLevel(level);
    }
    return level[0];
  }

  /// @dev Sibling hashes from leaf `index` up to the root (log2 of the size for a power of two).
  function merkleProof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory proof) {
    bytes32[] memory path = new bytes32[](256);
    uint256 n;
    bytes32[] memory level = leaves;
    while (level.length > 1) {
      uint256 sibling = index ^ 1;
      if (sibling < level.length) path[n++] = level[sibling];
      level = _nextLevel(level);
      index /= 2;
    }
    proof = new bytes32[](n);
    for (uint256 i; i < n; ++i) {
      proof[i] = path[i];
    }
  }

  /// @dev The items of receiveBatch (src/libraries/BatchItems.sol): the messages packed without their DID.
  function packItems(bytes[] memory messages) internal pure returns (bytes memory) {
    return BatchItemsPacker.pack(messages);
  }

  /// @dev Root and every item's proof for a batch of encoded messages.
  function buildBatch(bytes[] memory messages) internal pure returns (bytes32 root, bytes32[][] memory proofs) {
    bytes32[] memory leaves = leavesOf(messages);
    root = merkleRoot(leaves);
    proofs = new bytes32[][](messages.length);
    for (uint256 i; i < messages.length; ++i) {
      proofs[i] = merkleProof(leaves, i);
    }
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
