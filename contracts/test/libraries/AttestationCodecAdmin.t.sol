// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {AttestationCodec} from "../../src/libraries/AttestationCodec.sol";
import {AdminCodec} from "../../src/libraries/AdminCodec.sol";
import {Eip712Attestation} from "../../src/libraries/Eip712Attestation.sol";
import {AttestationSigner} from "../helpers/AttestationSigner.sol";

/// @dev Exposes the admin-kind decoders (after the header check, as the receiver runs them) and the EIP-712 hashes.
contract AdminCodecHarness {
  function decodeConfig(bytes calldata m) external pure returns (AdminCodec.Config memory) {
    AttestationCodec.decodeHeader(m);
    return AdminCodec.decodeConfig(m);
  }

  function decodeAllowList(bytes calldata m) external pure returns (address[] memory accounts, bool[] memory allowed) {
    AttestationCodec.decodeHeader(m);
    uint256 n = AdminCodec.allowListCount(m);
    accounts = new address[](n);
    allowed = new bool[](n);
    for (uint256 i; i < n; ++i) {
      (accounts[i], allowed[i]) = AdminCodec.allowListEntry(m, i);
    }
  }

  function decodePause(bytes calldata m) external pure returns (bool) {
    AttestationCodec.decodeHeader(m);
    return AdminCodec.decodePause(m);
  }

  function decodeReserve(bytes calldata m)
    external
    pure
    returns (uint256 reserve, uint64 asOf, uint64[] memory chainIds, uint128[] memory caps, uint128[] memory ceilings)
  {
    AttestationCodec.decodeHeader(m);
    uint256 n;
    (reserve, asOf, n) = AdminCodec.reserveHeader(m);
    chainIds = new uint64[](n);
    caps = new uint128[](n);
    ceilings = new uint128[](n);
    for (uint256 i; i < n; ++i) {
      (chainIds[i], caps[i], ceilings[i]) = AdminCodec.reserveEntry(m, i);
    }
  }

  function adminDigest(bytes calldata m, uint256 chainId, address vc) external pure returns (bytes32) {
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(m);
    return Eip712Attestation.digest(
      Eip712Attestation.domainSeparator(chainId, vc), Eip712Attestation.adminHash(h, AttestationCodec.body(m))
    );
  }

  function batchDigest(bytes32 did, bytes32 root, uint256 chainId, address vc) external pure returns (bytes32) {
    bytes32 separator = Eip712Attestation.domainSeparator(chainId, vc);
    return Eip712Attestation.digest(separator, Eip712Attestation.batchHash(did, root));
  }

  function decodeHeader(bytes calldata m) external pure returns (AttestationCodec.Header memory) {
    return AttestationCodec.decodeHeader(m);
  }

  function verifyProof(bytes32[] calldata proof, bytes32 root, bytes32 leaf) external pure returns (bool) {
    return MerkleProof.verifyCalldata(proof, root, leaf);
  }
}

