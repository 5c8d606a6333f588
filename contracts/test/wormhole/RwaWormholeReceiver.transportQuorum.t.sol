// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaTransportQuorum} from "../../src/RwaTransportQuorum.sol";
import {WormholeFixture} from "./helpers/WormholeFixture.sol";

/// @notice A gated DID (2 of {cctp, wormhole}) with the real RwaWormholeReceiver bound on the gate: a VAA counts as
/// the wormhole arrival, a direct call as the cctp one, and a late VAA is consumed without reverting.
contract RwaWormholeReceiverTransportQuorumTest is WormholeFixture {
  uint8 internal constant CCTP = 1;
  uint8 internal constant WORMHOLE = 4;

  RwaTransportQuorum internal gate;
  bytes internal message;
  bytes internal sigs;
  bytes internal vaa;

  function setUp() public override {
    super.setUp();
    gate = receiver.transportQuorum();
    gate.setAdapter(address(adapter), WORMHOLE);
    bytes memory rule = abi.encodePacked(
      uint8(1), uint8(12), DID, nextAdminNonce(receiver, DID), uint64(block.chainid), uint8(2), CCTP | WORMHOLE
    );
    deliverAdmin(rule);

    SettlementAtt memory a = subscriptionAtt(alice, 250e6, 3);
    message = encodeSettlement(a);
    sigs = quorumSigs(a);
    Body memory b = subscriptionBody(3, 0);
    b.payload = payloadFor(uint64(block.chainid), message, sigs);
    vaa = signVaa(FIRST_SET_INDEX, guardianKeys, indices(4), encodeBody(b));
  }

  function test_receiveVaa_CompletesTheQuorumAfterADirectDelivery() public {
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.balanceOf(alice), 0);

    vm.prank(relayer);
    adapter.receiveVaa(vaa);
    assertEq(holdings.balanceOf(alice), 250e6);
    (uint8 arrived, bool applied) = gate.arrivalsOf(keccak256(message));
    assertEq(arrived, CCTP | WORMHOLE);
    assertTrue(applied);
  }

  function test_receiveVaa_FirstArrivalIsRecordedThenADirectDeliveryApplies() public {
    vm.prank(relayer);
    adapter.receiveVaa(vaa);
    assertEq(holdings.balanceOf(alice), 0);
    assertFalse(receiver.isNonceUsed(DID, 3));

    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.balanceOf(alice), 250e6);
  }

  function test_RevertWhen_receiveVaa_TransportUnbound() public {
    gate.setAdapter(address(adapter), 0);
    // The unbound adapter is just another direct caller: the cctp arrival, counted once.
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportAlreadyDelivered.selector, keccak256(message), CCTP));
    vm.prank(relayer);
    adapter.receiveVaa(vaa);
  }

  function test_receiveVaa_ARuleOnlyForCcipRefusesTheWormholeArrival() public {
    gate.setAdapter(makeAddr("ccip adapter"), 2);
    bytes memory rule = abi.encodePacked(
      uint8(1), uint8(12), DID, nextAdminNonce(receiver, DID), uint64(block.chainid), uint8(1), uint8(2)
    );
    // The new rule is itself delivered under the 2-of-{cctp, wormhole} in force: directly, then in a VAA.
    bytes memory ruleSigs = adminQuorumSigs(rule);
    vm.prank(relayer);
    receiver.receiveMessage(rule, ruleSigs);
    Body memory b = subscriptionBody(4, 1);
    b.payload = payloadFor(uint64(block.chainid), rule, ruleSigs);
    vm.prank(relayer);
    adapter.receiveVaa(signVaa(FIRST_SET_INDEX, guardianKeys, indices(4), encodeBody(b)));
    (uint8 k, uint8 transports) = receiver.transportQuorumOf(DID);
    assertEq(k, 1);
    assertEq(transports, 2);

    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportNotInQuorum.selector, WORMHOLE, 2));
    vm.prank(relayer);
    adapter.receiveVaa(vaa);
    assertEq(holdings.balanceOf(alice), 0);
  }
}
