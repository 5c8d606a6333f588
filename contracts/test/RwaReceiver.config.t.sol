// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {RwaNavFeed} from "../src/RwaNavFeed.sol";
import {RwaAssetFactory} from "../src/RwaAssetFactory.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice receiveMessage with CONFIG attestations (kind 3): a DID's first config is signed by governance, later ones
/// by the DID's current set, and every config rotates the set; a config for DID 0 rotates governance.
contract RwaReceiverConfigTest is AttestationFixture {
  bytes32 internal constant DID_B = keccak256("did:rwa:acme:money-market");

  uint256[] internal keysB;
  address[] internal signersB;

  function setUp() public override {
    super.setUp();
    keysB = deriveKeys(3, 42);
    signersB = addressesOf(keysB);
  }

  function _config(bytes32 did, address[] memory signers, uint8 threshold) internal returns (bytes memory) {
    return encodeConfig(configAtt(did, nextAdminNonce(receiver, did), signers, threshold));
  }

  function _expectRevertFirstConfig(address[] memory signers, uint8 threshold, bytes memory revertData) internal {
    bytes memory m = _config(DID_B, signers, threshold);
    bytes memory sigs = governanceSigs(receiver, m);
    vm.expectRevert(revertData);
    receiver.receiveMessage(m, sigs);
    assertEq(address(receiver.didState(DID_B).holdings), address(0), "DID introduced");
    assertFalse(receiver.isNonceUsed(DID_B, ADMIN_NONCE_BASE), "nonce consumed");
  }

  function _expectRevertUpdate(address[] memory signers, uint8 threshold, bytes memory revertData) internal {
    bytes memory m = _config(DID, signers, threshold);
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectRevert(revertData);
    receiver.receiveMessage(m, sigs);
    assertEq(receiver.didState(DID).signerEpoch, 1, "signer set rotated");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // first config: governance
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_assetFactory_CalledByAnyoneButTheReceiver() public {
    RwaAssetFactory factory = receiver.assetFactory();
    assertEq(factory.i_receiver(), address(receiver));
    vm.expectRevert(abi.encodeWithSelector(RwaAssetFactory.OnlyReceiver.selector, address(this)));
    factory.deploy(DID_B, "n", "s", 6, 8, 3600, 500, address(0));
  }

  function test_receiveMessage_FirstConfigSignedByGovernanceDeploysHoldingsAndFeed() public {
    uint64 nonce = nextAdminNonce(receiver, DID_B);
    bytes memory m = encodeConfig(configAtt(DID_B, nonce, signersB, 3));
    bytes memory sigs = governanceSigs(receiver, m);
    address factory = address(receiver.assetFactory());
    address expectedHoldings = vm.computeCreateAddress(factory, vm.getNonce(factory));
    address expectedFeed = vm.computeCreateAddress(factory, vm.getNonce(factory) + 1);

    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.DidConfigured(DID_B, nonce, 1, 3, signersB, expectedHoldings, expectedFeed, VALID_UNTIL);
    vm.prank(relayer);
    receiver.receiveMessage(m, sigs);

    RwaReceiver.DidState memory st = receiver.didState(DID_B);
    assertEq(address(st.holdings), expectedHoldings);
    assertEq(address(receiver.navFeedOf(DID_B)), expectedFeed);
    // Deployed by the factory, both answer to the receiver.
    assertEq(RwaHoldings(expectedHoldings).i_receiver(), address(receiver));
    assertEq(RwaNavFeed(expectedFeed).i_receiver(), address(receiver));
    assertEq(st.threshold, 3);
    assertEq(st.signerEpoch, 1);
    assertTrue(receiver.isNonceUsed(DID_B, nonce));
    for (uint256 i; i < signersB.length; ++i) {
      assertTrue(receiver.isSigner(DID_B, signersB[i]));
      assertFalse(receiver.isSigner(GOVERNANCE_DID, signersB[i]));
    }

    RwaHoldings h = st.holdings;
    assertEq(h.name(), TOKEN_NAME);
    assertEq(h.symbol(), TOKEN_SYMBOL);
    assertEq(h.decimals(), TOKEN_DECIMALS);
    assertEq(h.i_receiver(), address(receiver));
    assertEq(h.i_did(), DID_B);
    assertEq(h.totalSupply(), 0);

    RwaNavFeed f = receiver.navFeedOf(DID_B);
    assertEq(f.description(), string.concat(TOKEN_SYMBOL, " / NAV"));
    assertEq(f.decimals(), NAV_DECIMALS);
    assertEq(f.s_heartbeat(), HEARTBEAT);
    assertEq(f.s_maxMoveBps(), MAX_MOVE_BPS);
    assertEq(f.i_receiver(), address(receiver));
    assertEq(f.i_did(), DID_B);
    assertEq(f.latestRound(), 0);
  }

  function test_receiveMessage_FirstConfigOpensNothing() public {
    // A new DID has no allow-list and a zero cap until its committee attests them.
    (RwaHoldings h,) = introduce(receiver, DID_B, keysB, 2);
    assertEq(h.supplyCap(), 0);
    assertFalse(h.isAllowed(alice));
    assertFalse(h.paused());
    assertEq(receiver.reserveAsOf(DID_B), 0);
  }

  function test_receiveMessage_ConfigAcceptsThresholdEqualToSignerCount() public {
    (uint256[] memory keys,,) = configureCommittee(DID_B, 3, 3, 7);
    assertEq(receiver.didState(DID_B).threshold, 3);
    SettlementAtt memory a = subscriptionAtt(alice, 10, 1);
    a.did = DID_B;
    receiver.receiveMessage(encodeSettlement(a), signSorted(digestOf(a), keys));
    assertTrue(receiver.isNonceUsed(DID_B, 1));
  }

  function test_receiveMessage_ConfigAcceptsSingleSigner() public {
    (uint256[] memory keys, RwaHoldings h,) = configureCommittee(DID_B, 1, 1, 8);
    SettlementAtt memory a = subscriptionAtt(alice, 10, 1);
    a.did = DID_B;
    receiver.receiveMessage(encodeSettlement(a), signSorted(digestOf(a), keys));
    assertEq(h.balanceOf(alice), 10);
  }

  function test_RevertWhen_receiveMessage_FirstConfigSignedByItsOwnCommittee() public {
    bytes memory m = _config(DID_B, signersB, 2);
    bytes memory sigs = adminSigs(receiver, m, firstKeys(keysB, 2));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, signersB[0]));
    receiver.receiveMessage(m, sigs);
    assertEq(address(receiver.didState(DID_B).holdings), address(0));
  }

  function test_RevertWhen_receiveMessage_FirstConfigSignedByAnotherDidsCommittee() public {
    bytes memory m = _config(DID_B, signersB, 2);
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, committee[0]));
    receiver.receiveMessage(m, sigs);
    assertEq(address(receiver.didState(DID_B).holdings), address(0));
  }

  function test_RevertWhen_receiveMessage_FirstConfigBelowGovernanceThreshold() public {
    bytes memory m = _config(DID_B, signersB, 2);
    bytes memory one = adminSigs(receiver, m, firstKeys(governanceKeys, 1));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 65, 130));
    receiver.receiveMessage(m, one);
  }

  function test_RevertWhen_receiveMessage_UnknownDidAttestationOtherThanConfig() public {
    // Even governance cannot send anything but a config for a DID this chain does not know.
    bytes[] memory ms = new bytes[](3);
    ms[0] = encodePause(PauseAtt({did: DID_B, nonce: 1, paused: true}));
    AllowListAtt memory al;
    al.did = DID_B;
    ms[1] = encodeAllowList(al);
    ReserveAtt memory res;
    res.did = DID_B;
    res.reserve = 1;
    res.asOf = 1;
    ms[2] = encodeReserve(res);
    for (uint256 i; i < 3; ++i) {
      bytes memory sigs = governanceSigs(receiver, ms[i]);
      vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnknownDid.selector, DID_B));
      receiver.receiveMessage(ms[i], sigs);
    }
    SettlementAtt memory s = subscriptionAtt(alice, 1, 1);
    s.did = DID_B;
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnknownDid.selector, DID_B));
    receiver.receiveMessage(encodeSettlement(s), signSorted(digestOf(s), firstKeys(governanceKeys, 2)));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // updates: the DID's own set, rotation
  // ---------------------------------------------------------------------------------------------------------------

  function test_receiveMessage_ConfigUpdateRotatesSignerSet() public {
    uint64 nonce = nextAdminNonce(receiver, DID);
    ConfigAtt memory c = configAtt(DID, nonce, signersB, 2);
    c.heartbeat = 2 days;
    c.maxNavMoveBps = 100;
    bytes memory m = encodeConfig(c);
    bytes memory sigs = adminQuorumSigs(m);

    vm.expectEmit(true, true, true, true, address(navFeed));
    emit RwaNavFeed.ParamsSet(2 days, 100);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.DidConfigured(DID, nonce, 2, 2, signersB, address(holdings), address(navFeed), VALID_UNTIL);
    receiver.receiveMessage(m, sigs);

    RwaReceiver.DidState memory st = receiver.didState(DID);
    assertEq(st.signerEpoch, 2);
    assertEq(st.threshold, 2);
    assertEq(address(st.holdings), address(holdings), "holdings redeployed");
    assertEq(address(receiver.navFeedOf(DID)), address(navFeed), "feed redeployed");
    assertEq(navFeed.s_heartbeat(), 2 days);
    assertEq(navFeed.s_maxMoveBps(), 100);
    for (uint256 i; i < 3; ++i) {
      assertFalse(receiver.isSigner(DID, committee[i]));
      assertTrue(receiver.isSigner(DID, signersB[i]));
    }

    // The old set stops verifying at once; the new one signs.
    SettlementAtt memory a = subscriptionAtt(alice, 10, 1);
    bytes memory oldSigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, committee[0]));
    receiver.receiveMessage(encodeSettlement(a), oldSigs);
    receiver.receiveMessage(encodeSettlement(a), signSorted(digestOf(a), firstKeys(keysB, 2)));
    assertEq(holdings.balanceOf(alice), 10);
  }

  function test_receiveMessage_ConfigUpdateKeepsSignersInBothSets() public {
    address[] memory next = new address[](2);
    (next[0], next[1]) = committee[1] < signersB[0] ? (committee[1], signersB[0]) : (signersB[0], committee[1]);
    deliverAdmin(_config(DID, next, 2));
    assertTrue(receiver.isSigner(DID, committee[1]));
    assertFalse(receiver.isSigner(DID, committee[0]));
    assertFalse(receiver.isSigner(DID, committee[2]));

    uint256[] memory quorum = new uint256[](2);
    (quorum[0], quorum[1]) = (committeeKeys[1], keysB[0]);
    SettlementAtt memory a = subscriptionAtt(alice, 10, 1);
    receiver.receiveMessage(encodeSettlement(a), signSorted(digestOf(a), quorum));
    assertEq(holdings.balanceOf(alice), 10);
  }

  function test_receiveMessage_ConfigUpdateKeepsTokenMetadataAndDecimals() public {
    ConfigAtt memory c = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
    (c.name, c.symbol, c.tokenDecimals, c.navDecimals) = ("Other", "OTH", 18, 18);
    deliverAdmin(encodeConfig(c));
    assertEq(holdings.name(), TOKEN_NAME);
    assertEq(holdings.symbol(), TOKEN_SYMBOL);
    assertEq(holdings.decimals(), TOKEN_DECIMALS);
    assertEq(navFeed.decimals(), NAV_DECIMALS);
    assertEq(receiver.didState(DID).signerEpoch, 2);
  }

  function test_receiveMessage_ConfigUpdateAppliesNewMoveLimit() public {
    deliver(navAtt(NAV_1, uint64(T0 - 1 days), 1));
    ConfigAtt memory c = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
    c.maxNavMoveBps = 50;
    deliverAdmin(encodeConfig(c));

    uint256 next = NAV_1 + NAV_1 / 100; // +1 %: allowed before, above the new 0.5 %
    NavAtt memory n = navAtt(next, uint64(T0), 2);
    bytes memory m = encodeNav(n);
    bytes memory sigs = quorumSigs(n);
    vm.expectRevert(abi.encodeWithSelector(RwaNavFeed.NavMoveTooLarge.selector, NAV_1, next, 50));
    receiver.receiveMessage(m, sigs);
  }

  function test_RevertWhen_receiveMessage_ConfigUpdateSignedByGovernance() public {
    bytes memory m = _config(DID, signersB, 2);
    bytes memory sigs = governanceSigs(receiver, m);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, governance[0]));
    receiver.receiveMessage(m, sigs);
    assertTrue(receiver.isSigner(DID, committee[0]));
  }

  function test_RevertWhen_receiveMessage_ConfigUpdateSignedByRotatedOutSet() public {
    deliverAdmin(_config(DID, signersB, 2));
    bytes memory m = _config(DID, committee, THRESHOLD); // the old set trying to take the DID back
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, committee[0]));
    receiver.receiveMessage(m, sigs);
    assertEq(receiver.didState(DID).signerEpoch, 2);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // governance rotation (DID 0)
  // ---------------------------------------------------------------------------------------------------------------

  function test_receiveMessage_GovernanceRotation() public {
    uint256[] memory newGov = deriveKeys(3, 2002);
    address[] memory newGovAddrs = addressesOf(newGov);
    uint64 nonce = nextAdminNonce(receiver, GOVERNANCE_DID);
    bytes memory m = encodeConfig(configAtt(GOVERNANCE_DID, nonce, newGovAddrs, 3));
    bytes memory sigs = governanceSigs(receiver, m);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.DidConfigured(GOVERNANCE_DID, nonce, 2, 3, newGovAddrs, address(0), address(0), VALID_UNTIL);
    receiver.receiveMessage(m, sigs);

    RwaReceiver.DidState memory st = receiver.didState(GOVERNANCE_DID);
    assertEq(st.signerEpoch, 2);
    assertEq(st.threshold, 3);
    assertEq(address(st.holdings), address(0), "governance got holdings");
    assertTrue(receiver.isNonceUsed(GOVERNANCE_DID, nonce));

    // Old governance can no longer introduce a DID (even all three of it); the new one can, with its threshold.
    bytes memory intro = _config(DID_B, signersB, 2);
    bytes memory oldSigs = adminSigs(receiver, intro, governanceKeys);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, governance[0]));
    receiver.receiveMessage(intro, oldSigs);
    receiver.receiveMessage(intro, adminSigs(receiver, intro, newGov));
    assertEq(receiver.didState(DID_B).signerEpoch, 1);

    // Existing DIDs keep their own committee.
    deliver(subscriptionAtt(alice, 1, 1));
    assertEq(holdings.balanceOf(alice), 1);
  }

  function test_RevertWhen_receiveMessage_GovernanceRotationSignedByDidCommittee() public {
    bytes memory m = _config(GOVERNANCE_DID, committee, 2);
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, committee[0]));
    receiver.receiveMessage(m, sigs);
    assertEq(receiver.didState(GOVERNANCE_DID).signerEpoch, 1);
  }

  function test_RevertWhen_receiveMessage_GovernanceDidNonConfig() public {
    bytes memory m = encodePause(PauseAtt({did: GOVERNANCE_DID, nonce: 1, paused: true}));
    bytes memory sigs = governanceSigs(receiver, m);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnknownDid.selector, GOVERNANCE_DID));
    receiver.receiveMessage(m, sigs);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // signer set validation (first config and update alike)
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_receiveMessage_ConfigThresholdZero() public {
    bytes memory err = abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 0, 3);
    _expectRevertFirstConfig(signersB, 0, err);
    _expectRevertUpdate(signersB, 0, err);
  }

  function test_RevertWhen_receiveMessage_ConfigThresholdAboveSignerCount() public {
    bytes memory err = abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 4, 3);
    _expectRevertFirstConfig(signersB, 4, err);
    _expectRevertUpdate(signersB, 4, err);
  }

  function test_RevertWhen_receiveMessage_ConfigNoSigners() public {
    bytes memory err = abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 1, 0);
    _expectRevertFirstConfig(new address[](0), 1, err);
    _expectRevertUpdate(new address[](0), 1, err);
  }

  function test_RevertWhen_receiveMessage_ConfigSignersUnsorted() public {
    address[] memory reversed = new address[](3);
    (reversed[0], reversed[1], reversed[2]) = (signersB[2], signersB[1], signersB[0]);
    bytes memory err = abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 1);
    _expectRevertFirstConfig(reversed, 2, err);
    _expectRevertUpdate(reversed, 2, err);
  }

  function test_RevertWhen_receiveMessage_ConfigDuplicateSigner() public {
    address[] memory dup = new address[](3);
    (dup[0], dup[1], dup[2]) = (signersB[0], signersB[1], signersB[1]);
    bytes memory err = abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 2);
    _expectRevertFirstConfig(dup, 2, err);
    _expectRevertUpdate(dup, 2, err);
  }

  function test_RevertWhen_receiveMessage_ConfigZeroSigner() public {
    address[] memory withZero = new address[](3);
    (withZero[1], withZero[2]) = (signersB[0], signersB[1]);
    bytes memory err = abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 0);
    _expectRevertFirstConfig(withZero, 2, err);
    _expectRevertUpdate(withZero, 2, err);
  }
}
