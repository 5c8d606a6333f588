// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {RwaTransportQuorum} from "../src/RwaTransportQuorum.sol";

/// @notice RwaTransportQuorum on its own: this test contract deploys it, so it plays the receiver (the only caller
/// of `record`); `owner` binds the adapters.
contract RwaTransportQuorumTest is Test {
  uint8 internal constant CCTP = 1;
  uint8 internal constant CCIP = 2;
  uint8 internal constant WORMHOLE = 4;
  bytes32 internal constant DIGEST = keccak256("attestation");

  RwaTransportQuorum internal gate;
  address internal owner = makeAddr("owner");
  address internal ccip = makeAddr("ccip adapter");
  address internal wormhole = makeAddr("wormhole adapter");
  address internal relayer = makeAddr("relayer");

  function setUp() public {
    gate = new RwaTransportQuorum(owner);
    vm.startPrank(owner);
    gate.setAdapter(ccip, CCIP);
    gate.setAdapter(wormhole, WORMHOLE);
    vm.stopPrank();
  }

  // ---- adapters ----

  function test_setAdapter_BindsAndCounts() public view {
    assertEq(gate.transportOf(ccip), CCIP);
    assertEq(gate.transportOf(wormhole), WORMHOLE);
    assertEq(gate.transportOf(relayer), CCTP, "unbound callers are cctp");
    assertEq(gate.adapterCount(CCIP), 1);
    assertEq(gate.adapterCount(WORMHOLE), 1);
    assertEq(gate.receiver(), address(this));
  }

  function test_setAdapter_EmitsAdapterSet() public {
    address second = makeAddr("second ccip adapter");
    vm.expectEmit(true, true, true, true, address(gate));
    emit RwaTransportQuorum.AdapterSet(second, CCIP);
    vm.prank(owner);
    gate.setAdapter(second, CCIP);
    assertEq(gate.adapterCount(CCIP), 2);
  }

  function test_setAdapter_UnbindMakesTheCallerCctp() public {
    vm.expectEmit(true, true, true, true, address(gate));
    emit RwaTransportQuorum.AdapterSet(ccip, 0);
    vm.prank(owner);
    gate.setAdapter(ccip, 0);
    assertEq(gate.transportOf(ccip), CCTP);
    assertEq(gate.adapterCount(CCIP), 0);
  }

  function test_setAdapter_RebindMovesTheCount() public {
    vm.prank(owner);
    gate.setAdapter(ccip, WORMHOLE);
    assertEq(gate.adapterCount(CCIP), 0);
    assertEq(gate.adapterCount(WORMHOLE), 2);
    vm.prank(owner);
    gate.setAdapter(ccip, WORMHOLE); // same binding again: no double count
    assertEq(gate.adapterCount(WORMHOLE), 2);
  }

  function test_setAdapter_UnbindingAnUnboundAddressChangesNothing() public {
    vm.prank(owner);
    gate.setAdapter(relayer, 0);
    assertEq(gate.adapterCount(CCIP), 1);
    assertEq(gate.adapterCount(WORMHOLE), 1);
  }

  function test_RevertWhen_setAdapter_InvalidTransport() public {
    uint8[5] memory bad = [CCTP, 3, 6, 8, 255];
    for (uint256 i; i < bad.length; ++i) {
      vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.InvalidTransport.selector, bad[i]));
      vm.prank(owner);
      gate.setAdapter(relayer, bad[i]);
    }
  }

  function test_RevertWhen_setAdapter_ZeroAdapter() public {
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.InvalidAdapter.selector, address(0)));
    vm.prank(owner);
    gate.setAdapter(address(0), CCIP);
  }

  function test_RevertWhen_setAdapter_NotOwner() public {
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, relayer));
    vm.prank(relayer);
    gate.setAdapter(relayer, CCIP);
  }

  function test_transferOwnership_TwoSteps() public {
    address next = makeAddr("next owner");
    vm.prank(owner);
    gate.transferOwnership(next);
    assertEq(gate.owner(), owner);
    vm.prank(next);
    gate.acceptOwnership();
    assertEq(gate.owner(), next);
    vm.prank(next);
    gate.setAdapter(relayer, CCIP);
    assertEq(gate.transportOf(relayer), CCIP);
  }

  // ---- record ----

  function test_record_2of3() public {
    vm.expectEmit(true, true, true, true, address(gate));
    emit RwaTransportQuorum.TransportArrived(DIGEST, CCIP, CCIP, false);
    assertFalse(gate.record(ccip, DIGEST, 2, 7));
    vm.expectEmit(true, true, true, true, address(gate));
    emit RwaTransportQuorum.TransportArrived(DIGEST, CCTP, CCTP | CCIP, true);
    assertTrue(gate.record(relayer, DIGEST, 2, 7));
    vm.expectEmit(true, true, true, true, address(gate));
    emit RwaTransportQuorum.TransportArrived(DIGEST, WORMHOLE, 7, true);
    assertFalse(gate.record(wormhole, DIGEST, 2, 7));
    (uint8 arrived, bool applied) = gate.arrivalsOf(DIGEST);
    assertEq(arrived, 7);
    assertTrue(applied);
  }

  function test_record_DigestsAreIndependent() public {
    assertTrue(gate.record(ccip, DIGEST, 1, 7));
    assertTrue(gate.record(ccip, keccak256("another"), 1, 7));
  }

  function test_RevertWhen_record_NotReceiver() public {
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.NotReceiver.selector, relayer));
    vm.prank(relayer);
    gate.record(relayer, DIGEST, 1, 7);
  }

  function test_RevertWhen_record_TransportNotInQuorum() public {
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportNotInQuorum.selector, CCTP, CCIP | WORMHOLE));
    gate.record(relayer, DIGEST, 1, CCIP | WORMHOLE);
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportNotInQuorum.selector, CCIP, 0));
    gate.record(ccip, DIGEST, 0, 0);
  }

  function test_RevertWhen_record_TransportAlreadyDelivered() public {
    gate.record(wormhole, DIGEST, 2, 7);
    vm.prank(owner);
    gate.setAdapter(makeAddr("second wormhole adapter"), WORMHOLE);
    vm.expectRevert(abi.encodeWithSelector(RwaTransportQuorum.TransportAlreadyDelivered.selector, DIGEST, WORMHOLE));
    gate.record(makeAddr("second wormhole adapter"), DIGEST, 2, 7);
  }
}
