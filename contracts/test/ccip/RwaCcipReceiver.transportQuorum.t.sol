// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Client} from "@chainlink/contracts-ccip/contracts/libraries/Client.sol";
import {RwaCcipReceiver} from "../../src/ccip/RwaCcipReceiver.sol";
import {RwaTransportQuorum} from "../../src/RwaTransportQuorum.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";

/// @notice A gated DID (2 of {cctp, ccip}) with the real RwaCcipReceiver bound on the gate (the router is a plain
/// address the test acts as, as in RwaCcipReceiver.t.sol): a CCIP message counts as the ccip arrival.
contract RwaCcipReceiverTransportQuorumTest is AttestationFixture {
  uint64 internal constant HUB = 2_001;
  uint8 internal constant CCTP = 1;
  uint8 internal constant CCIP = 2;

  address internal router = makeAddr("ccip router");
  address internal hubSender = makeAddr("RwaCcipSender on hub");
  RwaCcipReceiver internal adapter;
  RwaTransportQuorum internal gate;
  bytes internal message;
  bytes internal sigs;

  function setUp() public override {
    super.setUp();
    adapter = new RwaCcipReceiver(router, receiver, address(this));
    RwaCcipReceiver.AllowedSender[] memory adds = new RwaCcipReceiver.AllowedSender[](1);
    adds[0] = RwaCcipReceiver.AllowedSender({sourceChainSelector: HUB, sender: hubSender});
    adapter.applyAllowedSenderUpdates(new RwaCcipReceiver.AllowedSender[](0), adds);
    gate = receiver.transportQuorum();
    gate.setAdapter(address(adapter), CCIP);
    deliverAdmin(
      abi.encodePacked(
        uint8(1), uint8(12), DID, nextAdminNonce(receiver, DID), uint64(block.chainid), uint8(2), CCTP | CCIP
      )
    );
    SettlementAtt memory a = subscriptionAtt(alice, 300e6, 1);
    message = encodeSettlement(a);
    sigs = quorumSigs(a);
  }

  function _ccip(bytes32 messageId) internal {
    Client.Any2EVMMessage memory m = Client.Any2EVMMessage({
      messageId: messageId,
      sourceChainSelector: HUB,
      sender: abi.encode(hubSender),
      data: abi.encode(message, sigs),
      destTokenAmounts: new Client.EVMTokenAmount[](0)
    });
    vm.prank(router);
    adapter.ccipReceive(m);
  }

  function test_ccipReceive_FirstArrivalRecordedThenADirectDeliveryApplies() public {
    vm.expectEmit(true, true, true, true, address(adapter));
    emit RwaCcipReceiver.AttestationDelivered(keccak256("m1"), HUB, hubSender, keccak256(message));
    _ccip(keccak256("m1"));
    assertEq(holdings.balanceOf(alice), 0);
    (uint8 arrived, bool applied) = gate.arrivalsOf(keccak256(message));
    assertEq(arrived, CCIP);
    assertFalse(applied);

    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.balanceOf(alice), 300e6);
  }

  function test_RevertWhen_ccipReceive_SecondCcipMessageOfTheSameAttestation() public {
    _ccip(keccak256("m1"));
    // A second CCIP message is still the ccip transport: the revert bubbles out of ccipReceive (FAILURE in the OffRamp).
    vm.expectRevert(
      abi.encodeWithSelector(RwaTransportQuorum.TransportAlreadyDelivered.selector, keccak256(message), CCIP)
    );
    _ccip(keccak256("m2"));
  }
}
