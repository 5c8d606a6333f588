// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {AttestationCodec} from "../../src/libraries/AttestationCodec.sol";
import {Eip712Attestation} from "../../src/libraries/Eip712Attestation.sol";
import {AttestationSigner} from "../helpers/AttestationSigner.sol";

/// @dev Exposes the calldata decoders and the EIP-712 helpers as external functions.
contract AttestationHarness {
  function decodeHeader(bytes calldata message) external pure returns (AttestationCodec.Header memory) {
    return AttestationCodec.decodeHeader(message);
  }

  function decodeSettlement(bytes calldata message) external pure returns (AttestationCodec.Settlement memory) {
    return AttestationCodec.decodeSettlement(message);
  }

  function decodeNav(bytes calldata message) external pure returns (AttestationCodec.Nav memory) {
    return AttestationCodec.decodeNav(message);
  }

  function settlementDigest(bytes calldata message, uint256 chainId, address verifyingContract)
    external
    pure
    returns (bytes32)
  {
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    AttestationCodec.Settlement memory s = AttestationCodec.decodeSettlement(message);
    return Eip712Attestation.digest(
      Eip712Attestation.domainSeparator(chainId, verifyingContract), Eip712Attestation.settlementHash(h, s)
    );
  }

  /// @dev The receiver's path: the settlement hashed straight from calldata.
  function settlementDigestFromCalldata(bytes calldata message, uint256 chainId, address verifyingContract)
    external
    pure
    returns (bytes32)
  {
    return Eip712Attestation.digest(
      Eip712Attestation.domainSeparator(chainId, verifyingContract), Eip712Attestation.settlementHashOf(message)
    );
  }

  function settlementHashOf(bytes calldata message) external pure returns (bytes32) {
    return Eip712Attestation.settlementHashOf(message);
  }

  function navDigest(bytes calldata message, uint256 chainId, address verifyingContract) external pure returns (bytes32) {
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    AttestationCodec.Nav memory n = AttestationCodec.decodeNav(message);
    return
      Eip712Attestation.digest(Eip712Attestation.domainSeparator(chainId, verifyingContract), Eip712Attestation.navHash(h, n));
  }
}

