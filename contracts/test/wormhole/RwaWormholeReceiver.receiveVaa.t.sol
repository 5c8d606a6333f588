// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaWormholeReceiver} from "../../src/wormhole/RwaWormholeReceiver.sol";
import {WormholeVaa} from "../../src/wormhole/WormholeVaa.sol";
import {WormholeFixture} from "./helpers/WormholeFixture.sol";

/// @notice RwaWormholeReceiver.receiveVaa: a VAA v1 signed by test guardians, delivered to a real RwaReceiver.
contract RwaWormholeReceiverReceiveVaaTest is WormholeFixture {
  // ---- applies ----

  function test_receiveVaa_AppliesAttestationAndConsumesVaa() public {
    Body memory b = subscriptionBody(1, 0);
    bytes memory body = encodeBody(b);
    bytes32 hash = vaaDigest(body);
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);

    vm.expectEmit(address(adapter));
    emit RwaWormholeReceiver.AttestationDelivered(hash, EMITTER_CHAIN, emitter, 0, keccak256(encodeSettlement(a)));
    vm.prank(relayer);
    adapter.receiveVaa(quorumVaa(body));

    assertEq(holdings.balanceOf(alice), 1_000e6);
    assertTrue(adapter.isVaaConsumed(hash));
    assertTrue(receiver.isNonceUsed(DID, 1));
  }

  function test_receiveVaa_AcceptsMoreThanQuorum() public {
    bytes memory body = encodeBody(subscriptionBody(1, 0));
    adapter.receiveVaa(signVaa(FIRST_SET_INDEX, guardianKeys, indices(5), body));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_receiveVaa_AcceptsQuorumWithGaps() public {
    uint8[] memory signers = new uint8[](4);
    (signers[0], signers[1], signers[2], signers[3]) = (0, 2, 3, 4);
    adapter.receiveVaa(signVaa(FIRST_SET_INDEX, guardianKeys, signers, encodeBody(subscriptionBody(1, 0))));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_quorum_IsWormholeRule() public view {
    assertEq(adapter.quorum(1), 1);
    assertEq(adapter.quorum(3), 3);
    assertEq(adapter.quorum(4), 3);
    assertEq(adapter.quorum(5), 4);
    assertEq(adapter.quorum(19), 13);
  }

  // ---- guardian quorum ----

  function test_RevertWhen_receiveVaa_BelowQuorum() public {
    bytes memory vaa = signVaa(FIRST_SET_INDEX, guardianKeys, indices(3), encodeBody(subscriptionBody(1, 0)));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.NoQuorum.selector, FIRST_SET_INDEX, 3, 4));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_WrongGuardianSetIndex() public {
    bytes memory vaa = signVaa(1, guardianKeys, indices(4), encodeBody(subscriptionBody(1, 0)));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.UnknownGuardianSet.selector, uint32(1)));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_DuplicateSignature() public {
    uint8[] memory signers = new uint8[](4);
    (signers[0], signers[1], signers[2], signers[3]) = (0, 1, 1, 2);
    bytes memory vaa = signVaa(FIRST_SET_INDEX, guardianKeys, signers, encodeBody(subscriptionBody(1, 0)));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.GuardianIndexNotIncreasing.selector, 2, uint8(1)));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_IndicesUnsorted() public {
    uint8[] memory signers = new uint8[](4);
    (signers[0], signers[1], signers[2], signers[3]) = (0, 2, 1, 3);
    bytes memory vaa = signVaa(FIRST_SET_INDEX, guardianKeys, signers, encodeBody(subscriptionBody(1, 0)));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.GuardianIndexNotIncreasing.selector, 2, uint8(1)));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_GuardianIndexOutOfRange() public {
    uint256[] memory keys = guardianKeysFor(6, 77); // the set's five keys and one more
    uint8[] memory signers = new uint8[](4);
    (signers[0], signers[1], signers[2], signers[3]) = (0, 1, 2, 5);
    bytes memory vaa = signVaa(FIRST_SET_INDEX, keys, signers, encodeBody(subscriptionBody(1, 0)));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.GuardianIndexOutOfRange.selector, uint8(5), 5));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_SignedByOutsiderAtGuardianIndex() public {
    uint256[] memory keys = guardianKeysFor(5, 77);
    keys[3] = outsiderKeys[0];
    bytes memory vaa = signVaa(FIRST_SET_INDEX, keys, indices(4), encodeBody(subscriptionBody(1, 0)));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidGuardianSignature.selector, uint8(3)));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_BodyChangedAfterSigning() public {
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 0)));
    uint256 sequenceByte = 6 + 66 * 4 + 42 + 7; // last byte of the sequence
    vaa[sequenceByte] = bytes1(uint8(vaa[sequenceByte]) ^ 0x01);
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidGuardianSignature.selector, uint8(0)));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_HighS() public {
    bytes memory body = encodeBody(subscriptionBody(1, 0));
    bytes memory vaa = quorumVaa(body);
    // Guardian 0's twin signature (r, n - s, other recovery id) recovers the same key: refused all the same.
    (, bytes32 s, ) = _sigFields(vaa, 0);
    bytes32 highS = bytes32(SECP256K1_N - uint256(s));
    for (uint256 k; k < 32; ++k) {
      vaa[6 + 33 + k] = highS[k];
    }
    vaa[6 + 65] = bytes1(uint8(vaa[6 + 65]) ^ 0x01);
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidGuardianSignature.selector, uint8(0)));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_RecoveryIdNotZeroOrOne() public {
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 0)));
    vaa[6 + 65] = bytes1(uint8(27));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidGuardianSignature.selector, uint8(0)));
    adapter.receiveVaa(vaa);
  }

  // ---- guardian set rotation and expiry ----

  function _rotate() internal returns (uint256[] memory next) {
    next = guardianKeysFor(7, 78);
    vm.prank(adapterOwner);
    adapter.upgradeGuardianSet(guardianAddresses(next));
  }

  function test_receiveVaa_NewSetVerifiesAfterRotation() public {
    uint256[] memory next = _rotate();
    adapter.receiveVaa(signVaa(1, next, indices(5), encodeBody(subscriptionBody(1, 0))));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_receiveVaa_OldSetVerifiesUntilExpiry() public {
    _rotate();
    vm.warp(T0 + adapter.GUARDIAN_SET_EXPIRY());
    adapter.receiveVaa(quorumVaa(encodeBody(subscriptionBody(1, 0))));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_RevertWhen_receiveVaa_GuardianSetExpired() public {
    _rotate();
    uint32 expiry = uint32(T0) + adapter.GUARDIAN_SET_EXPIRY();
    vm.warp(uint256(expiry) + 1);
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 0)));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.GuardianSetExpired.selector, FIRST_SET_INDEX, expiry));
    adapter.receiveVaa(vaa);
  }

  function test_receiveVaa_CurrentSetNeverExpires() public {
    vm.warp(T0 + 3650 days);
    vm.roll(block.number + 1);
    // The DID's oracle quorum is unaffected by time; only the guardian set's age is under test.
    adapter.receiveVaa(quorumVaa(encodeBody(subscriptionBody(1, 0))));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  // ---- emitter, destination, payload ----

  function test_RevertWhen_receiveVaa_UnknownEmitterAddress() public {
    Body memory b = subscriptionBody(1, 0);
    b.emitterAddress = bytes32(uint256(uint160(stranger)));
    bytes memory vaa = quorumVaa(encodeBody(b));
    vm.expectRevert(
      abi.encodeWithSelector(RwaWormholeReceiver.EmitterNotAllowed.selector, EMITTER_CHAIN, b.emitterAddress)
    );
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_UnknownEmitterChain() public {
    Body memory b = subscriptionBody(1, 0);
    b.emitterChainId = 6;
    bytes memory vaa = quorumVaa(encodeBody(b));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.EmitterNotAllowed.selector, uint16(6), emitter));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_OtherDestinationChain() public {
    Body memory b = subscriptionBody(1, 0);
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    b.payload = payloadFor(PEER_CHAIN_ID, encodeSettlement(a), quorumSigs(a));
    bytes memory vaa = quorumVaa(encodeBody(b));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.WrongDestinationChain.selector, PEER_CHAIN_ID));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_OracleQuorumMissing() public {
    Body memory b = subscriptionBody(1, 0);
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    bytes memory oneSig = signSorted(digestOf(a), firstKeys(committeeKeys, 1));
    b.payload = payloadFor(uint64(block.chainid), encodeSettlement(a), oneSig);
    bytes memory vaa = quorumVaa(encodeBody(b));
    vm.expectPartialRevert(RwaReceiver.InvalidSignatureCount.selector);
    adapter.receiveVaa(vaa);
    assertFalse(adapter.isVaaConsumed(vaaDigest(encodeBody(b))));
  }

  // ---- replay ----

  function test_RevertWhen_receiveVaa_Replayed() public {
    bytes memory body = encodeBody(subscriptionBody(1, 0));
    adapter.receiveVaa(quorumVaa(body));
    // Same body, another guardian quorum: other signature bytes, same VAA hash.
    bytes memory again = signVaa(FIRST_SET_INDEX, guardianKeys, indices(5), body);
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.VaaAlreadyConsumed.selector, vaaDigest(body)));
    adapter.receiveVaa(again);
  }

  function test_RevertWhen_receiveVaa_SameAttestationInAnotherVaa() public {
    adapter.receiveVaa(quorumVaa(encodeBody(subscriptionBody(1, 0))));
    // A fresh VAA (next sequence) of an applied attestation: RwaReceiver's nonce check refuses it.
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 1)));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1)));
    adapter.receiveVaa(vaa);
  }

  // ---- malformed ----

  function test_RevertWhen_receiveVaa_Empty() public {
    vm.expectRevert(abi.encodeWithSelector(WormholeVaa.VaaTooShort.selector, 0, 57));
    adapter.receiveVaa("");
  }

  function test_RevertWhen_receiveVaa_WrongVersion() public {
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 0)));
    vaa[0] = 0x02;
    vm.expectRevert(abi.encodeWithSelector(WormholeVaa.UnsupportedVaaVersion.selector, uint8(2)));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_TruncatedInSignatures() public {
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 0)));
    bytes memory cut = truncate(vaa, 6 + 66 * 3);
    vm.expectRevert(abi.encodeWithSelector(WormholeVaa.VaaTooShort.selector, cut.length, 6 + 66 * 4 + 51));
    adapter.receiveVaa(cut);
  }

  function test_RevertWhen_receiveVaa_SignatureCountOverstated() public {
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 0)));
    vaa[5] = bytes1(uint8(200));
    vm.expectRevert(abi.encodeWithSelector(WormholeVaa.VaaTooShort.selector, vaa.length, 6 + 66 * 200 + 51));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_PayloadTooShort() public {
    Body memory b = subscriptionBody(1, 0);
    b.payload = hex"01000000";
    bytes memory vaa = quorumVaa(encodeBody(b));
    vm.expectRevert(abi.encodeWithSelector(WormholeVaa.PayloadTooShort.selector, 4, 13));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_MessageLengthPastPayload() public {
    Body memory b = subscriptionBody(1, 0);
    b.payload = abi.encodePacked(uint8(1), uint64(block.chainid), uint32(500), hex"0102");
    bytes memory vaa = quorumVaa(encodeBody(b));
    vm.expectRevert(abi.encodeWithSelector(WormholeVaa.PayloadTooShort.selector, 15, 513));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_PayloadVersion() public {
    Body memory b = subscriptionBody(1, 0);
    b.payload[0] = 0x07;
    bytes memory vaa = quorumVaa(encodeBody(b));
    vm.expectRevert(abi.encodeWithSelector(WormholeVaa.UnsupportedPayloadVersion.selector, uint8(7)));
    adapter.receiveVaa(vaa);
  }

  function test_parseVaa_ReadsEveryField() public view {
    Body memory b = subscriptionBody(9, 41);
    bytes memory body = encodeBody(b);
    (WormholeVaa.Vaa memory v, bytes32 hash) = adapter.parseVaa(quorumVaa(body));
    assertEq(v.guardianSetIndex, FIRST_SET_INDEX);
    assertEq(v.signatureCount, 4);
    assertEq(v.timestamp, b.timestamp);
    assertEq(v.nonce, 9);
    assertEq(v.emitterChainId, EMITTER_CHAIN);
    assertEq(v.emitterAddress, emitter);
    assertEq(v.sequence, 41);
    assertEq(v.consistencyLevel, CONSISTENCY);
    assertEq(v.payloadLength, b.payload.length);
    assertEq(hash, vaaDigest(body));
  }

  function _sigFields(bytes memory vaa, uint256 i) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
    uint256 off = 6 + 66 * i;
    assembly ("memory-safe") {
      let p := add(add(vaa, 0x20), off)
      r := mload(add(p, 1))
      s := mload(add(p, 33))
      v := byte(0, mload(add(p, 65)))
    }
  }
}
