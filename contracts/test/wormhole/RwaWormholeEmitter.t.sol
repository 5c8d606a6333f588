// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {RwaWormholeEmitter} from "../../src/wormhole/RwaWormholeEmitter.sol";
import {HubPublisher} from "../../src/HubPublisher.sol";

contract RwaWormholeEmitterTest is Test {
  RwaWormholeEmitter internal emitter;

  function setUp() public {
    emitter = new RwaWormholeEmitter(201);
    emitter.setPublisher(address(this), true);
  }

  function test_publishAttestation_EmitsCoreShapedEventWithSequence() public {
    bytes memory message = hex"0101aa";
    bytes memory sigs = hex"bbcc";
    bytes memory payload = abi.encodePacked(uint8(1), uint64(8453), uint32(3), message, sigs);

    vm.expectEmit(address(emitter));
    emit RwaWormholeEmitter.LogMessagePublished(address(emitter), 0, 7, payload, 201);
    vm.expectEmit(address(emitter));
    emit RwaWormholeEmitter.AttestationPublished(0, 8453, keccak256(message));
    assertEq(emitter.publishAttestation(8453, 7, message, sigs), 0);

    vm.expectEmit(address(emitter));
    emit RwaWormholeEmitter.LogMessagePublished(address(emitter), 1, 8, payload, 201);
    assertEq(emitter.publishAttestation(8453, 8, message, sigs), 1);
    assertEq(emitter.nextSequence(), 2);
    assertEq(emitter.consistencyLevel(), 201);
  }

  function test_RevertWhen_publishAttestation_DestinationZero() public {
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeEmitter.InvalidDestinationChain.selector, uint64(0)));
    emitter.publishAttestation(0, 1, hex"01", hex"");
  }

  function test_RevertWhen_publishAttestation_CallerNotPublisher() public {
    address holderOfCommitteeSigs = makeAddr("holder of committee signatures");
    vm.expectRevert(abi.encodeWithSelector(HubPublisher.NotPublisher.selector, holderOfCommitteeSigs));
    vm.prank(holderOfCommitteeSigs);
    emitter.publishAttestation(8453, 1, hex"01", hex"");
    assertEq(emitter.nextSequence(), 0);
  }
}
