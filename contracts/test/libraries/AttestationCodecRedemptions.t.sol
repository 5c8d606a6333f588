// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {AttestationCodec} from "../../src/libraries/AttestationCodec.sol";
import {RedemptionCodec} from "../../src/libraries/RedemptionCodec.sol";
import {Eip712Attestation} from "../../src/libraries/Eip712Attestation.sol";
import {AttestationSigner} from "../helpers/AttestationSigner.sol";
import {RedemptionAttestations} from "../helpers/RedemptionAttestations.sol";

/// @dev The redemption decoders on calldata, after the header check, as the module runs them.
contract RedemptionCodecHarness {
  function decodeRequest(bytes calldata m) external pure returns (RedemptionCodec.RedemptionRequest memory) {
    AttestationCodec.decodeHeader(m);
    return RedemptionCodec.decodeRedemptionRequest(m);
  }

  function decodeStage(bytes calldata m) external pure returns (RedemptionCodec.RedemptionStage memory) {
    AttestationCodec.decodeHeader(m);
    return RedemptionCodec.decodeRedemptionStage(m);
  }

  function decodePolicy(bytes calldata m) external pure returns (uint16, uint16, uint8, uint32, bool) {
    AttestationCodec.decodeHeader(m);
    return RedemptionCodec.decodeRedemptionPolicy(m);
  }

  function decodeFulfilment(bytes calldata m) external pure returns (RedemptionCodec.RedemptionFulfilment memory) {
    AttestationCodec.decodeHeader(m);
    return RedemptionCodec.decodeRedemptionFulfilment(m);
  }

  function decodeDisclosure(bytes calldata m) external pure returns (uint8, bytes32, uint64, bytes memory) {
    AttestationCodec.decodeHeader(m);
    return RedemptionCodec.decodeDisclosure(m);
  }

  function decodeHeader(bytes calldata m) external pure returns (AttestationCodec.Header memory) {
    return AttestationCodec.decodeHeader(m);
  }

  function adminDigest(bytes calldata m, uint256 chainId, address vc) external pure returns (bytes32) {
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(m);
    return Eip712Attestation.digest(
      Eip712Attestation.domainSeparator(chainId, vc), Eip712Attestation.adminHash(h, AttestationCodec.body(m))
    );
  }
}