/// @notice Config, allow-list, pause and reserve encodings round-trip between the fixture's independent encoder and
/// the contract codec; length rules for the variable-length kinds; the fixture's Merkle builder against OZ.
contract AttestationCodecAdminTest is Test, AttestationSigner {
  AdminCodecHarness internal harness;

  function setUp() public {
    harness = new AdminCodecHarness();
  }

  function _addr(uint256 seed, uint256 i) internal pure returns (address) {
    return address(uint160(uint256(keccak256(abi.encode(seed, i)))));
  }

  function _cut(string memory s, uint256 max) internal pure returns (string memory) {
    bytes memory b = bytes(s);
    return b.length <= max ? s : string(truncate(b, max));
  }

  function _config(uint256 n, uint256 seed, string memory name, string memory symbol)
    internal
    pure
    returns (ConfigAtt memory c)
  {
    c.did = keccak256(abi.encode(seed));
    c.nonce = uint64(seed);
    c.threshold = uint8(seed >> 8);
    c.navDecimals = uint8(seed >> 16);
    c.tokenDecimals = uint8(seed >> 24);
    c.heartbeat = uint32(seed >> 32);
    c.maxNavMoveBps = uint16(seed >> 64);
    c.signers = new address[](n);
    for (uint256 i; i < n; ++i) {
      c.signers[i] = _addr(seed, i);
    }
    c.name = _cut(name, 255);
    c.symbol = _cut(symbol, 255);
    c.signersValidUntil = uint64(seed >> 192);
  }

  function _allowList(uint256 n, uint256 seed) internal pure returns (AllowListAtt memory a) {
    a.did = keccak256(abi.encode(seed));
    a.nonce = uint64(seed >> 64);
    a.entries = new AllowEntry[](n);
    for (uint256 i; i < n; ++i) {
      bool allowed = uint256(keccak256(abi.encode(seed, "f", i))) % 2 == 0;
      a.entries[i] = AllowEntry({account: _addr(seed, i), allowed: allowed});
    }
  }

  function _reserve(uint256 n, uint256 seed) internal pure returns (ReserveAtt memory r) {
    r.did = keccak256(abi.encode(seed));
    r.nonce = uint64(seed >> 64);
    r.reserve = uint256(keccak256(abi.encode(seed, "reserve")));
    r.asOf = uint64(seed >> 128);
    r.caps = new CapEntry[](n);
    for (uint256 i; i < n; ++i) {
      uint256 h = uint256(keccak256(abi.encode(seed, "cap", i)));
      r.caps[i] = CapEntry({chainId: uint64(h), cap: uint128(h >> 64), ceiling: uint128(h >> 128)});
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // documented offsets
  // ---------------------------------------------------------------------------------------------------------------

  function test_encodeConfig_FollowsDocumentedOffsets() public pure {
    ConfigAtt memory c = _config(2, 0xA1B2C3D4E5F60718293A, "Name", "SYM");
    bytes memory m = encodeConfig(c);
    assertEq(m.length, CONFIG_FIXED_LEN + 2 * 20 + 4 + 3);
    assertEq(uint8(m[1]), KIND_CONFIG);
    assertEq(uint8(m[42]), c.threshold);
    assertEq(uint8(m[43]), c.navDecimals);
    assertEq(uint8(m[44]), c.tokenDecimals);
    assertEq(uint32(bytes4(abi.encodePacked(m[45], m[46], m[47], m[48]))), c.heartbeat);
    assertEq(uint16(bytes2(abi.encodePacked(m[49], m[50]))), c.maxNavMoveBps);
    assertEq(uint8(m[51]), 2);
    assertEq(uint8(m[52 + 40]), 4); // name length after the signers
    assertEq(uint8(m[52 + 40 + 1 + 4]), 3); // symbol length after the name
    // signersValidUntil: the last 8 bytes, after the symbol
    assertEq(uint64(bytes8(abi.encodePacked(m[m.length - 8], m[m.length - 7], m[m.length - 6], m[m.length - 5], m[m.length - 4], m[m.length - 3], m[m.length - 2], m[m.length - 1]))), c.signersValidUntil);
  }

  function test_encodeAllowListPauseReserve_FollowDocumentedLengths() public pure {
    assertEq(encodeAllowList(_allowList(0, 1)).length, ALLOWLIST_FIXED_LEN);
    assertEq(encodeAllowList(_allowList(3, 1)).length, ALLOWLIST_FIXED_LEN + 3 * 21);
    assertEq(encodePause(PauseAtt({did: bytes32(0), nonce: 0, paused: true})).length, PAUSE_LEN);
    assertEq(encodeReserve(_reserve(0, 1)).length, RESERVE_FIXED_LEN);
    assertEq(encodeReserve(_reserve(2, 1)).length, RESERVE_FIXED_LEN + 2 * 40);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // round trips
  // ---------------------------------------------------------------------------------------------------------------

  function testFuzz_decodeConfig_RoundTripsEncoding(uint256 n, uint256 seed, string memory name, string memory symbol)
    public
    view
  {
    n = bound(n, 0, 30);
    ConfigAtt memory c = _config(n, seed, name, symbol);
    bytes memory m = encodeConfig(c);
    AttestationCodec.Header memory h = harness.decodeHeader(m);
    assertEq(h.kind, KIND_CONFIG);
    assertEq(h.did, c.did);
    assertEq(h.nonce, c.nonce);
    AdminCodec.Config memory d = harness.decodeConfig(m);
    assertEq(d.threshold, c.threshold);
    assertEq(d.navDecimals, c.navDecimals);
    assertEq(d.tokenDecimals, c.tokenDecimals);
    assertEq(d.heartbeat, c.heartbeat);
    assertEq(d.maxNavMoveBps, c.maxNavMoveBps);
    assertEq(d.signers, c.signers);
    assertEq(d.name, c.name);
    assertEq(d.symbol, c.symbol);
    assertEq(d.signersValidUntil, c.signersValidUntil);
  }

  function testFuzz_decodeAllowList_RoundTripsEncoding(uint256 n, uint256 seed) public view {
    n = bound(n, 0, 60);
    AllowListAtt memory a = _allowList(n, seed);
    bytes memory m = encodeAllowList(a);
    AttestationCodec.Header memory h = harness.decodeHeader(m);
    assertEq(h.kind, KIND_ALLOWLIST);
    assertEq(h.did, a.did);
    assertEq(h.nonce, a.nonce);
    (address[] memory accounts, bool[] memory allowed) = harness.decodeAllowList(m);
    assertEq(accounts.length, n);
    for (uint256 i; i < n; ++i) {
      assertEq(accounts[i], a.entries[i].account);
      assertEq(allowed[i], a.entries[i].allowed);
    }
  }

  function testFuzz_decodeAllowList_AnyNonZeroFlagAllows(uint8 flag) public view {
    bytes memory m = encodeAllowList(_allowList(1, 7));
    m[ALLOWLIST_FIXED_LEN + 20] = bytes1(flag);
    (, bool[] memory allowed) = harness.decodeAllowList(m);
    assertEq(allowed[0], flag != 0);
  }

  function testFuzz_decodePause_RoundTripsEncoding(bytes32 did, uint64 nonce, bool paused, uint8 rawFlag) public view {
    bytes memory m = encodePause(PauseAtt({did: did, nonce: nonce, paused: paused}));
    AttestationCodec.Header memory h = harness.decodeHeader(m);
    assertEq(h.kind, KIND_PAUSE);
    assertEq(h.did, did);
    assertEq(h.nonce, nonce);
    assertEq(harness.decodePause(m), paused);
    m[42] = bytes1(rawFlag);
    assertEq(harness.decodePause(m), rawFlag != 0);
  }

  function testFuzz_decodeReserve_RoundTripsEncoding(uint256 n, uint256 seed) public view {
    n = bound(n, 0, 40);
    ReserveAtt memory r = _reserve(n, seed);
    bytes memory m = encodeReserve(r);
    AttestationCodec.Header memory h = harness.decodeHeader(m);
    assertEq(h.kind, KIND_RESERVE);
    assertEq(h.did, r.did);
    assertEq(h.nonce, r.nonce);
    (uint256 reserve, uint64 asOf, uint64[] memory chainIds, uint128[] memory caps, uint128[] memory ceilings) =
      harness.decodeReserve(m);
    assertEq(reserve, r.reserve);
    assertEq(asOf, r.asOf);
    assertEq(chainIds.length, n);
    for (uint256 i; i < n; ++i) {
      assertEq(chainIds[i], r.caps[i].chainId);
      assertEq(caps[i], r.caps[i].cap);
      assertEq(ceilings[i], r.caps[i].ceiling);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // digests
  // ---------------------------------------------------------------------------------------------------------------

  function testFuzz_adminDigest_MatchesIndependentEip712(uint256 kindSeed, uint256 seed, uint64 chainId, address vc)
    public
    view
  {
    uint256 k = bound(kindSeed, 0, 3);
    bytes memory m;
    if (k == 0) m = encodeConfig(_config(3, seed, "n", "s"));
    else if (k == 1) m = encodeAllowList(_allowList(4, seed));
    else if (k == 2) m = encodePause(PauseAtt({did: bytes32(seed), nonce: uint64(seed), paused: seed % 2 == 0}));
    else m = encodeReserve(_reserve(3, seed));
    assertEq(harness.adminDigest(m, chainId, vc), adminDigest(m, chainId, vc));
  }

  function test_adminDigest_BindsKind() public pure {
    // Same did, nonce and body bytes under two kinds sign two different digests.
    bytes memory a = encodePause(PauseAtt({did: bytes32(uint256(1)), nonce: 1, paused: true}));
    bytes memory b = copyBytes(a);
    b[1] = bytes1(KIND_RESERVE);
    assertTrue(adminDigest(a, 1, address(1)) != adminDigest(b, 1, address(1)));
  }

  function testFuzz_batchDigest_MatchesIndependentEip712(bytes32 did, bytes32 root, uint64 chainId, address vc)
    public
    view
  {
    assertEq(harness.batchDigest(did, root, chainId, vc), batchDigest(did, root, chainId, vc));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // lengths of the variable-length kinds, read from their own length fields
  // ---------------------------------------------------------------------------------------------------------------

  function _expectLength(bytes memory full, uint256 len, uint256 expected) internal {
    bytes memory m = len <= full.length ? truncate(full, len) : bytes.concat(full, new bytes(len - full.length));
    if (len < HEADER_LEN) {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, len));
    } else if (len != expected) {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, len, expected));
    }
    harness.decodeHeader(m);
  }

  function testFuzz_decodeHeader_ConfigLengthFromItsFields(uint256 n, uint256 len) public {
    n = bound(n, 0, 5);
    bytes memory full = encodeConfig(_config(n, 3, "Acme", "AC"));
    len = bound(len, 0, full.length + 30);
    uint256 signersEnd = 52 + 20 * n; // the name length byte sits here
    uint256 nameEnd = signersEnd + 1 + 4; // the symbol length byte sits here
    uint256 expected = len < 52 ? 52 : len <= signersEnd ? signersEnd + 1 : len <= nameEnd ? nameEnd + 1 : full.length;
    _expectLength(full, len, expected);
  }

  function testFuzz_decodeHeader_AllowListLengthFromItsCount(uint256 n, uint256 len) public {
    n = bound(n, 0, 5);
    bytes memory full = encodeAllowList(_allowList(n, 3));
    len = bound(len, 0, full.length + 30);
    _expectLength(full, len, len < ALLOWLIST_FIXED_LEN ? ALLOWLIST_FIXED_LEN : full.length);
  }

  function testFuzz_decodeHeader_ReserveLengthFromItsCount(uint256 n, uint256 len) public {
    n = bound(n, 0, 5);
    bytes memory full = encodeReserve(_reserve(n, 3));
    len = bound(len, 0, full.length + 30);
    _expectLength(full, len, len < RESERVE_FIXED_LEN ? RESERVE_FIXED_LEN : full.length);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // the fixture's Merkle builder agrees with OpenZeppelin's verifier
  // ---------------------------------------------------------------------------------------------------------------

  function testFuzz_merkleProof_VerifiesWithOpenZeppelin(uint256 size, uint256 index, uint256 seed) public view {
    size = bound(size, 1, 70);
    index = bound(index, 0, size - 1);
    bytes32[] memory leaves = new bytes32[](size);
    for (uint256 i; i < size; ++i) {
      leaves[i] = keccak256(abi.encode(seed, i));
    }
    bytes32 root = merkleRoot(leaves);
    bytes32[] memory proof = merkleProof(leaves, index);
    assertTrue(harness.verifyProof(proof, root, leaves[index]));
    // Another position's leaf does not verify with this proof (unless the two are the same pair).
    uint256 other = (index + 2) % size;
    if (other / 2 != index / 2) assertFalse(harness.verifyProof(proof, root, leaves[other]));
  }

  function test_merkleProof_SixSiblingsAtBatch64() public pure {
    bytes32[] memory leaves = new bytes32[](64);
    for (uint256 i; i < 64; ++i) {
      leaves[i] = bytes32(i + 1);
    }
    for (uint256 i; i < 64; i += 21) {
      assertEq(merkleProof(leaves, i).length, 6);
    }
    assertEq(merkleProof(leaves, 63).length, 6);
  }

  function test_merkleRoot_SingleLeafIsTheRoot() public pure {
    bytes32[] memory leaves = new bytes32[](1);
    leaves[0] = keccak256("x");
    assertEq(merkleRoot(leaves), leaves[0]);
    assertEq(merkleProof(leaves, 0).length, 0);
  }
}
