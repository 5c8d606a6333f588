// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionPolicy} from "../src/libraries/RedemptionPolicy.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice RwaRedemptions wiring: created by the receiver, fed only by it after quorum and nonce, defaults in force.
contract RwaRedemptionsTest is RedemptionFixture {
  function test_constructor_ReceiverCreatesOneModuleForEveryDid() public {
    assertTrue(address(redemptions) != address(0));
    assertEq(redemptions.i_receiver(), address(receiver));
    assertEq(holdings.i_redemptions(), address(redemptions));
    assertEq(address(redemptions.holdingsOf(DID)), address(holdings));
    (, RwaHoldings other,) = _otherDid();
    assertEq(other.i_redemptions(), address(redemptions), "a second DID shares the chain's module");
  }

  function test_views_DefaultsBeforeAnyAttestation() public view {
    RedemptionPolicy.Policy memory p = redemptions.policyOf(DID);
    assertEq(p.stageBBps, 100);
    assertEq(p.stageCBps, 300);
    assertEq(p.instalments, 7);
    assertEq(p.windowSeconds, 7 days);
    assertFalse(p.emergency);
    RwaRedemptions.Stage memory s = redemptions.stageOf(DID);
    assertEq(s.stage, STAGE_A);
    assertEq(s.stageSeq, 0);
    assertEq(s.reason, REASON_NONE);
    assertEq(redemptions.requestCount(DID), 0);
    assertEq(redemptions.requestOf(DID, 1).owner, address(0));
    assertEq(redemptions.redeemableNow(DID, 1), 0);
    (uint64 reports, uint256 pool) = redemptions.aggregationOf(DID);
    assertEq(reports, 0);
    assertEq(pool, 0);
    assertEq(address(redemptions.holdingsOf(keccak256("did:rwa:nobody:none"))), address(0));
  }

  function test_RevertWhen_applyAttestation_CallerIsNotTheReceiver() public {
    bytes memory m = encodePolicy(policyAtt(100, 300, 7, 7 days, false));
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.OnlyReceiver.selector, stranger));
    vm.prank(stranger);
    redemptions.applyAttestation(m);
  }

  function test_RevertWhen_applyAttestation_KindIsNotARedemptionKind() public {
    bytes memory m = encodeSettlement(subscriptionAtt(alice, 1, 77));
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.UnsupportedKind.selector, KIND_SETTLEMENT));
    vm.prank(address(receiver));
    redemptions.applyAttestation(m);
  }

  function test_RevertWhen_receiveMessage_RedemptionKindForUnconfiguredDid() public {
    PolicyAtt memory a = policyAtt(100, 300, 7, 7 days, true);
    a.did = keccak256("did:rwa:nobody:none");
    bytes memory m = encodePolicy(a);
    deliverRedemptionExpectRevert(m, abi.encodeWithSelector(RwaReceiver.UnknownDid.selector, a.did));
  }

  function test_RevertWhen_receiveMessage_RedemptionKindNotSignedByTheCommittee() public {
    bytes memory m = encodePolicy(policyAtt(100, 300, 7, 7 days, true));
    bytes memory sigs = adminSigs(receiver, m, firstKeys(outsiderKeys, THRESHOLD));
    vm.expectRevert(
      abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, recoverAt(adminDigest(m, block.chainid, address(receiver)), sigs, 0))
    );
    receiver.receiveMessage(m, sigs);
    assertFalse(redemptions.policyOf(DID).emergency);
  }

  function test_RevertWhen_receiveMessage_RedemptionAttestationReplayed() public {
    PolicyAtt memory a = policyAtt(200, 400, 4, 4 days, false);
    bytes memory m = encodePolicy(a);
    deliverRedemption(m);
    deliverRedemptionExpectRevert(m, abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, a.nonce));
  }

  /// @dev A module revert undoes the whole delivery, nonce included, so the relayer may deliver it again later.
  function test_receiveMessage_ModuleRevertLeavesNonceUnused() public {
    PolicyAtt memory a = policyAtt(0, 300, 7, 7 days, false);
    deliverRedemptionExpectRevert(
      encodePolicy(a), abi.encodeWithSelector(RwaRedemptions.InvalidPolicy.selector, 0, 300, 7, 7 days)
    );
    assertFalse(receiver.isNonceUsed(DID, a.nonce));
  }

  function test_RevertWhen_receiveBatch_ContainsARedemptionKind() public {
    bytes[] memory items = new bytes[](1);
    items[0] = encodeFulfilment(fulfilmentAtt(1, 1));
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(items);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.KindNotAllowedInBatch.selector, 0, KIND_REDEMPTION_FULFILMENT));
    receiver.receiveBatch(DID, root, sigs, packItems(items), proofs);
  }

  function _otherDid() internal returns (bytes32 did, RwaHoldings h, uint256[] memory keys) {
    did = keccak256("did:rwa:acme:money-market");
    keys = deriveKeys(3, 99);
    (h,) = introduce(receiver, did, keys, 2);
  }
}