/// @notice Kinds 7..11 round-trip between the fixture's independent encoder and the contract codec; exact lengths.
contract AttestationCodecRedemptionsTest is Test, AttestationSigner, RedemptionAttestations {
  RedemptionCodecHarness internal harness;

  function setUp() public {
    harness = new RedemptionCodecHarness();
  }

  function testFuzz_decodeRedemptionRequest_RoundTrips(RequestReportAtt memory a) public view {
    bytes memory m = encodeRequestReport(a);
    assertEq(m.length, REDEMPTION_REQUEST_LEN);
    AttestationCodec.Header memory h = harness.decodeHeader(m);
    assertEq(h.kind, KIND_REDEMPTION_REQUEST);
    assertEq(h.did, a.did);
    assertEq(h.nonce, a.nonce);
    RedemptionCodec.RedemptionRequest memory r = harness.decodeRequest(m);
    assertEq(r.chainId, a.chainId);
    assertEq(r.requestId, a.requestId);
    assertEq(r.owner, a.owner);
    assertEq(r.amount, a.amount);
    assertEq(r.requestedAt, a.requestedAt);
    assertEq(r.poolSupply, a.poolSupply);
  }

  function testFuzz_decodeRedemptionStage_RoundTrips(StageAtt memory a) public view {
    bytes memory m = encodeStage(a);
    assertEq(m.length, REDEMPTION_STAGE_LEN);
    RedemptionCodec.RedemptionStage memory s = harness.decodeStage(m);
    assertEq(s.stage, a.stage);
    assertEq(s.stageSeq, a.stageSeq);
    assertEq(s.since, a.since);
    assertEq(s.reason, a.reason);
    assertEq(s.dayRequested, a.dayRequested);
    assertEq(s.poolSupply, a.poolSupply);
  }

  function testFuzz_decodeRedemptionPolicy_RoundTrips(PolicyAtt memory a) public view {
    bytes memory m = encodePolicy(a);
    assertEq(m.length, REDEMPTION_POLICY_LEN);
    (uint16 b, uint16 c, uint8 n, uint32 window, bool emergency) = harness.decodePolicy(m);
    assertEq(b, a.stageBBps);
    assertEq(c, a.stageCBps);
    assertEq(n, a.instalments);
    assertEq(window, a.windowSeconds);
    assertEq(emergency, a.emergency);
  }

  function testFuzz_decodeRedemptionFulfilment_RoundTrips(FulfilmentAtt memory a) public view {
    bytes memory m = encodeFulfilment(a);
    assertEq(m.length, REDEMPTION_FULFILMENT_LEN);
    RedemptionCodec.RedemptionFulfilment memory f = harness.decodeFulfilment(m);
    assertEq(f.requestId, a.requestId);
    assertEq(f.settlementRef, a.settlementRef);
    assertEq(f.amount, a.amount);
    assertEq(f.cashLegRef, a.cashLegRef);
    assertEq(f.settledAt, a.settledAt);
  }

  function testFuzz_decodeDisclosure_RoundTrips(DisclosureAtt memory a) public view {
    vm.assume(bytes(a.uri).length <= 2_000);
    bytes memory m = encodeDisclosure(a);
    assertEq(m.length, DISCLOSURE_FIXED_LEN + bytes(a.uri).length);
    (uint8 docKind, bytes32 docHash, uint64 asOf, bytes memory uri) = harness.decodeDisclosure(m);
    assertEq(docKind, a.docKind);
    assertEq(docHash, a.docHash);
    assertEq(asOf, a.asOf);
    assertEq(string(uri), a.uri);
  }

  /// @dev The policy flag reads any non-zero byte as set, as the pause flag does.
  function test_decodeRedemptionPolicy_AnyNonZeroEmergencyByteIsSet() public view {
    bytes memory m = encodePolicy(PolicyAtt(bytes32(0), 1, 100, 300, 7, 7 days, false));
    m[51] = 0x02;
    (,,,, bool emergency) = harness.decodePolicy(m);
    assertTrue(emergency);
  }

  function testFuzz_decodeHeader_FixedRedemptionKindsNeedTheirExactLength(uint256 len, uint256 kindSeed) public {
    len = bound(len, 0, 300);
    uint8[4] memory kinds = [KIND_REDEMPTION_REQUEST, KIND_REDEMPTION_STAGE, KIND_REDEMPTION_POLICY, KIND_REDEMPTION_FULFILMENT];
    uint256[4] memory lengths = [REDEMPTION_REQUEST_LEN, REDEMPTION_STAGE_LEN, REDEMPTION_POLICY_LEN, REDEMPTION_FULFILMENT_LEN];
    uint256 k = bound(kindSeed, 0, 3);
    bytes memory m = new bytes(len);
    if (len > 0) m[0] = 0x01;
    if (len > 1) m[1] = bytes1(kinds[k]);
    if (len < 42) {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, len));
    } else if (len != lengths[k]) {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, len, lengths[k]));
    }
    harness.decodeHeader(m);
  }

  function testFuzz_decodeHeader_DisclosureLengthFollowsItsUriLength(uint16 uriLength, uint256 len) public {
    len = bound(len, 42, 400);
    bytes memory m = new bytes(len);
    m[0] = 0x01;
    m[1] = bytes1(KIND_DISCLOSURE);
    if (len >= 85) {
      m[83] = bytes1(uint8(uriLength >> 8));
      m[84] = bytes1(uint8(uriLength));
    }
    uint256 expected = len < 85 ? 85 : 85 + uint256(uriLength);
    if (len != expected) {
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, len, expected));
    }
    harness.decodeHeader(m);
  }

  function test_decodeHeader_DisclosureOfExactlyItsUri() public view {
    bytes memory m = encodeDisclosure(DisclosureAtt(bytes32(uint256(1)), 2, 1, bytes32(0), 3, "ipfs://x"));
    assertEq(harness.decodeHeader(m).kind, KIND_DISCLOSURE);
  }

  /// @dev Kinds 7..11 are signed as AdminAttestation over the bytes after the header, like config or pause.
  function test_adminDigest_MatchesTheFixtureForEveryRedemptionKind() public view {
    bytes[5] memory ms = [
      encodeRequestReport(RequestReportAtt(bytes32(uint256(7)), 1, 8453, 2, address(0xBEEF), 3, 4, 5)),
      encodeStage(StageAtt(bytes32(uint256(7)), 2, STAGE_B, 1, 4, REASON_THRESHOLD, 6, 7)),
      encodePolicy(PolicyAtt(bytes32(uint256(7)), 3, 100, 300, 7, 7 days, true)),
      encodeFulfilment(FulfilmentAtt(bytes32(uint256(7)), 4, 2, bytes32(uint256(8)), 9, bytes32(uint256(10)), 11)),
      encodeDisclosure(DisclosureAtt(bytes32(uint256(7)), 5, 3, bytes32(uint256(12)), 13, "https://x.example/a.pdf"))
    ];
    for (uint256 i; i < ms.length; ++i) {
      assertEq(harness.adminDigest(ms[i], 31_337, address(0xCAFE)), adminDigest(ms[i], 31_337, address(0xCAFE)));
    }
  }
}