/// @notice Cross-checks the contract libraries against the fixture's independent encoder and EIP-712 hashing, so
/// the rest of the suite rests on a verified fixture.
contract AttestationLibrariesTest is Test, AttestationSigner {
  AttestationHarness internal harness;

  function setUp() public {
    harness = new AttestationHarness();
  }

  function _sample() internal pure returns (SettlementAtt memory) {
    return SettlementAtt({
      did: keccak256("did:rwa:acme:ust-bill-2026"),
      nonce: 0x0102030405060708,
      settlementKind: SUBSCRIPTION,
      settlementRef: keccak256("ref"),
      investor: address(0xa11ce00000000000000000000000000000000001),
      amount: 1_000e6,
      cashLegRef: keccak256("cash"),
      settledAt: 1_767_225_600,
      peerChainId: 0x1112131415161718
    });
  }

  function _slice(bytes memory data, uint256 start, uint256 len) internal pure returns (bytes memory out) {
    out = new bytes(len);
    for (uint256 i; i < len; ++i) {
      out[i] = data[start + i];
    }
  }

  function test_encodeSettlement_FollowsDocumentedOffsets() public pure {
    SettlementAtt memory a = _sample();
    bytes memory m = encodeSettlement(a);
    assertEq(m.length, 175);
    assertEq(uint8(m[0]), 1);
    assertEq(uint8(m[1]), 1);
    assertEq(bytes32(_slice(m, 2, 32)), a.did);
    assertEq(_slice(m, 34, 8), hex"0102030405060708"); // big-endian nonce
    assertEq(uint8(m[42]), SUBSCRIPTION);
    assertEq(bytes32(_slice(m, 43, 32)), a.settlementRef);
    assertEq(_slice(m, 75, 20), abi.encodePacked(a.investor));
    assertEq(uint256(bytes32(_slice(m, 95, 32))), a.amount);
    assertEq(bytes32(_slice(m, 127, 32)), a.cashLegRef);
    assertEq(uint64(bytes8(_slice(m, 159, 8))), a.settledAt);
    assertEq(_slice(m, 167, 8), hex"1112131415161718"); // big-endian peer chain id
  }

  function test_encodeNav_FollowsDocumentedOffsets() public pure {
    NavAtt memory n = NavAtt({did: keccak256("d"), nonce: 9, nav: 123_456, asOf: 77});
    bytes memory m = encodeNav(n);
    assertEq(m.length, 82);
    assertEq(uint8(m[1]), 2);
    assertEq(uint256(bytes32(_slice(m, 42, 32))), 123_456);
    assertEq(uint64(bytes8(_slice(m, 74, 8))), 77);
  }

  function testFuzz_decodeSettlement_RoundTripsEncoding(SettlementAtt memory a) public view {
    bytes memory m = encodeSettlement(a);
    AttestationCodec.Header memory h = harness.decodeHeader(m);
    assertEq(h.kind, KIND_SETTLEMENT);
    assertEq(h.did, a.did);
    assertEq(h.nonce, a.nonce);
    AttestationCodec.Settlement memory s = harness.decodeSettlement(m);
    assertEq(s.settlementKind, a.settlementKind);
    assertEq(s.settlementRef, a.settlementRef);
    assertEq(s.investor, a.investor);
    assertEq(s.amount, a.amount);
    assertEq(s.cashLegRef, a.cashLegRef);
    assertEq(s.settledAt, a.settledAt);
    assertEq(s.peerChainId, a.peerChainId);
  }

  function testFuzz_decodeNav_RoundTripsEncoding(NavAtt memory a) public view {
    bytes memory m = encodeNav(a);
    AttestationCodec.Header memory h = harness.decodeHeader(m);
    assertEq(h.kind, KIND_NAV);
    assertEq(h.did, a.did);
    assertEq(h.nonce, a.nonce);
    AttestationCodec.Nav memory n = harness.decodeNav(m);
    assertEq(n.nav, a.nav);
    assertEq(n.asOf, a.asOf);
  }

  function testFuzz_settlementDigest_MatchesIndependentEip712(SettlementAtt memory a, uint64 chainId, address vc)
    public
    view
  {
    assertEq(harness.settlementDigest(encodeSettlement(a), chainId, vc), settlementDigest(a, chainId, vc));
  }

  function testFuzz_settlementHashOf_MatchesIndependentEip712(SettlementAtt memory a, uint64 chainId, address vc)
    public
    view
  {
    bytes memory m = encodeSettlement(a);
    assertEq(harness.settlementDigestFromCalldata(m, chainId, vc), settlementDigest(a, chainId, vc));
    assertEq(harness.settlementDigestFromCalldata(m, chainId, vc), harness.settlementDigest(m, chainId, vc));
  }

  function testFuzz_RevertWhen_settlementHashOf_WrongLength(uint8 cut) public {
    bytes memory m = encodeSettlement(_sample());
    uint256 len = bound(cut, 0, m.length - 1);
    assembly ("memory-safe") {
      mstore(m, len)
    }
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, len, 175));
    harness.settlementHashOf(m);
  }

  function testFuzz_navDigest_MatchesIndependentEip712(NavAtt memory a, uint64 chainId, address vc) public view {
    assertEq(harness.navDigest(encodeNav(a), chainId, vc), navDigest(a, chainId, vc));
  }

  function test_typeHashes_MatchTypeStrings() public pure {
    assertEq(Eip712Attestation.SETTLEMENT_TYPEHASH, SETTLEMENT_TYPEHASH_);
    assertEq(Eip712Attestation.NAV_TYPEHASH, NAV_TYPEHASH_);
    assertEq(Eip712Attestation.ADMIN_TYPEHASH, ADMIN_TYPEHASH_);
    assertEq(Eip712Attestation.BATCH_TYPEHASH, BATCH_TYPEHASH_);
    assertEq(Eip712Attestation.DOMAIN_TYPEHASH, DOMAIN_TYPEHASH_);
    assertEq(Eip712Attestation.NAME_HASH, keccak256("RWA Settlement Oracle"));
    assertEq(Eip712Attestation.VERSION_HASH, keccak256("1"));
  }

  function test_RevertWhen_decodeHeader_MessageTooShort() public {
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, 41));
    harness.decodeHeader(new bytes(41));
  }

  function test_RevertWhen_decodeHeader_UnsupportedVersionBeforeKind() public {
    bytes memory m = new bytes(42); // version 0, kind 0: the version is reported first
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.UnsupportedVersion.selector, 0));
    harness.decodeHeader(m);
  }

  function test_RevertWhen_decodeHeader_UnknownKindBeforeLength() public {
    bytes memory m = new bytes(42);
    m[0] = 0x01;
    m[1] = 0x12; // 18: past every assigned kind (14 brakes; 15, 16 moves; 17 buy-back report)
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.UnknownKind.selector, 18));
    harness.decodeHeader(m);
  }

  function testFuzz_decodeHeader_AcceptsOnlyExactLength(uint256 len, uint256 kindSeed) public {
    len = bound(len, 0, 400);
    uint8[3] memory fixedKinds = [KIND_SETTLEMENT, KIND_NAV, KIND_PAUSE];
    uint256[3] memory lengths = [SETTLEMENT_LEN, NAV_LEN, PAUSE_LEN];
    uint256 k = bound(kindSeed, 0, 2);
    bytes memory m = new bytes(len);
    if (len > 0) m[0] = 0x01;
    if (len > 1) m[1] = bytes1(fixedKinds[k]);
    uint256 expected = lengths[k];
    if (len < HEADER_LEN) {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, len));
    } else if (len != expected) {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, len, expected));
    }
    harness.decodeHeader(m);
  }
}
