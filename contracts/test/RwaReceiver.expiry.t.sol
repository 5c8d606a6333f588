// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice Signer sets that expire (issue 24, point 4; receiver/RwaReceiverExpiry.sol): past its end a set verifies
/// nothing on any path; only a config revives a DID, verified by governance; governance past its end verifies nothing.
/// The main DID's set ends END (30 days after setUp), governance's VALID_UNTIL (50 years).
contract RwaReceiverExpiryTest is AttestationFixture {
  bytes32 internal constant DID_B = keccak256("did:rwa:acme:money-market");
  uint64 internal constant END = uint64(T0 + 30 days);

  function setUp() public override {
    super.setUp();
    deliverAdmin(_didConfig(nextAdminNonce(receiver, DID), committee, END));
  }

  function _didConfig(uint64 nonce, address[] memory signers, uint64 end) internal pure returns (bytes memory) {
    ConfigAtt memory c = configAtt(DID, nonce, signers, THRESHOLD);
    c.signersValidUntil = end;
    return encodeConfig(c);
  }

  function _governanceConfig(uint64 nonce, uint64 end) internal view returns (bytes memory) {
    ConfigAtt memory c = configAtt(GOVERNANCE_DID, nonce, governance, GOVERNANCE_THRESHOLD);
    c.signersValidUntil = end;
    return encodeConfig(c);
  }

  function _expectExpired(bytes32 key, uint64 end) internal {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignerSetExpired.selector, key, end));
  }

  function _sendSubscription(uint64 nonce) internal {
    SettlementAtt memory a = subscriptionAtt(alice, 5, nonce);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // the end, on every path
  // ---------------------------------------------------------------------------------------------------------------

  function test_didState_StoresEachSetsEnd() public view {
    assertEq(receiver.didState(DID).signersValidUntil, END);
    assertEq(receiver.didState(GOVERNANCE_DID).signersValidUntil, VALID_UNTIL);
    assertEq(receiver.didState(DID_B).signersValidUntil, 0);
  }

  function test_receiveMessage_AppliesAtTheEndItself() public {
    vm.warp(END);
    _sendSubscription(1);
    assertEq(holdings.balanceOf(alice), 5);
  }

  function test_RevertWhen_receiveMessage_SettlementAfterTheEnd() public {
    SettlementAtt memory a = subscriptionAtt(alice, 5, 1);
    bytes memory sigs = quorumSigs(a);
    vm.warp(END + 1);
    _expectExpired(DID, END);
    receiver.receiveMessage(encodeSettlement(a), sigs);
    assertFalse(receiver.isNonceUsed(DID, 1));
    assertEq(holdings.totalSupply(), 0);
  }

  function test_RevertWhen_receiveMessage_NavOrAdminAfterTheEnd() public {
    vm.warp(END + 1);
    NavAtt memory n = navAtt(NAV_1, uint64(END), 2);
    bytes memory navSigs = quorumSigs(n);
    _expectExpired(DID, END);
    receiver.receiveMessage(encodeNav(n), navSigs);
    bytes memory pause = encodePause(PauseAtt({did: DID, nonce: 3, paused: true}));
    bytes memory pauseSigs = adminQuorumSigs(pause);
    _expectExpired(DID, END);
    receiver.receiveMessage(pause, pauseSigs);
    assertFalse(holdings.paused());
  }

  function test_RevertWhen_receiveMessages_AnItemAfterTheEnd() public {
    bytes[] memory messages = new bytes[](2);
    bytes[] memory sigs = new bytes[](2);
    for (uint256 i; i < 2; ++i) {
      SettlementAtt memory a = subscriptionAtt(alice, 5, uint64(1 + i));
      (messages[i], sigs[i]) = (encodeSettlement(a), quorumSigs(a));
    }
    vm.warp(END + 1);
    _expectExpired(DID, END);
    receiver.receiveMessages(messages, sigs);
    assertEq(holdings.totalSupply(), 0);
  }

  /// @dev A root verified before the end applies none of its items after it: a leaked root cannot be drained later.
  function test_RevertWhen_receiveBatch_RootVerifiedBeforeTheEnd() public {
    bytes[] memory messages = new bytes[](2);
    messages[0] = encodeSettlement(subscriptionAtt(alice, 1, 1));
    messages[1] = encodeSettlement(subscriptionAtt(bob, 2, 2));
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes[] memory first = new bytes[](1);
    bytes32[][] memory firstProof = new bytes32[][](1);
    (first[0], firstProof[0]) = (messages[0], proofs[0]);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(first), firstProof);
    assertEq(receiver.batchRootEpoch(DID, root), receiver.didState(DID).signerEpoch);

    vm.warp(END + 1);
    (first[0], firstProof[0]) = (messages[1], proofs[1]);
    _expectExpired(DID, END);
    receiver.receiveBatch(DID, root, "", packItems(first), firstProof);
    assertFalse(receiver.isNonceUsed(DID, 2));
    assertEq(holdings.balanceOf(bob), 0);
  }

  function test_RevertWhen_receiveBatch_NewRootAfterTheEnd() public {
    bytes[] memory messages = new bytes[](1);
    messages[0] = encodeSettlement(subscriptionAtt(alice, 1, 1));
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory sigs = batchQuorumSigs(root);
    vm.warp(END + 1);
    _expectExpired(DID, END);
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
    assertEq(receiver.batchRootEpoch(DID, root), 0);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // revival: a config verified by governance
  // ---------------------------------------------------------------------------------------------------------------

  function test_receiveMessage_GovernanceConfigRevivesAnExpiredSet() public {
    vm.warp(END + 1);
    uint32 epoch = receiver.didState(DID).signerEpoch;
    uint64 nonce = nextAdminNonce(receiver, DID);
    uint64 next = uint64(END + 365 days);
    bytes memory message = _didConfig(nonce, committee, next);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.DidConfigured(DID, nonce, epoch + 1, THRESHOLD, committee, address(holdings), address(navFeed), next);
    receiver.receiveMessage(message, governanceSigs(receiver, message));
    assertEq(receiver.didState(DID).signersValidUntil, next);
    _sendSubscription(1);
    assertEq(holdings.balanceOf(alice), 5);
  }

  /// @dev The DID's own (expired) set cannot sign its way back, not even with a config it signed while still live.
  function test_RevertWhen_receiveMessage_ExpiredSetSignsItsOwnRevival() public {
    bytes memory early = _didConfig(nextAdminNonce(receiver, DID), committee, uint64(END + 365 days));
    bytes memory sigs = adminQuorumSigs(early);
    vm.warp(END + 1);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, committee[0]));
    receiver.receiveMessage(early, sigs);
    assertEq(receiver.didState(DID).signersValidUntil, END);
  }

  /// @dev While the DID's set is live, governance cannot replace it: only expiry hands the config to governance.
  function test_RevertWhen_receiveMessage_GovernanceConfigForALiveSet() public {
    bytes memory message = _didConfig(nextAdminNonce(receiver, DID), committee, uint64(END + 365 days));
    bytes memory sigs = governanceSigs(receiver, message);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, governance[0]));
    receiver.receiveMessage(message, sigs);
    assertEq(receiver.didState(DID).signersValidUntil, END);
  }

  /// @dev An older config that would extend the set (signed before a newer, shorter one) is superseded, not applied.
  function test_receiveMessage_OlderExtendingConfigIsSupersededByAShorterNewerOne() public {
    uint64 olderNonce = nextAdminNonce(receiver, DID);
    uint64 newerNonce = nextAdminNonce(receiver, DID);
    bytes memory older = _didConfig(olderNonce, committee, uint64(END + 365 days));
    bytes memory newer = _didConfig(newerNonce, committee, uint64(END - 10 days));
    deliverAdmin(newer);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.AdminSuperseded(DID, olderNonce, KIND_CONFIG, newerNonce);
    deliverAdmin(older);
    assertEq(receiver.didState(DID).signersValidUntil, END - 10 days);
  }

  /// @dev After a revival an older config, even signed by governance, cannot reset the end: the DID is live again, so
  /// only its own set verifies configs (and an older one it signed would be superseded).
  function test_RevertWhen_receiveMessage_OlderGovernanceConfigAfterARevival() public {
    uint64 olderNonce = nextAdminNonce(receiver, DID);
    uint64 newerNonce = nextAdminNonce(receiver, DID);
    bytes memory older = _didConfig(olderNonce, committee, uint64(END + 10 days));
    bytes memory newer = _didConfig(newerNonce, committee, uint64(END + 365 days));
    vm.warp(END + 1);
    receiver.receiveMessage(newer, governanceSigs(receiver, newer));
    // The DID is live again, so the older config goes to the DID's set, which did not sign it: refused.
    bytes memory sigs = governanceSigs(receiver, older);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, governance[0]));
    receiver.receiveMessage(older, sigs);
    // Signed by the DID's set instead: older than the revival, so superseded.
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.AdminSuperseded(DID, olderNonce, KIND_CONFIG, newerNonce);
    deliverAdmin(older);
    assertEq(receiver.didState(DID).signersValidUntil, END + 365 days);
  }

  function test_RevertWhen_receiveMessage_ConfigWhoseEndHasPassed() public {
    vm.warp(END - 1 days);
    uint64 late = uint64(END - 2 days);
    bytes memory message = _didConfig(nextAdminNonce(receiver, DID), committee, late);
    bytes memory sigs = adminQuorumSigs(message);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignersValidUntil.selector, DID, late));
    receiver.receiveMessage(message, sigs);
    assertEq(receiver.didState(DID).signersValidUntil, END);
  }

  function test_RevertWhen_receiveMessage_ConfigEndBeyond32Bits() public {
    uint64 far = uint64(type(uint32).max) + 1;
    bytes memory message = _didConfig(nextAdminNonce(receiver, DID), committee, far);
    bytes memory sigs = adminQuorumSigs(message);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignersValidUntil.selector, DID, far));
    receiver.receiveMessage(message, sigs);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // governance
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_constructor_GovernanceEndNotInFuture() public {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignersValidUntil.selector, GOVERNANCE_DID, uint64(T0)));
    new RwaReceiver(governance, GOVERNANCE_THRESHOLD, uint64(T0), curseGuardians, CURSE_GUARDIAN_THRESHOLD);
  }

  function test_receiveMessage_GovernanceRotationCarriesItsNewEnd() public {
    uint64 next = uint64(VALID_UNTIL + 365 days);
    bytes memory message = _governanceConfig(nextAdminNonce(receiver, GOVERNANCE_DID), next);
    receiver.receiveMessage(message, governanceSigs(receiver, message));
    assertEq(receiver.didState(GOVERNANCE_DID).signersValidUntil, next);
    // Past the old end, governance (under its new end) still introduces a DID.
    vm.warp(VALID_UNTIL + 1);
    ConfigAtt memory c = configAtt(DID_B, nextAdminNonce(receiver, DID_B), committee, THRESHOLD);
    c.signersValidUntil = uint64(VALID_UNTIL + 30 days);
    bytes memory intro = encodeConfig(c);
    receiver.receiveMessage(intro, governanceSigs(receiver, intro));
    assertEq(receiver.didState(DID_B).signersValidUntil, VALID_UNTIL + 30 days);
    assertTrue(address(receiver.didState(DID_B).holdings) != address(0));
  }

  function test_RevertWhen_receiveMessage_GovernancePastItsEnd() public {
    vm.warp(VALID_UNTIL + 1);
    // No new DID ...
    ConfigAtt memory c = configAtt(DID_B, nextAdminNonce(receiver, DID_B), committee, THRESHOLD);
    c.signersValidUntil = uint64(VALID_UNTIL + 365 days);
    bytes memory intro = encodeConfig(c);
    bytes memory sigs = governanceSigs(receiver, intro);
    _expectExpired(GOVERNANCE_DID, VALID_UNTIL);
    receiver.receiveMessage(intro, sigs);
    // ... no revival of an expired DID ...
    bytes memory revive = _didConfig(nextAdminNonce(receiver, DID), committee, uint64(VALID_UNTIL + 365 days));
    sigs = governanceSigs(receiver, revive);
    _expectExpired(GOVERNANCE_DID, VALID_UNTIL);
    receiver.receiveMessage(revive, sigs);
    // ... and no rotation of governance itself.
    bytes memory rotation = _governanceConfig(nextAdminNonce(receiver, GOVERNANCE_DID), uint64(VALID_UNTIL + 365 days));
    sigs = governanceSigs(receiver, rotation);
    _expectExpired(GOVERNANCE_DID, VALID_UNTIL);
    receiver.receiveMessage(rotation, sigs);
    assertEq(receiver.didState(GOVERNANCE_DID).signersValidUntil, VALID_UNTIL);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // fuzz
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev A settlement verifies exactly while block.timestamp <= the set's end.
  function testFuzz_receiveMessage_VerifiesOnlyUntilTheEnd(uint256 at) public {
    at = bound(at, T0, uint256(END) + 3650 days);
    SettlementAtt memory a = subscriptionAtt(alice, 7, 1);
    bytes memory sigs = quorumSigs(a);
    vm.warp(at);
    if (at > END) _expectExpired(DID, END);
    receiver.receiveMessage(encodeSettlement(a), sigs);
    assertEq(holdings.balanceOf(alice), at > END ? 0 : 7);
  }

  /// @dev A config applies only with an end in the future and within 32 bits; otherwise nothing changes.
  function testFuzz_receiveMessage_ConfigEndMustBeFuture(uint64 end) public {
    bytes memory message = _didConfig(nextAdminNonce(receiver, DID), committee, end);
    bytes memory sigs = adminQuorumSigs(message);
    bool valid = end > block.timestamp && end <= type(uint32).max;
    if (!valid) vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignersValidUntil.selector, DID, end));
    receiver.receiveMessage(message, sigs);
    assertEq(receiver.didState(DID).signersValidUntil, valid ? end : END);
  }
}
