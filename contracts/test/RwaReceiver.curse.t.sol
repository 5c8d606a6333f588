// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {IRwaCurse, IRwaCurseEvents} from "../src/interfaces/IRwaCurse.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice The guardians' curse (RwaReceiverCurse): one guardian raises it, a quorum lifts it, an epoch kills old
/// signatures, and while it stands no delivery path applies anything. INVARIANTS.md 25-27; the campaign is
/// invariant/CurseInvariants.t.sol.
contract RwaReceiverCurseTest is AttestationFixture {
  function _curseSig(uint256 key) internal view returns (bytes memory) {
    return signOne(curseDigest(receiver, receiver.curseEpoch(), false), key);
  }

  function _uncurseSigs(uint256[] memory keys) internal view returns (bytes memory) {
    return signSorted(curseDigest(receiver, receiver.curseEpoch(), true), keys);
  }

  function _curse() internal {
    vm.prank(curseGuardians[1]);
    IRwaCurse(address(receiver)).curse("");
  }

  function _uncurse() internal {
    IRwaCurse(address(receiver)).uncurse(_uncurseSigs(firstKeys(curseGuardianKeys, CURSE_GUARDIAN_THRESHOLD)));
  }

  // ---- constructor ----

  function test_constructor_RecordsGuardiansAndQuorum() public view {
    for (uint256 i; i < curseGuardians.length; ++i) {
      assertTrue(receiver.isGuardian(curseGuardians[i]));
    }
    assertFalse(receiver.isGuardian(committee[0]));
    assertEq(receiver.guardianQuorum(), CURSE_GUARDIAN_THRESHOLD);
    assertFalse(receiver.cursed());
    assertEq(receiver.curseEpoch(), 0);
  }

  function test_RevertWhen_constructor_GuardianThresholdZeroOrAboveCount() public {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 0, 3));
    new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL, curseGuardians, 0);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 4, 3));
    new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL, curseGuardians, 4);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 1, 0));
    new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL, new address[](0), 1);
  }

  function test_RevertWhen_constructor_GuardiansNotAscendingOrZero() public {
    address[] memory set = new address[](3);
    (set[0], set[1], set[2]) = (curseGuardians[0], curseGuardians[2], curseGuardians[1]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 2));
    new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL, set, 2);
    (set[0], set[1], set[2]) = (address(0), curseGuardians[0], curseGuardians[1]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 0));
    new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL, set, 2);
    (set[0], set[1], set[2]) = (curseGuardians[0], curseGuardians[1], curseGuardians[1]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 2));
    new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL, set, 2);
  }

  // ---- curse ----

  function test_curse_GuardianCallingRaisesIt() public {
    vm.expectEmit(address(receiver));
    emit IRwaCurseEvents.Cursed(curseGuardians[2], 0);
    vm.prank(curseGuardians[2]);
    IRwaCurse(address(receiver)).curse("");
    assertTrue(receiver.cursed());
    assertEq(receiver.curseEpoch(), 0);
  }

  function test_curse_AnyoneSubmitsOneGuardianSignature() public {
    bytes memory sig = _curseSig(curseGuardianKeys[0]);
    vm.expectEmit(address(receiver));
    emit IRwaCurseEvents.Cursed(curseGuardians[0], 0);
    vm.prank(stranger);
    IRwaCurse(address(receiver)).curse(sig);
    assertTrue(receiver.cursed());
  }

  function test_RevertWhen_curse_CallerOrSignerNotGuardian() public {
    vm.expectRevert(abi.encodeWithSelector(IRwaCurseEvents.NotGuardian.selector, stranger));
    vm.prank(stranger);
    IRwaCurse(address(receiver)).curse("");
    // A committee key is not a guardian key.
    bytes memory sig = _curseSig(committeeKeys[0]);
    vm.expectRevert(abi.encodeWithSelector(IRwaCurseEvents.NotGuardian.selector, committee[0]));
    IRwaCurse(address(receiver)).curse(sig);
    assertFalse(receiver.cursed());
  }

  function test_RevertWhen_curse_SignedForAnotherReceiverOrChain() public {
    RwaReceiver other = newReceiver();
    bytes memory sig = signOne(curseDigest(other, 0, false), curseGuardianKeys[0]);
    vm.expectPartialRevert(IRwaCurseEvents.NotGuardian.selector);
    IRwaCurse(address(receiver)).curse(sig);
    // Same receiver, another chain id (a fork): the domain is recomputed, the signature no longer verifies.
    sig = _curseSig(curseGuardianKeys[0]);
    vm.chainId(block.chainid + 1);
    vm.expectPartialRevert(IRwaCurseEvents.NotGuardian.selector);
    IRwaCurse(address(receiver)).curse(sig);
    assertFalse(receiver.cursed());
  }

  function test_RevertWhen_curse_AlreadyCursedOrBadLength() public {
    bytes memory sig = _curseSig(curseGuardianKeys[0]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 64, 65));
    IRwaCurse(address(receiver)).curse(bytes.concat(bytes32(0), bytes32(0)));
    _curse();
    vm.expectRevert(abi.encodeWithSelector(IRwaCurseEvents.AlreadyCursed.selector, 0));
    IRwaCurse(address(receiver)).curse(sig);
  }

  // ---- while cursed: nothing applies ----

  function test_RevertWhen_cursed_EveryDeliveryPathRevertsAndAppliesNothing() public {
    SettlementAtt memory a = subscriptionAtt(alice, 7e6, 11);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    _curse();

    vm.expectRevert(IRwaCurseEvents.ChainCursed.selector);
    receiver.receiveMessage(message, sigs);

    bytes[] memory messages = new bytes[](1);
    bytes[] memory sigList = new bytes[](1);
    (messages[0], sigList[0]) = (message, sigs);
    vm.expectRevert(IRwaCurseEvents.ChainCursed.selector);
    receiver.receiveMessages(messages, sigList);

    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory rootSigs = batchQuorumSigs(root);
    vm.expectRevert(IRwaCurseEvents.ChainCursed.selector);
    receiver.receiveBatch(DID, root, rootSigs, packItems(messages), proofs);

    assertEq(holdings.balanceOf(alice), 0);
    assertFalse(receiver.isNonceUsed(DID, 11));
    assertEq(receiver.batchRootEpoch(DID, root), 0);

    // Held, not lost: after the uncurse the same bytes apply.
    _uncurse();
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.balanceOf(alice), 7e6);
  }

  function test_RevertWhen_cursed_RedemptionRequestRefusedCancelStillOpen() public {
    deliver(subscriptionAtt(alice, 10e6, 1));
    RwaRedemptions redemptions = receiver.redemptions();
    vm.prank(alice);
    uint64 id = redemptions.requestRedeem(DID, 4e6);
    _curse();
    vm.expectRevert(RwaRedemptions.ChainCursed.selector);
    vm.prank(alice);
    redemptions.requestRedeem(DID, 1e6);
    // A holder taking back its own unaccepted request moves nothing off this chain.
    vm.prank(alice);
    redemptions.cancelRedeem(DID, id);
    assertEq(holdings.balanceOf(alice), 10e6);
    assertEq(RwaRedemptions.ChainCursed.selector, IRwaCurseEvents.ChainCursed.selector);
  }

  // ---- uncurse ----

  function test_uncurse_QuorumLiftsAndMovesTheEpoch() public {
    _curse();
    bytes memory sigs = _uncurseSigs(firstKeys(curseGuardianKeys, CURSE_GUARDIAN_THRESHOLD));
    vm.expectEmit(address(receiver));
    emit IRwaCurseEvents.Uncursed(0);
    vm.prank(stranger);
    IRwaCurse(address(receiver)).uncurse(sigs);
    assertFalse(receiver.cursed());
    assertEq(receiver.curseEpoch(), 1);
    deliver(subscriptionAtt(alice, 1e6, 1));
    assertEq(holdings.balanceOf(alice), 1e6);
  }

  function test_RevertWhen_uncurse_NotCursed() public {
    bytes memory sigs = _uncurseSigs(firstKeys(curseGuardianKeys, CURSE_GUARDIAN_THRESHOLD));
    vm.expectRevert(abi.encodeWithSelector(IRwaCurseEvents.NotCursed.selector, 0));
    IRwaCurse(address(receiver)).uncurse(sigs);
  }

  /// @dev The stolen-key case: one guardian key raises the curse but cannot lift it, neither with one signature nor
  /// by signing twice.
  function test_RevertWhen_uncurse_OneKeyAlone() public {
    bytes memory stolen = _curseSig(curseGuardianKeys[0]);
    IRwaCurse(address(receiver)).curse(stolen);
    bytes memory one = signOne(curseDigest(receiver, 0, true), curseGuardianKeys[0]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 65, 130));
    IRwaCurse(address(receiver)).uncurse(one);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 1));
    IRwaCurse(address(receiver)).uncurse(bytes.concat(one, one));
    assertTrue(receiver.cursed());
  }

  function test_RevertWhen_uncurse_DescendingOrOutsiderOrCurseSignatures() public {
    _curse();
    bytes32 lift = curseDigest(receiver, 0, true);
    uint256[] memory desc = new uint256[](2);
    (desc[0], desc[1]) = (curseGuardianKeys[1], curseGuardianKeys[0]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 1));
    IRwaCurse(address(receiver)).uncurse(signInOrder(lift, desc));

    uint256[] memory mixed = new uint256[](2);
    (mixed[0], mixed[1]) = (curseGuardianKeys[0], committeeKeys[0]);
    vm.expectPartialRevert(IRwaCurseEvents.NotGuardian.selector);
    IRwaCurse(address(receiver)).uncurse(signSorted(lift, mixed));

    // Curse signatures (another type) do not lift.
    vm.expectPartialRevert(IRwaCurseEvents.NotGuardian.selector);
    IRwaCurse(address(receiver)).uncurse(signSorted(curseDigest(receiver, 0, false), firstKeys(curseGuardianKeys, 2)));
    assertTrue(receiver.cursed());
  }

  /// @dev INVARIANTS.md 27: after an uncurse neither the old curse nor the old uncurse verifies again.
  function test_RevertWhen_oldSignaturesReplayedAfterUncurse() public {
    bytes memory oldCurse = _curseSig(curseGuardianKeys[0]);
    IRwaCurse(address(receiver)).curse(oldCurse);
    bytes memory oldLift = _uncurseSigs(firstKeys(curseGuardianKeys, CURSE_GUARDIAN_THRESHOLD));
    IRwaCurse(address(receiver)).uncurse(oldLift);
    vm.expectPartialRevert(IRwaCurseEvents.NotGuardian.selector);
    IRwaCurse(address(receiver)).curse(oldCurse);
    assertFalse(receiver.cursed());

    // A fresh curse of epoch 1 holds; the epoch-0 uncurse cannot lift it.
    IRwaCurse(address(receiver)).curse(_curseSig(curseGuardianKeys[0]));
    vm.expectPartialRevert(IRwaCurseEvents.NotGuardian.selector);
    IRwaCurse(address(receiver)).uncurse(oldLift);
    assertTrue(receiver.cursed());
    assertEq(receiver.curseEpoch(), 1);
  }

  // ---- fuzz ----

  function testFuzz_curse_RevertWhen_KeyNotGuardian(uint256 key) public {
    key = bound(key, 1, SECP256K1_N - 1);
    address signer = vm.addr(key);
    vm.assume(!receiver.isGuardian(signer));
    bytes memory sig = _curseSig(key);
    vm.expectRevert(abi.encodeWithSelector(IRwaCurseEvents.NotGuardian.selector, signer));
    IRwaCurse(address(receiver)).curse(sig);
  }

  function testFuzz_cursed_AppliesNoSettlement(uint256 amount, uint64 nonce, bool redemption) public {
    amount = bound(amount, 1, 1e30);
    nonce = uint64(bound(nonce, 1, ADMIN_NONCE_BASE - 1));
    deliver(subscriptionAtt(bob, 1e30, 0));
    SettlementAtt memory a = subscriptionAtt(bob, amount, nonce);
    if (redemption) a.settlementKind = REDEMPTION;
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    _curse();
    vm.expectRevert(IRwaCurseEvents.ChainCursed.selector);
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.balanceOf(bob), 1e30);
    assertFalse(receiver.isNonceUsed(DID, nonce));
  }

  function testFuzz_uncurse_EveryQuorumOfGuardiansLifts(uint256 pick) public {
    uint256[] memory two = new uint256[](2);
    uint256 skip = pick % CURSE_GUARDIAN_SIZE;
    uint256 j;
    for (uint256 i; i < CURSE_GUARDIAN_SIZE; ++i) {
      if (i != skip) two[j++] = curseGuardianKeys[i];
    }
    _curse();
    IRwaCurse(address(receiver)).uncurse(_uncurseSigs(two));
    assertFalse(receiver.cursed());
    assertEq(receiver.curseEpoch(), 1);
  }
}
