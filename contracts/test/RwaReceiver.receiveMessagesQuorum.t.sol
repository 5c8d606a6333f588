// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Vm} from "forge-std/Vm.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaTransportQuorum} from "../src/RwaTransportQuorum.sol";
import {TransportQuorumFixture} from "./helpers/TransportQuorumFixture.sol";

/// @notice receiveMessages for a gated DID (2 of {cctp, ccip, wormhole}): each item passes the gate with the caller as
/// its transport; an item this transport already delivered, or one already applied, is skipped.
contract RwaReceiverReceiveMessagesQuorumTest is TransportQuorumFixture {
  bytes[] internal messages;
  bytes[] internal sigs;

  function setUp() public override {
    super.setUp();
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    for (uint256 i; i < 4; ++i) {
      SettlementAtt memory a = subscriptionAtt(i % 2 == 0 ? alice : bob, 10 + i, uint64(3 + i));
      messages.push(encodeSettlement(a));
      sigs.push(quorumSigs(a));
    }
  }

  function _send(uint8 transport) internal returns (uint256 skipped) {
    vm.recordLogs();
    vm.prank(callerFor(transport));
    receiver.receiveMessages(messages, sigs);
    Vm.Log[] memory logs = vm.getRecordedLogs();
    for (uint256 i; i < logs.length; ++i) {
      if (logs[i].topics[0] == RwaReceiver.BatchItemSkipped.selector) ++skipped;
    }
  }

  function test_receiveMessages_Gated_SecondTransportApplies() public {
    assertEq(_send(CCTP), 0);
    assertEq(holdings.totalSupply(), 0, "one transport of two: recorded, not applied");
    for (uint256 i; i < 4; ++i) {
      (uint8 arrived, bool applied) = gate.arrivalsOf(keccak256(messages[i]));
      assertEq(arrived, CCTP);
      assertFalse(applied);
    }
    assertEq(_send(CCIP), 0);
    assertEq(holdings.balanceOf(alice), 10 + 12);
    assertEq(holdings.balanceOf(bob), 11 + 13);
    // A third transport, and either earlier one again: everything skipped, nothing recorded or applied twice.
    assertEq(_send(WORMHOLE), 4);
    assertEq(_send(CCIP), 4);
    assertEq(holdings.totalSupply(), 46);
    (uint8 late,) = gate.arrivalsOf(keccak256(messages[0]));
    assertEq(late, CCTP | CCIP);
  }

  /// @dev A batch this transport partly delivered before (a crash, a replacement): the items it already recorded are
  /// skipped instead of reverting TransportAlreadyDelivered, the rest are recorded.
  function test_receiveMessages_Gated_PartlyDeliveredBySameTransportCompletes() public {
    arrive(CCIP, messages[1], sigs[1]);
    arrive(CCIP, messages[3], sigs[3]);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 4, 1);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 6, 3);
    assertEq(_send(CCIP), 2);
    assertEq(holdings.totalSupply(), 0);
    assertEq(_send(WORMHOLE), 0);
    assertEq(holdings.totalSupply(), 46);
  }

  function test_receiveMessages_Gated_DuplicateInsideOneBatchRecordedOnce() public {
    messages.push(messages[0]);
    sigs.push(sigs[0]);
    assertEq(_send(CCTP), 1);
    assertEq(_send(WORMHOLE), 1);
    assertEq(holdings.balanceOf(alice), 22);
  }

  function test_receiveMessages_Gated_TransportOutsideTheMaskRevertsAll() public {
    setTransportQuorum(1, CCIP, CCTP | CCIP);
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportNotInQuorum.selector, CCTP, CCIP));
    vm.prank(relayer);
    receiver.receiveMessages(messages, sigs);
    (uint8 arrived,) = gate.arrivalsOf(keccak256(messages[0]));
    assertEq(arrived, 0);
  }

  function test_deliveredBy_ReadsTheCallersTransport() public {
    arrive(CCIP, messages[0], sigs[0]);
    bytes32 digest = keccak256(messages[0]);
    assertTrue(gate.deliveredBy(ccipAdapter, digest));
    assertFalse(gate.deliveredBy(wormholeAdapter, digest));
    assertFalse(gate.deliveredBy(relayer, digest));
  }
}
