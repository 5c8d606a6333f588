// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaNavFeed} from "../src/RwaNavFeed.sol";
import {AttestationCodec} from "../src/libraries/AttestationCodec.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice The hostile-relayer corpus: everything a permissionless caller of receiveMessage might try. Each case
/// asserts the exact custom error and that nothing was applied.
contract RwaReceiverHostileTest is AttestationFixture {
  bytes32 internal constant DID_B = keccak256("did:rwa:acme:money-market");
  uint64 internal constant NONCE = 1;

  /// @dev Default victim message: a subscription of 1,000 units for alice, nonce 1.
  SettlementAtt internal att;
  bytes internal message;
  bytes internal sigs;

  function setUp() public override {
    super.setUp();
    att = subscriptionAtt(alice, 1_000e6, NONCE);
    message = encodeSettlement(att);
    sigs = quorumSigs(att);
  }

  function _assertNothingApplied() internal view {
    assertEq(holdings.totalSupply(), 0, "supply changed");
    assertFalse(receiver.isNonceUsed(DID, NONCE), "nonce consumed");
  }

  function _expectUnauthorized(address signer) internal {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, signer));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signatures: who signed
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_SignedWithWrongKeys() public {
    bytes memory forged = signSorted(digestOf(att), firstKeys(outsiderKeys, THRESHOLD));
    _expectUnauthorized(vm.addr(outsiderKeys[0]));
    vm.prank(relayer);
    receiver.receiveMessage(message, forged);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_SignerNotInSet() public {
    uint256[] memory keys = new uint256[](2);
    keys[0] = committeeKeys[0];
    keys[1] = outsiderKeys[1];
    bytes memory mixed = signSorted(digestOf(att), keys);
    _expectUnauthorized(vm.addr(outsiderKeys[1]));
    receiver.receiveMessage(message, mixed);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_SignedByAnotherDidsCommittee() public {
    (uint256[] memory keysB,,) = configureCommittee(DID_B, 3, 2, 77);
    bytes memory foreign = signSorted(digestOf(att), firstKeys(keysB, 2));
    _expectUnauthorized(vm.addr(keysB[0]));
    receiver.receiveMessage(message, foreign);
    _assertNothingApplied();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signatures: what was signed (domain and message binding)
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_Replayed() public {
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.totalSupply(), 1_000e6);

    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, NONCE));
    vm.prank(stranger);
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.totalSupply(), 1_000e6);
  }

  function test_RevertWhen_receiveMessage_ReplayedWithAnotherQuorum() public {
    receiver.receiveMessage(message, sigs);
    uint256[] memory keys = new uint256[](2);
    keys[0] = committeeKeys[1];
    keys[1] = committeeKeys[2];
    bytes memory otherQuorum = signSorted(digestOf(att), keys);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, NONCE));
    receiver.receiveMessage(message, otherQuorum);
    assertEq(holdings.totalSupply(), 1_000e6);
  }

  function test_RevertWhen_receiveMessage_NonceReusedForDifferentContent() public {
    receiver.receiveMessage(message, sigs);
    // Even a correctly signed, different settlement cannot reuse the nonce.
    SettlementAtt memory other = subscriptionAtt(bob, 5, NONCE);
    bytes memory otherMessage = encodeSettlement(other);
    bytes memory otherSigs = quorumSigs(other);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, NONCE));
    receiver.receiveMessage(otherMessage, otherSigs);
    assertEq(holdings.balanceOf(bob), 0);
  }

  function test_RevertWhen_receiveMessage_SignedForAnotherChainId() public {
    assertTrue(block.chainid != 1);
    bytes memory mainnetSigs = signSorted(settlementDigest(att, 1, address(receiver)), firstKeys(committeeKeys, 2));
    _expectUnauthorized(recoverAt(digestOf(att), mainnetSigs, 0));
    receiver.receiveMessage(message, mainnetSigs);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_DeliveredOnForkedChain() public {
    // Signed for this chain; after a fork (new chain id, same contract address) the old signatures do not verify.
    uint256 forkChainId = block.chainid + 1000;
    vm.chainId(forkChainId);
    bytes32 forkDigest = settlementDigest(att, forkChainId, address(receiver));
    _expectUnauthorized(recoverAt(forkDigest, sigs, 0));
    receiver.receiveMessage(message, sigs);
    _assertNothingApplied();
  }

  function test_receiveMessage_AcceptsSignaturesForForkChainIdAfterFork() public {
    uint256 forkChainId = block.chainid + 1000;
    vm.chainId(forkChainId);
    bytes memory forkSigs = signSorted(settlementDigest(att, forkChainId, address(receiver)), firstKeys(committeeKeys, 2));
    receiver.receiveMessage(message, forkSigs);
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_RevertWhen_receiveMessage_UnknownDid() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1, NONCE);
    a.did = DID_B;
    bytes memory m = encodeSettlement(a);
    bytes memory s = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnknownDid.selector, DID_B));
    receiver.receiveMessage(m, s);
    assertFalse(receiver.isNonceUsed(DID_B, NONCE));
  }

  function test_RevertWhen_receiveMessage_SignedForDidASubmittedAsDidB() public {
    // DID_B shares the committee, so only the DID inside the signed struct tells the two apart.
    configure(receiver, DID_B, committeeKeys, THRESHOLD);
    SettlementAtt memory asB = subscriptionAtt(alice, 1_000e6, NONCE);
    asB.did = DID_B;
    bytes memory messageB = encodeSettlement(asB);
    _expectUnauthorized(recoverAt(digestOf(asB), sigs, 0));
    receiver.receiveMessage(messageB, sigs);
    _assertNothingApplied();
    assertFalse(receiver.isNonceUsed(DID_B, NONCE));
    assertEq(receiver.didState(DID_B).holdings.totalSupply(), 0);
  }

  function test_RevertWhen_receiveMessage_SignedForAnotherReceiver() public {
    RwaReceiver other = newReceiver();
    configure(other, DID, committeeKeys, THRESHOLD);
    bytes memory otherSigs = signSorted(settlementDigest(att, block.chainid, address(other)), firstKeys(committeeKeys, 2));

    _expectUnauthorized(recoverAt(digestOf(att), otherSigs, 0));
    receiver.receiveMessage(message, otherSigs);
    _assertNothingApplied();

    // The same bytes are valid where they were meant to go.
    other.receiveMessage(message, otherSigs);
    assertEq(other.didState(DID).holdings.balanceOf(alice), 1_000e6);
  }

  function test_RevertWhen_receiveMessage_AmountTamperedAfterSigning() public {
    SettlementAtt memory tampered = subscriptionAtt(alice, 1_000_000e6, NONCE);
    tampered.settlementRef = att.settlementRef;
    tampered.cashLegRef = att.cashLegRef;
    bytes memory m = encodeSettlement(tampered);
    _expectUnauthorized(recoverAt(digestOf(tampered), sigs, 0));
    receiver.receiveMessage(m, sigs);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_InvestorTamperedAfterSigning() public {
    SettlementAtt memory tampered = subscriptionAtt(stranger, 1_000e6, NONCE);
    bytes memory m = encodeSettlement(tampered);
    _expectUnauthorized(recoverAt(digestOf(tampered), sigs, 0));
    receiver.receiveMessage(m, sigs);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_SettlementKindTamperedAfterSigning() public {
    receiver.receiveMessage(message, sigs);
    // Turn a signed subscription (nonce 2) into a redemption of the same amount.
    SettlementAtt memory sub = subscriptionAtt(alice, 10, 2);
    bytes memory subSigs = quorumSigs(sub);
    SettlementAtt memory flipped = redemptionAtt(alice, 10, 2);
    bytes memory m = encodeSettlement(flipped);
    _expectUnauthorized(recoverAt(digestOf(flipped), subSigs, 0));
    receiver.receiveMessage(m, subSigs);
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signatures: ordering and count
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_SignaturesReordered() public {
    uint256[] memory descending = new uint256[](2);
    descending[0] = committeeKeys[1];
    descending[1] = committeeKeys[0];
    bytes memory reordered = signInOrder(digestOf(att), descending);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 1));
    receiver.receiveMessage(message, reordered);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_DuplicateSigner() public {
    bytes memory one = signOne(digestOf(att), committeeKeys[0]);
    bytes memory dup = bytes.concat(one, one);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 1));
    receiver.receiveMessage(message, dup);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_DuplicateSignerInThreeOfFive() public {
    (uint256[] memory keys,,) = configureCommittee(DID_B, 5, 3, 55);
    SettlementAtt memory a = subscriptionAtt(alice, 1, NONCE);
    a.did = DID_B;
    bytes32 digest = digestOf(a);
    bytes memory dup = bytes.concat(signOne(digest, keys[0]), signOne(digest, keys[3]), signOne(digest, keys[3]));
    bytes memory m = encodeSettlement(a);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 2));
    receiver.receiveMessage(m, dup);
    assertFalse(receiver.isNonceUsed(DID_B, NONCE));
  }

  function test_RevertWhen_receiveMessage_BelowThreshold() public {
    bytes memory single = signOne(digestOf(att), committeeKeys[0]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 65, 130));
    receiver.receiveMessage(message, single);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_NoSignatures() public {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 0, 130));
    receiver.receiveMessage(message, "");
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_AboveThreshold() public {
    bytes memory all = signSorted(digestOf(att), committeeKeys);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 195, 130));
    receiver.receiveMessage(message, all);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_SignatureBytesNotMultipleOf65() public {
    bytes memory short = truncate(sigs, 129);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 129, 130));
    receiver.receiveMessage(message, short);

    bytes memory long = bytes.concat(sigs, hex"00");
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 131, 130));
    receiver.receiveMessage(message, long);
    _assertNothingApplied();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Signatures: malformed encodings
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_HighS() public {
    bytes32 digest = digestOf(att);
    for (uint256 i; i < THRESHOLD; ++i) {
      bytes memory malleated = copyBytes(sigs);
      (bytes32 r, bytes32 s, uint8 v) = sigAt(malleated, i);
      assertLe(uint256(s), SECP256K1_HALF_N, "vm.sign returned high s");
      bytes32 highS = bytes32(SECP256K1_N - uint256(s));
      uint8 flippedV = v == 27 ? 28 : 27;
      // The twin is a valid ECDSA signature by the same signer: only the low-s rule rejects it.
      assertEq(ecrecover(digest, flippedV, r, highS), committee[i]);
      setSigAt(malleated, i, r, highS, flippedV);

      vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, i));
      receiver.receiveMessage(message, malleated);
    }
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_VNot27Or28() public {
    uint8[6] memory badVs = [0, 1, 26, 29, 35, 255];
    for (uint256 i; i < badVs.length; ++i) {
      bytes memory bad = copyBytes(sigs);
      (bytes32 r, bytes32 s,) = sigAt(bad, 1);
      setSigAt(bad, 1, r, s, badVs[i]);
      vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, 1));
      receiver.receiveMessage(message, bad);
    }
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_SignatureRecoversZeroAddress() public {
    bytes memory bad = copyBytes(sigs);
    (, bytes32 s, uint8 v) = sigAt(bad, 0);
    setSigAt(bad, 0, bytes32(0), s, v); // r = 0 is not a curve point: ecrecover returns address(0)
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, 0));
    receiver.receiveMessage(message, bad);

    bad = new bytes(130); // all-zero signatures
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, 0));
    receiver.receiveMessage(message, bad);
    _assertNothingApplied();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Message framing
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_TruncatedSettlement() public {
    bytes memory m = truncate(message, SETTLEMENT_LEN - 1);
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, 174, 175));
    receiver.receiveMessage(m, sigs);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_TruncatedNav() public {
    NavAtt memory n = navAtt(NAV_1, uint64(T0), NONCE);
    bytes memory m = truncate(encodeNav(n), NAV_LEN - 1);
    bytes memory s = quorumSigs(n);
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, 81, 82));
    receiver.receiveMessage(m, s);
    assertEq(navFeed.latestRound(), 0);
  }

  function test_RevertWhen_receiveMessage_TruncatedIntoHeader() public {
    bytes memory m = truncate(message, HEADER_LEN - 1);
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, 41));
    receiver.receiveMessage(m, sigs);

    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.MessageTooShort.selector, 0));
    receiver.receiveMessage("", sigs);

    // A bare header is long enough to parse but has no body.
    m = truncate(message, HEADER_LEN);
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, 42, 175));
    receiver.receiveMessage(m, sigs);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_PaddedMessage() public {
    bytes memory m = bytes.concat(message, hex"00");
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, 176, 175));
    receiver.receiveMessage(m, sigs);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_NavBodyUnderSettlementKind() public {
    bytes memory m = encodeNav(navAtt(NAV_1, uint64(T0), NONCE));
    m[1] = bytes1(KIND_SETTLEMENT);
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, 82, 175));
    receiver.receiveMessage(m, sigs);

    bytes memory m2 = copyBytes(message);
    m2[1] = bytes1(KIND_NAV);
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, 175, 82));
    receiver.receiveMessage(m2, sigs);
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_UnsupportedVersion() public {
    uint8[3] memory versions = [0, 2, 255];
    for (uint256 i; i < versions.length; ++i) {
      bytes memory m = copyBytes(message);
      m[0] = bytes1(versions[i]);
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.UnsupportedVersion.selector, versions[i]));
      receiver.receiveMessage(m, sigs);
    }
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_UnknownKind() public {
    uint8[3] memory kinds = [0, 18, 255];
    for (uint256 i; i < kinds.length; ++i) {
      bytes memory m = copyBytes(message);
      m[1] = bytes1(kinds[i]);
      vm.expectRevert(abi.encodeWithSelector(AttestationCodec.UnknownKind.selector, kinds[i]));
      receiver.receiveMessage(m, sigs);
    }
    _assertNothingApplied();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Settlement content (correctly signed, still rejected)
  // ---------------------------------------------------------------------------------------------------------------

  function _deliverExpectingRevert(SettlementAtt memory a, bytes memory revertData) internal {
    bytes memory m = encodeSettlement(a);
    bytes memory s = quorumSigs(a);
    vm.expectRevert(revertData);
    receiver.receiveMessage(m, s);
    assertFalse(receiver.isNonceUsed(DID, a.nonce), "nonce consumed by a rejected settlement");
  }

  function test_RevertWhen_receiveMessage_ZeroAmount() public {
    _deliverExpectingRevert(
      subscriptionAtt(alice, 0, NONCE), abi.encodeWithSelector(RwaReceiver.InvalidAmount.selector, 0)
    );
    _deliverExpectingRevert(redemptionAtt(alice, 0, NONCE), abi.encodeWithSelector(RwaReceiver.InvalidAmount.selector, 0));
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_ZeroInvestor() public {
    _deliverExpectingRevert(
      subscriptionAtt(address(0), 1, NONCE), abi.encodeWithSelector(RwaReceiver.InvalidInvestor.selector, address(0))
    );
    _deliverExpectingRevert(
      redemptionAtt(address(0), 1, NONCE), abi.encodeWithSelector(RwaReceiver.InvalidInvestor.selector, address(0))
    );
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_InvalidSettlementKind() public {
    uint8[3] memory kinds = [0, 5, 255];
    for (uint256 i; i < kinds.length; ++i) {
      _deliverExpectingRevert(
        settlementAtt(kinds[i], alice, 1, NONCE),
        abi.encodeWithSelector(RwaReceiver.InvalidSettlementKind.selector, kinds[i])
      );
    }
    _assertNothingApplied();
  }

  function test_RevertWhen_receiveMessage_RedemptionExceedsBalance() public {
    deliver(subscriptionAtt(alice, 100, 1));
    _deliverExpectingRevert(
      redemptionAtt(alice, 101, 2),
      abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 100, 101)
    );
    assertEq(holdings.balanceOf(alice), 100);
  }

  function test_RevertWhen_receiveMessage_RedemptionFromAnotherInvestorsBalance() public {
    deliver(subscriptionAtt(alice, 100, 1));
    _deliverExpectingRevert(
      redemptionAtt(bob, 1, 2), abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 0, 1)
    );
    assertEq(holdings.balanceOf(alice), 100);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // NAV content (correctly signed, still rejected)
  // ---------------------------------------------------------------------------------------------------------------

  uint64 internal constant AS_OF_1 = uint64(T0 - 1 days);

  function _deliverNavExpectingRevert(NavAtt memory n, bytes memory revertData) internal {
    bytes memory m = encodeNav(n);
    bytes memory s = quorumSigs(n);
    vm.expectRevert(revertData);
    receiver.receiveMessage(m, s);
    assertFalse(receiver.isNonceUsed(DID, n.nonce), "nonce consumed by a rejected NAV");
  }

  function test_RevertWhen_receiveMessage_NavAsOfOlderThanLatest() public {
    deliver(navAtt(NAV_1, AS_OF_1, 1));
    _deliverNavExpectingRevert(
      navAtt(NAV_1, AS_OF_1 - 1, 2), abi.encodeWithSelector(RwaNavFeed.StaleAsOf.selector, AS_OF_1 - 1, AS_OF_1)
    );
    assertEq(navFeed.latestRound(), 1);
  }

  function test_RevertWhen_receiveMessage_NavAsOfEqualToLatest() public {
    deliver(navAtt(NAV_1, AS_OF_1, 1));
    _deliverNavExpectingRevert(
      navAtt(NAV_1 + 1, AS_OF_1, 2), abi.encodeWithSelector(RwaNavFeed.StaleAsOf.selector, AS_OF_1, AS_OF_1)
    );
    assertEq(navFeed.latestRound(), 1);
  }

  function test_RevertWhen_receiveMessage_NavMoveAboveLimitUp() public {
    deliver(navAtt(NAV_1, AS_OF_1, 1));
    uint256 next = NAV_1 + (NAV_1 * MAX_MOVE_BPS) / 10_000 + 1;
    _deliverNavExpectingRevert(
      navAtt(next, AS_OF_1 + 1 days, 2),
      abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, NAV_1, next, MAX_MOVE_BPS)
    );
    assertEq(navFeed.latestRound(), 1);
  }

  function test_RevertWhen_receiveMessage_NavMoveAboveLimitDown() public {
    deliver(navAtt(NAV_1, AS_OF_1, 1));
    uint256 next = NAV_1 - (NAV_1 * MAX_MOVE_BPS) / 10_000 - 1;
    _deliverNavExpectingRevert(
      navAtt(next, AS_OF_1 + 1 days, 2),
      abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, NAV_1, next, MAX_MOVE_BPS)
    );
    assertEq(navFeed.latestRound(), 1);
  }

  function test_receiveMessage_NavMoveExactlyAtLimitUp() public {
    deliver(navAtt(NAV_1, AS_OF_1, 1));
    uint256 next = NAV_1 + (NAV_1 * MAX_MOVE_BPS) / 10_000; // +5 %, exact
    deliver(navAtt(next, AS_OF_1 + 1 days, 2));
    (, int256 answer,,,) = navFeed.latestRoundData();
    assertEq(answer, int256(next));
  }

  function test_receiveMessage_NavMoveExactlyAtLimitDown() public {
    deliver(navAtt(NAV_1, AS_OF_1, 1));
    uint256 next = NAV_1 - (NAV_1 * MAX_MOVE_BPS) / 10_000; // -5 %, exact
    deliver(navAtt(next, AS_OF_1 + 1 days, 2));
    (, int256 answer,,,) = navFeed.latestRoundData();
    assertEq(answer, int256(next));
  }

  function test_RevertWhen_receiveMessage_NavZero() public {
    _deliverNavExpectingRevert(navAtt(0, AS_OF_1, 1), abi.encodeWithSelector(RwaNavFeed.InvalidNav.selector, 0));
    deliver(navAtt(NAV_1, AS_OF_1, 1));
    _deliverNavExpectingRevert(navAtt(0, AS_OF_1 + 1, 2), abi.encodeWithSelector(RwaNavFeed.InvalidNav.selector, 0));
    assertEq(navFeed.latestRound(), 1);
  }

  function test_RevertWhen_receiveMessage_NavAboveUint192() public {
    uint256 tooBig = uint256(type(uint192).max) + 1;
    _deliverNavExpectingRevert(
      navAtt(tooBig, AS_OF_1, 1), abi.encodeWithSelector(RwaNavFeed.InvalidNav.selector, tooBig)
    );
    assertEq(navFeed.latestRound(), 0);
  }

  function test_RevertWhen_receiveMessage_NavAsOfZero() public {
    _deliverNavExpectingRevert(navAtt(NAV_1, 0, 1), abi.encodeWithSelector(RwaNavFeed.StaleAsOf.selector, 0, 0));
    assertEq(navFeed.latestRound(), 0);
  }
}
