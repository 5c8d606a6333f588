// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Vm} from "forge-std/Vm.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaTransportQuorum} from "../src/RwaTransportQuorum.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {TransportQuorumFixture} from "./helpers/TransportQuorumFixture.sol";

/// @notice RwaReceiver's gated path (transport quorum, kind 12) through its real gate, with the CCIP and Wormhole
/// adapters played by bound addresses (vm.prank). The adapters themselves are exercised in
/// wormhole/RwaWormholeReceiver.transportQuorum.t.sol.
contract RwaReceiverTransportQuorumTest is TransportQuorumFixture {
  bytes internal message;
  bytes internal sigs;
  bytes32 internal digest;

  function setUp() public override {
    super.setUp();
    SettlementAtt memory a = subscriptionAtt(alice, 100e6, 1);
    message = encodeSettlement(a);
    sigs = quorumSigs(a);
    digest = keccak256(message);
  }

  function _assertPending(uint8 arrived) internal view {
    (uint8 got, bool applied) = gate.arrivalsOf(digest);
    assertEq(got, arrived, "arrived");
    assertFalse(applied, "applied");
    assertFalse(receiver.isNonceUsed(DID, 1), "nonce used");
    assertEq(holdings.balanceOf(alice), 0, "balance");
  }

  function _assertApplied(uint8 arrived) internal view {
    (uint8 got, bool applied) = gate.arrivalsOf(digest);
    assertEq(got, arrived, "arrived");
    assertTrue(applied, "applied");
    assertTrue(receiver.isNonceUsed(DID, 1), "nonce used");
    assertEq(holdings.balanceOf(alice), 100e6, "balance");
  }

  // ---- kind 12 applied ----

  function test_receiveMessage_TransportQuorumAppliesAndEmits() public {
    bytes memory m = encodeTransportQuorum(DID, 77, uint64(block.chainid), 2, ALL_TRANSPORTS);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.TransportQuorumApplied(DID, 77, 2, ALL_TRANSPORTS);
    arrive(CCTP, m, adminQuorumSigs(m));
    (uint8 k, uint8 transports) = receiver.transportQuorumOf(DID);
    assertEq(k, 2);
    assertEq(transports, ALL_TRANSPORTS);
    RwaReceiver.DidState memory st = receiver.didState(DID);
    assertEq(st.quorumK, 2);
    assertEq(st.quorumTransports, ALL_TRANSPORTS);
    assertEq(address(st.holdings), address(holdings), "same slot, holdings kept");
    assertTrue(receiver.isNonceUsed(DID, 77));
  }

  function test_transportQuorumOf_UngatedByDefault() public view {
    (uint8 k, uint8 transports) = receiver.transportQuorumOf(DID);
    assertEq(k, 0);
    assertEq(transports, 0);
  }

  function test_transportQuorum_OwnedByTheDeployer() public view {
    assertEq(gate.owner(), address(this));
    assertEq(gate.receiver(), address(receiver));
  }

  // ---- 2 of 3 ----

  function test_receiveMessage_2of3_AppliesOnTheSecondDistinctTransport() public {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);

    vm.expectEmit(true, true, true, true, address(gate));
    emit RwaTransportQuorum.TransportArrived(digest, CCTP, CCTP, false);
    arrive(CCTP, message, sigs);
    _assertPending(CCTP);

    vm.expectEmit(true, true, true, true, address(gate));
    emit RwaTransportQuorum.TransportArrived(digest, WORMHOLE, CCTP | WORMHOLE, true);
    vm.expectEmit(true, true, true, false, address(receiver));
    emit RwaReceiver.SettlementApplied(DID, 1, alice, SUBSCRIPTION, 0, 0, 0, 0);
    arrive(WORMHOLE, message, sigs);
    _assertApplied(CCTP | WORMHOLE);
  }

  function test_receiveMessage_2of3_ThirdArrivalIsRecordedNotApplied() public {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    arrive(CCIP, message, sigs);
    arrive(CCTP, message, sigs);
    _assertApplied(CCTP | CCIP);

    vm.recordLogs();
    arrive(WORMHOLE, message, sigs);
    Vm.Log[] memory logs = vm.getRecordedLogs();
    assertEq(logs.length, 1, "only the gate's event");
    assertEq(logs[0].emitter, address(gate));
    assertEq(logs[0].topics[0], RwaTransportQuorum.TransportArrived.selector);
    assertEq(logs[0].topics[1], digest);
    assertEq(logs[0].topics[2], bytes32(uint256(WORMHOLE)));
    assertEq(logs[0].data, abi.encode(ALL_TRANSPORTS, true));
    _assertApplied(ALL_TRANSPORTS);
  }

  function test_RevertWhen_receiveMessage_SameTransportTwice() public {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    arrive(CCTP, message, sigs);
    // Another direct caller is still cctp: the transport counts once, whoever calls.
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportAlreadyDelivered.selector, digest, CCTP));
    vm.prank(stranger);
    receiver.receiveMessage(message, sigs);
    _assertPending(CCTP);
  }

  function test_RevertWhen_receiveMessage_SameTransportTwiceAfterApply() public {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    arriveVia(CCTP | CCIP, message, sigs);
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportAlreadyDelivered.selector, digest, CCIP));
    arrive(CCIP, message, sigs);
    _assertApplied(CCTP | CCIP);
  }

  function test_RevertWhen_receiveMessage_TransportOutsideTheMask() public {
    setTransportQuorum(1, CCTP | CCIP, CCTP);
    vm.expectRevert(
      abi.encodeWithSelector(RwaTransportQuorum.TransportNotInQuorum.selector, WORMHOLE, CCTP | CCIP)
    );
    arrive(WORMHOLE, message, sigs);
    _assertPending(0);
  }

  function test_RevertWhen_receiveMessage_DirectDeliveryWithoutCctpInTheMask() public {
    setTransportQuorum(2, CCIP | WORMHOLE, CCTP);
    vm.expectRevert(
      abi.encodeWithSelector(RwaTransportQuorum.TransportNotInQuorum.selector, CCTP, CCIP | WORMHOLE)
    );
    arrive(CCTP, message, sigs);
    _assertPending(0);
    arriveVia(CCIP | WORMHOLE, message, sigs);
    _assertApplied(CCIP | WORMHOLE);
  }

  function test_receiveMessage_1ofMaskAppliesOnTheFirstArrival() public {
    setTransportQuorum(1, CCIP | WORMHOLE, CCTP);
    arrive(WORMHOLE, message, sigs);
    _assertApplied(WORMHOLE);
    arrive(CCIP, message, sigs);
    _assertApplied(CCIP | WORMHOLE);
  }

  function test_RevertWhen_receiveMessage_InvalidSignaturesOnTheFirstArrival() public {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    bytes32 typed = digestOf(subscriptionAtt(alice, 100e6, 1));
    bytes memory bad = signSorted(typed, firstKeys(outsiderKeys, THRESHOLD));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, recoverAt(typed, bad, 0)));
    arrive(CCIP, message, bad);
    _assertPending(0);
  }

  function test_RevertWhen_receiveMessage_InvalidSignaturesOnTheCompletingArrival() public {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    arrive(CCTP, message, sigs);
    // Each failure mode of the signatures, on the arrival that would complete the quorum.
    bytes memory tooFew = signSorted(digestOf(subscriptionAtt(alice, 100e6, 1)), firstKeys(committeeKeys, 1));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 65, 130));
    arrive(CCIP, message, tooFew);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, 0));
    arrive(WORMHOLE, message, new bytes(130));
    _assertPending(CCTP);
    // Valid signatures still complete it afterwards.
    arrive(WORMHOLE, message, sigs);
    _assertApplied(CCTP | WORMHOLE);
  }

  function test_RevertWhen_receiveMessage_InvalidSignaturesOnALateArrival() public {
    setTransportQuorum(1, ALL_TRANSPORTS, CCTP);
    arrive(CCTP, message, sigs);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, 0));
    arrive(CCIP, message, new bytes(130));
    _assertApplied(CCTP);
  }

  function test_receiveMessage_LoweredQuorumAppliesAPendingMessageOnItsNextArrival() public {
    setTransportQuorum(3, ALL_TRANSPORTS, CCTP);
    arrive(CCIP, message, sigs);
    _assertPending(CCIP);

    // The new rule is itself delivered under the 3-of-3 in force: pending until the third transport.
    bytes memory lower = encodeTransportQuorum(DID, nextAdminNonce(receiver, DID), uint64(block.chainid), 2, ALL_TRANSPORTS);
    bytes memory lowerSigs = adminQuorumSigs(lower);
    arriveVia(CCTP | CCIP, lower, lowerSigs);
    (uint8 k,) = receiver.transportQuorumOf(DID);
    assertEq(k, 3);
    arrive(WORMHOLE, lower, lowerSigs);
    (k,) = receiver.transportQuorumOf(DID);
    assertEq(k, 2);

    arrive(WORMHOLE, message, sigs);
    _assertApplied(CCIP | WORMHOLE);
  }

  function test_receiveMessage_ArrivalOnADroppedTransportNoLongerCounts() public {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    arrive(CCTP, message, sigs);
    setTransportQuorum(2, CCIP | WORMHOLE, CCTP | CCIP);
    arrive(CCIP, message, sigs);
    _assertPending(CCTP | CCIP);
    arrive(WORMHOLE, message, sigs);
    _assertApplied(ALL_TRANSPORTS);
  }

  function test_receiveMessage_UngatingLetsASingleDeliveryApply() public {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    arrive(CCTP, message, sigs);
    setTransportQuorum(0, 0, CCTP | CCIP);
    // Ungated: the gate is not consulted, the same transport applies it.
    arrive(CCTP, message, sigs);
    assertTrue(receiver.isNonceUsed(DID, 1));
    assertEq(holdings.balanceOf(alice), 100e6);
    (uint8 arrived, bool applied) = gate.arrivalsOf(digest);
    assertEq(arrived, CCTP);
    assertFalse(applied);
  }

  function test_RevertWhen_receiveMessage_GatedApplyOfAUsedNonce() public {
    // Another message with nonce 1 was applied; the gate's apply then hits the nonce check and records nothing.
    deliver(subscriptionAtt(bob, 5e6, 1));
    setTransportQuorum(1, ALL_TRANSPORTS, CCTP);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, 1));
    arrive(CCIP, message, sigs);
    (uint8 arrived,) = gate.arrivalsOf(digest);
    assertEq(arrived, 0);
  }

  function test_receiveMessage_OtherDidsStayUngated() public {
    bytes32 other = keccak256("did:rwa:acme:other");
    (uint256[] memory keys, RwaHoldings h,) = configureCommittee(other, 3, THRESHOLD, 77);
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    SettlementAtt memory a = subscriptionAtt(alice, 7e6, 1);
    a.did = other;
    vm.prank(ccipAdapter);
    receiver.receiveMessage(encodeSettlement(a), signSorted(digestOf(a), firstKeys(keys, THRESHOLD)));
    assertEq(h.balanceOf(alice), 7e6);
    (uint8 arrived,) = gate.arrivalsOf(keccak256(encodeSettlement(a)));
    assertEq(arrived, 0, "gate not consulted");
  }

  // ---- batches ----

  function test_RevertWhen_receiveBatch_GatedDid() public {
    setTransportQuorum(1, ALL_TRANSPORTS, CCTP);
    bytes[] memory messages = new bytes[](1);
    messages[0] = message;
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.TransportQuorumRequired.selector, DID));
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(messages), proofs);
  }

  function test_receiveBatch_UngatedDidUnchanged() public {
    bytes[] memory messages = new bytes[](1);
    messages[0] = message;
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    receiver.receiveBatch(DID, root, batchQuorumSigs(root), packItems(messages), proofs);
    assertEq(holdings.balanceOf(alice), 100e6);
  }

  // ---- kind 12 refused ----

  function _quorumRevert(uint64 chainId, uint8 k, uint8 transports, bytes memory reason) internal {
    bytes memory m = encodeTransportQuorum(DID, 500, chainId, k, transports);
    bytes memory s = adminQuorumSigs(m);
    vm.expectRevert(reason);
    arrive(CCTP, m, s);
    assertFalse(receiver.isNonceUsed(DID, 500));
  }

  function test_RevertWhen_receiveMessage_TransportQuorumForAnotherChain() public {
    _quorumRevert(PEER_CHAIN_ID, 1, CCTP, abi.encodeWithSelector(RwaReceiver.WrongQuorumChain.selector, PEER_CHAIN_ID));
  }

  function test_RevertWhen_receiveMessage_InvalidTransportQuorum() public {
    uint8[2][6] memory rules = [[0, 1], [2, 1], [4, 7], [1, 8], [1, 0], [1, 9]];
    for (uint256 i; i < rules.length; ++i) {
      _quorumRevert(
        uint64(block.chainid),
        rules[i][0],
        rules[i][1],
        abi.encodeWithSelector(RwaReceiver.InvalidTransportQuorum.selector, rules[i][0], rules[i][1])
      );
    }
  }

  function test_RevertWhen_receiveMessage_TransportQuorumNamesAnUnboundTransport() public {
    gate.setAdapter(wormholeAdapter, 0);
    _quorumRevert(
      uint64(block.chainid), 1, CCTP | WORMHOLE, abi.encodeWithSelector(RwaReceiver.TransportNotBound.selector, WORMHOLE)
    );
    gate.setAdapter(ccipAdapter, 0);
    _quorumRevert(
      uint64(block.chainid), 1, CCIP, abi.encodeWithSelector(RwaReceiver.TransportNotBound.selector, CCIP)
    );
    // cctp needs no adapter.
    setTransportQuorum(1, CCTP, CCTP);
    (uint8 k, uint8 transports) = receiver.transportQuorumOf(DID);
    assertEq(k, 1);
    assertEq(transports, CCTP);
  }

  function test_RevertWhen_receiveMessage_TransportQuorumOfAnUnknownDid() public {
    bytes32 unknown = keccak256("did:rwa:nobody:nothing");
    bytes memory m = encodeTransportQuorum(unknown, 1, uint64(block.chainid), 1, CCTP);
    bytes memory s = adminQuorumSigs(m);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnknownDid.selector, unknown));
    arrive(CCTP, m, s);
  }
}
