// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaWormholeReceiver} from "../../src/wormhole/RwaWormholeReceiver.sol";
import {WormholeFixture} from "./helpers/WormholeFixture.sol";

/// @notice RwaWormholeReceiver's owner-managed state: guardian sets and the emitter allow-list.
contract RwaWormholeReceiverAdminTest is WormholeFixture {
  function _emitters(uint16 chainId, bytes32 addr) internal pure returns (RwaWormholeReceiver.Emitter[] memory e) {
    e = new RwaWormholeReceiver.Emitter[](1);
    e[0] = RwaWormholeReceiver.Emitter({chainId: chainId, emitterAddress: addr});
  }

  function _none() internal pure returns (RwaWormholeReceiver.Emitter[] memory) {
    return new RwaWormholeReceiver.Emitter[](0);
  }

  // ---- constructor ----

  function test_constructor_InstallsInitialSet() public view {
    (address[] memory keys, uint32 expiry) = adapter.getGuardianSet(FIRST_SET_INDEX);
    assertEq(keys, guardianAddresses(guardianKeys));
    assertEq(expiry, 0);
    assertEq(adapter.getCurrentGuardianSetIndex(), FIRST_SET_INDEX);
    assertEq(adapter.getTarget(), address(receiver));
    assertEq(adapter.owner(), adapterOwner);
  }

  function test_constructor_StartsAtAnyIndex() public {
    RwaWormholeReceiver a = new RwaWormholeReceiver(receiver, adapterOwner, 4, guardianAddresses(guardianKeys));
    assertEq(a.getCurrentGuardianSetIndex(), 4);
    (address[] memory keys,) = a.getGuardianSet(4);
    assertEq(keys.length, 5);
  }

  function test_RevertWhen_constructor_TargetHasNoCode() public {
    address[] memory keys = guardianAddresses(guardianKeys);
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidTarget.selector, stranger));
    new RwaWormholeReceiver(RwaReceiver(stranger), adapterOwner, 0, keys);
  }

  function test_RevertWhen_constructor_EmptySet() public {
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidGuardianSetSize.selector, 0));
    new RwaWormholeReceiver(receiver, adapterOwner, 0, new address[](0));
  }

  // ---- upgradeGuardianSet ----

  function test_upgradeGuardianSet_InstallsNextAndExpiresPrevious() public {
    address[] memory next = guardianAddresses(guardianKeysFor(3, 5));
    uint32 expiry = uint32(block.timestamp) + adapter.GUARDIAN_SET_EXPIRY();
    vm.expectEmit(address(adapter));
    emit RwaWormholeReceiver.GuardianSetExpirySet(0, expiry);
    vm.expectEmit(address(adapter));
    emit RwaWormholeReceiver.GuardianSetAdded(1, next);
    vm.prank(adapterOwner);
    adapter.upgradeGuardianSet(next);

    assertEq(adapter.getCurrentGuardianSetIndex(), 1);
    (address[] memory keys, uint32 exp1) = adapter.getGuardianSet(1);
    assertEq(keys, next);
    assertEq(exp1, 0);
    (, uint32 exp0) = adapter.getGuardianSet(0);
    assertEq(exp0, expiry);
  }

  function test_getGuardianSet_UnknownIndexIsEmpty() public view {
    (address[] memory keys, uint32 expiry) = adapter.getGuardianSet(9);
    assertEq(keys.length, 0);
    assertEq(expiry, 0);
  }

  function test_RevertWhen_upgradeGuardianSet_CallerNotOwner() public {
    address[] memory next = guardianAddresses(guardianKeysFor(3, 5));
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
    vm.prank(stranger);
    adapter.upgradeGuardianSet(next);
  }

  function test_RevertWhen_upgradeGuardianSet_ZeroKey() public {
    address[] memory next = guardianAddresses(guardianKeysFor(3, 5));
    next[1] = address(0);
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidGuardian.selector, 1, address(0)));
    vm.prank(adapterOwner);
    adapter.upgradeGuardianSet(next);
  }

  function test_RevertWhen_upgradeGuardianSet_DuplicateKey() public {
    address[] memory next = guardianAddresses(guardianKeysFor(3, 5));
    next[2] = next[0];
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidGuardian.selector, 2, next[0]));
    vm.prank(adapterOwner);
    adapter.upgradeGuardianSet(next);
  }

  function test_RevertWhen_upgradeGuardianSet_TooMany() public {
    address[] memory next = new address[](256);
    for (uint256 i; i < next.length; ++i) {
      next[i] = address(uint160(i + 1));
    }
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidGuardianSetSize.selector, 256));
    vm.prank(adapterOwner);
    adapter.upgradeGuardianSet(next);
  }

  // ---- emitters ----

  function test_applyEmitterUpdates_AddsAndRemovesWithEvents() public {
    bytes32 other = bytes32(uint256(0xbeef));
    vm.expectEmit(address(adapter));
    emit RwaWormholeReceiver.EmitterAllowed(10002, other);
    vm.prank(adapterOwner);
    adapter.applyEmitterUpdates(_none(), _emitters(10002, other));
    assertTrue(adapter.isEmitterAllowed(10002, other));

    vm.expectEmit(address(adapter));
    emit RwaWormholeReceiver.EmitterRemoved(EMITTER_CHAIN, emitter);
    vm.prank(adapterOwner);
    adapter.applyEmitterUpdates(_emitters(EMITTER_CHAIN, emitter), _none());
    assertFalse(adapter.isEmitterAllowed(EMITTER_CHAIN, emitter));
  }

  function test_applyEmitterUpdates_NoEventWhenNothingChanges() public {
    vm.recordLogs();
    vm.prank(adapterOwner);
    adapter.applyEmitterUpdates(_emitters(6, emitter), _emitters(EMITTER_CHAIN, emitter));
    assertEq(vm.getRecordedLogs().length, 0);
  }

  function test_RevertWhen_applyEmitterUpdates_ZeroChainOrAddress() public {
    vm.startPrank(adapterOwner);
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidEmitter.selector, uint16(0), emitter));
    adapter.applyEmitterUpdates(_none(), _emitters(0, emitter));
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.InvalidEmitter.selector, EMITTER_CHAIN, bytes32(0)));
    adapter.applyEmitterUpdates(_none(), _emitters(EMITTER_CHAIN, bytes32(0)));
    vm.stopPrank();
  }

  function test_RevertWhen_applyEmitterUpdates_CallerNotOwner() public {
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
    vm.prank(stranger);
    adapter.applyEmitterUpdates(_none(), _emitters(6, emitter));
  }
}
