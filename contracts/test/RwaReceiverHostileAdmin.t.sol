// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {AttestationCodec} from "../src/libraries/AttestationCodec.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice The hostile-relayer corpus for config, allow-list, pause and reserve attestations: forged signers, replays,
/// wrong chain or receiver, tampering and framing. Each case asserts the exact custom error and that nothing moved.
contract RwaReceiverHostileAdminTest is AttestationFixture {
  bytes32 internal constant DID_B = keccak256("did:rwa:acme:money-market");
  address internal attacker = makeAddr("attacker");

  function _attackerAllowList(uint64 nonce) internal view returns (bytes memory) {
    AllowListAtt memory a;
    a.did = DID;
    a.nonce = nonce;
    a.entries = new AllowEntry[](1);
    a.entries[0] = AllowEntry({account: attacker, allowed: true});
    return encodeAllowList(a);
  }

  function _reserve(uint64 nonce, uint64 asOf, uint128 cap) internal view returns (bytes memory) {
    CapEntry[] memory caps = new CapEntry[](1);
    caps[0] = CapEntry({chainId: uint64(block.chainid), cap: cap, ceiling: 0});
    return encodeReserve(ReserveAtt({did: DID, nonce: nonce, reserve: cap, asOf: asOf, caps: caps}));
  }

  function _expectRevert(bytes memory m, bytes memory sigs, bytes memory revertData) internal {
    vm.expectRevert(revertData);
    vm.prank(relayer);
    receiver.receiveMessage(m, sigs);
  }

  /// @dev UnauthorizedSigner naming whom `sigs` recover to over the digest this receiver computes.
  function _unauthorized(bytes32 digestHere, bytes memory sigs) internal pure returns (bytes memory) {
    return abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, recoverAt(digestHere, sigs, 0));
  }

  function _badLength(uint256 length, uint256 expected) internal pure returns (bytes memory) {
    return abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, length, expected);
  }

  function _assertDidUntouched() internal view {
    assertEq(receiver.didState(DID).signerEpoch, 1, "signer set rotated");
    assertFalse(holdings.isAllowed(attacker), "attacker allow-listed");
    assertFalse(holdings.paused(), "paused");
    assertEq(holdings.supplyCap(), LARGE_CAP, "cap changed");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // forged signers
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_ConfigForgedByOutsiders() public {
    address[] memory attackers = addressesOf(outsiderKeys);
    bytes memory intro = encodeConfig(configAtt(DID_B, 1, attackers, 1));
    bytes memory forged = adminSigs(receiver, intro, firstKeys(outsiderKeys, GOVERNANCE_THRESHOLD));
    _expectRevert(intro, forged, abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, attackers[0]));
    assertEq(address(receiver.didState(DID_B).holdings), address(0));

    bytes memory takeover = encodeConfig(configAtt(DID, 1, attackers, 1));
    forged = adminSigs(receiver, takeover, firstKeys(outsiderKeys, THRESHOLD));
    _expectRevert(takeover, forged, abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, attackers[0]));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_GovernanceRotationForgedByOutsiders() public {
    bytes memory m = encodeConfig(configAtt(GOVERNANCE_DID, 1, addressesOf(outsiderKeys), 1));
    bytes memory forged = adminSigs(receiver, m, firstKeys(outsiderKeys, GOVERNANCE_THRESHOLD));
    _expectRevert(m, forged, abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, vm.addr(outsiderKeys[0])));
    assertTrue(receiver.isSigner(GOVERNANCE_DID, governance[0]));
  }

  function test_RevertWhen_receiveMessage_AdminKindsSignedByGovernance() public {
    // Governance introduces DIDs; it cannot allow-list, pause or re-cap one.
    bytes[] memory ms = new bytes[](3);
    ms[0] = _attackerAllowList(1);
    ms[1] = encodePause(PauseAtt({did: DID, nonce: 2, paused: true}));
    ms[2] = _reserve(3, uint64(T0 + 1), 0);
    for (uint256 i; i < ms.length; ++i) {
      bytes memory sigs = governanceSigs(receiver, ms[i]);
      _expectRevert(ms[i], sigs, abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, governance[0]));
    }
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_AdminKindsSignedByAnotherDidsCommittee() public {
    (uint256[] memory keysB,,) = configureCommittee(DID_B, 3, 2, 77);
    bytes memory m = _attackerAllowList(1);
    bytes memory foreign = adminSigs(receiver, m, firstKeys(keysB, 2));
    _expectRevert(m, foreign, abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, vm.addr(keysB[0])));
    _assertDidUntouched();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // replays
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_FirstConfigReplayed() public {
    bytes memory intro = encodeConfig(configAtt(DID_B, 1, committee, THRESHOLD));
    bytes memory sigs = governanceSigs(receiver, intro);
    receiver.receiveMessage(intro, sigs);
    // The DID is known now, so its own set must sign: governance's signatures no longer verify (and the nonce is used).
    _expectRevert(intro, sigs, abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, governance[0]));
    assertTrue(receiver.isNonceUsed(DID_B, 1));
    assertEq(receiver.didState(DID_B).signerEpoch, 1);
  }

  function test_RevertWhen_receiveMessage_ConfigUpdateReplayed() public {
    // An update that keeps the signer set: its signatures stay valid, only the nonce stops a replay.
    ConfigAtt memory c = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
    c.heartbeat = 2 days;
    bytes memory m = encodeConfig(c);
    bytes memory sigs = adminQuorumSigs(m);
    receiver.receiveMessage(m, sigs);
    _expectRevert(m, sigs, abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, c.nonce));
    assertEq(receiver.didState(DID).signerEpoch, 2);
  }

  function test_RevertWhen_receiveMessage_ConfigReplayedAfterLaterRotation() public {
    uint256[] memory keysB = deriveKeys(3, 42);
    uint64 toBNonce = nextAdminNonce(receiver, DID);
    bytes memory toB = encodeConfig(configAtt(DID, toBNonce, addressesOf(keysB), 2));
    bytes memory toBSigs = adminQuorumSigs(toB);
    receiver.receiveMessage(toB, toBSigs);
    bytes memory back = encodeConfig(configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD));
    receiver.receiveMessage(back, adminSigs(receiver, back, firstKeys(keysB, 2)));
    // Replaying the rotation to B (signed by the committee now back in office) must not hand the DID to B again.
    _expectRevert(toB, toBSigs, abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, toBNonce));
    assertTrue(receiver.isSigner(DID, committee[0]));
    assertFalse(receiver.isSigner(DID, vm.addr(keysB[0])));
  }

  function test_RevertWhen_receiveMessage_AllowListReplayed() public {
    bytes memory add = _attackerAllowList(1);
    bytes memory addSigs = adminQuorumSigs(add);
    receiver.receiveMessage(add, addSigs);
    disallow(attacker);
    _expectRevert(add, addSigs, abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1)));
    assertFalse(holdings.isAllowed(attacker));
  }

  function test_RevertWhen_receiveMessage_PauseReplayedAfterResume() public {
    bytes memory pause = encodePause(PauseAtt({did: DID, nonce: 1, paused: true}));
    bytes memory pauseSigs = adminQuorumSigs(pause);
    receiver.receiveMessage(pause, pauseSigs);
    setPaused(false);
    _expectRevert(pause, pauseSigs, abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1)));
    assertFalse(holdings.paused());
  }

  function test_RevertWhen_receiveMessage_ReserveReplayed() public {
    bytes memory m = _reserve(1, uint64(T0 + 1), 1_000);
    bytes memory sigs = adminQuorumSigs(m);
    receiver.receiveMessage(m, sigs);
    _expectRevert(m, sigs, abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1)));
    // A stale reserve under a fresh nonce is refused by its as-of time.
    bytes memory stale = _reserve(2, uint64(T0 + 1), 2_000);
    _expectRevert(
      stale,
      adminQuorumSigs(stale),
      abi.encodeWithSelector(RwaReceiver.ReserveNotNewer.selector, uint64(T0 + 1), uint64(T0 + 1))
    );
    assertEq(holdings.supplyCap(), 1_000);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // wrong chain, wrong receiver, fork
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_AdminSignedForAnotherChain() public {
    bytes[] memory ms = new bytes[](3);
    ms[0] = encodeConfig(configAtt(DID, 1, addressesOf(outsiderKeys), 1));
    ms[1] = _attackerAllowList(2);
    ms[2] = _reserve(3, uint64(T0 + 1), 0);
    for (uint256 i; i < ms.length; ++i) {
      bytes memory sigs = signSorted(adminDigest(ms[i], PEER_CHAIN_ID, address(receiver)), quorumKeys());
      bytes32 here = adminDigest(ms[i], block.chainid, address(receiver));
      _expectRevert(ms[i], sigs, _unauthorized(here, sigs));
    }
    bytes memory intro = encodeConfig(configAtt(DID_B, 1, committee, THRESHOLD));
    bytes memory govSigs = signSorted(
      adminDigest(intro, PEER_CHAIN_ID, address(receiver)), firstKeys(governanceKeys, GOVERNANCE_THRESHOLD)
    );
    bytes32 digestHere = adminDigest(intro, block.chainid, address(receiver));
    _expectRevert(intro, govSigs, _unauthorized(digestHere, govSigs));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_AdminSignedForAnotherReceiver() public {
    RwaReceiver other = new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL);
    bytes memory m = _attackerAllowList(1);
    bytes memory sigs = adminSigs(other, m, quorumKeys());
    bytes32 here = adminDigest(m, block.chainid, address(receiver));
    _expectRevert(m, sigs, _unauthorized(here, sigs));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_ConfigDeliveredOnForkedChain() public {
    bytes memory m = encodeConfig(configAtt(DID, 1, addressesOf(outsiderKeys), 1));
    bytes memory sigs = adminQuorumSigs(m);
    uint256 fork = block.chainid + 1000;
    vm.chainId(fork);
    bytes32 forkDigest = adminDigest(m, fork, address(receiver));
    _expectRevert(m, sigs, _unauthorized(forkDigest, sigs));
    _assertDidUntouched();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // tampering after signing
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_AllowListEntryAppended() public {
    AllowListAtt memory a;
    a.did = DID;
    a.nonce = 1;
    a.entries = new AllowEntry[](1);
    a.entries[0] = AllowEntry({account: carol, allowed: true});
    bytes memory sigs = adminQuorumSigs(encodeAllowList(a));
    AllowEntry[] memory more = new AllowEntry[](2);
    (more[0], more[1]) = (a.entries[0], AllowEntry({account: attacker, allowed: true}));
    a.entries = more;
    bytes memory tampered = encodeAllowList(a);
    bytes32 digest = adminDigest(tampered, block.chainid, address(receiver));
    _expectRevert(tampered, sigs, _unauthorized(digest, sigs));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_ReserveCapRaisedAfterSigning() public {
    bytes memory sigs = adminQuorumSigs(_reserve(1, uint64(T0 + 1), 1_000));
    bytes memory tampered = _reserve(1, uint64(T0 + 1), 1_000_000);
    bytes32 digest = adminDigest(tampered, block.chainid, address(receiver));
    _expectRevert(tampered, sigs, _unauthorized(digest, sigs));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_PauseFlagFlipped() public {
    setPaused(true);
    bytes memory stayPaused = encodePause(PauseAtt({did: DID, nonce: 1, paused: true}));
    bytes memory sigs = adminQuorumSigs(stayPaused);
    bytes memory flipped = copyBytes(stayPaused);
    flipped[42] = 0x00;
    bytes32 digest = adminDigest(flipped, block.chainid, address(receiver));
    _expectRevert(flipped, sigs, _unauthorized(digest, sigs));
    assertTrue(holdings.paused());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // framing
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_TruncatedConfig() public {
    bytes memory m = encodeConfig(configAtt(DID, 1, committee, THRESHOLD));
    bytes memory sigs = adminQuorumSigs(m);
    uint256 full = m.length; // 54 + 3 * 20 + 18 + 5
    uint256 signersEnd = 52 + 3 * 20;
    _expectRevert(truncate(m, full - 1), sigs, _badLength(full - 1, full));
    // Cut inside the name (18 bytes): the symbol length byte after it is still missing.
    _expectRevert(truncate(m, signersEnd + 5), sigs, _badLength(signersEnd + 5, signersEnd + 1 + 18 + 1));
    _expectRevert(truncate(m, 60), sigs, _badLength(60, signersEnd + 1));
    _expectRevert(truncate(m, 50), sigs, _badLength(50, 52));
    _expectRevert(truncate(m, 41), sigs, abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, 41));
    _expectRevert(bytes.concat(m, hex"00"), sigs, _badLength(full + 1, full));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_TruncatedAllowList() public {
    bytes memory m = _attackerAllowList(1); // 44 + 21
    bytes memory sigs = adminQuorumSigs(m);
    _expectRevert(truncate(m, 64), sigs, _badLength(64, 65));
    _expectRevert(truncate(m, 43), sigs, _badLength(43, 44));
    _expectRevert(truncate(m, 30), sigs, abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, 30));
    // An entry appended without raising the count is padding, not an entry.
    bytes memory padded = bytes.concat(m, bytes20(attacker), hex"01");
    _expectRevert(padded, sigs, _badLength(86, 65));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_TruncatedReserve() public {
    bytes memory m = _reserve(1, uint64(T0 + 1), 0); // 83 + 40
    bytes memory sigs = adminQuorumSigs(m);
    _expectRevert(truncate(m, 122), sigs, _badLength(122, 123));
    _expectRevert(truncate(m, 82), sigs, _badLength(82, 83));
    _expectRevert(truncate(m, 0), sigs, abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, 0));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_TruncatedOrPaddedPause() public {
    bytes memory m = encodePause(PauseAtt({did: DID, nonce: 1, paused: true}));
    bytes memory sigs = adminQuorumSigs(m);
    _expectRevert(truncate(m, 42), sigs, _badLength(42, 43));
    _expectRevert(bytes.concat(m, hex"01"), sigs, _badLength(44, 43));
    _assertDidUntouched();
  }

  function test_RevertWhen_receiveMessage_BodyUnderAnotherKind() public {
    bytes memory pause = encodePause(PauseAtt({did: DID, nonce: 1, paused: true}));
    bytes memory sigs = adminQuorumSigs(pause);
    bytes memory m = copyBytes(pause);
    m[1] = bytes1(KIND_ALLOWLIST);
    _expectRevert(m, sigs, _badLength(43, 44));

    AllowListAtt memory empty;
    empty.did = DID;
    m = encodeAllowList(empty); // 44 bytes
    m[1] = bytes1(KIND_PAUSE);
    _expectRevert(m, sigs, _badLength(44, 43));

    m = _reserve(1, 1, 0);
    m[1] = bytes1(KIND_SETTLEMENT);
    _expectRevert(m, sigs, _badLength(123, 175));

    m = encodeNav(navAtt(NAV_1, uint64(T0), 1)); // 82 bytes: one short of an empty reserve
    m[1] = bytes1(KIND_RESERVE);
    _expectRevert(m, sigs, _badLength(82, 83));

    m = encodeConfig(configAtt(DID, 1, committee, THRESHOLD));
    uint256 len = m.length;
    m[1] = bytes1(KIND_SETTLEMENT);
    _expectRevert(m, sigs, _badLength(len, 175));
    _assertDidUntouched();
  }
}
