// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RegistryFixture} from "./helpers/RegistryFixture.sol";
import {RwaDidRegistry} from "../src/RwaDidRegistry.sol";
import {IRwaDidRegistryEvents} from "../src/interfaces/IRwaDidRegistryEvents.sol";
import {RedemptionPolicy} from "../src/libraries/RedemptionPolicy.sol";

/// @notice RwaDidRegistry.setRedemptionPolicy: the hub-side source of the redemption policy attestations (kind 9).
contract RwaDidRegistrySetRedemptionPolicyTest is RegistryFixture {
  function setUp() public {
    _registerDid(_oneChain(8453));
  }

  function test_redemptionPolicyOf_DefaultsUntilSet() public view {
    RedemptionPolicy.Policy memory p = registry.redemptionPolicyOf(DID);
    assertEq(p.stageBBps, 100);
    assertEq(p.stageCBps, 300);
    assertEq(p.instalments, 7);
    assertEq(p.windowSeconds, 7 days);
    assertFalse(p.emergency);
  }

  function test_setRedemptionPolicy_ByTheIssuerStoresAndEmits() public {
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.RedemptionPolicySet(DID, 50, 250, 5, 10 days, true);
    vm.prank(issuer);
    registry.setRedemptionPolicy(DID, 50, 250, 5, 10 days, true);
    RedemptionPolicy.Policy memory p = registry.redemptionPolicyOf(DID);
    assertEq(p.stageBBps, 50);
    assertEq(p.stageCBps, 250);
    assertEq(p.instalments, 5);
    assertEq(p.windowSeconds, 10 days);
    assertTrue(p.emergency);
  }

  function test_RevertWhen_setRedemptionPolicy_CallerNotTheIssuer() public {
    address[2] memory callers = [owner, stranger];
    for (uint256 i; i < callers.length; ++i) {
      vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.NotIssuer.selector, DID, callers[i]));
      vm.prank(callers[i]);
      registry.setRedemptionPolicy(DID, 100, 300, 7, 7 days, true);
    }
  }

  function test_RevertWhen_setRedemptionPolicy_UnknownDid() public {
    bytes32 unknown = keccak256("did:rwa:nobody:none");
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, unknown));
    vm.prank(issuer);
    registry.setRedemptionPolicy(unknown, 100, 300, 7, 7 days, false);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, unknown));
    registry.redemptionPolicyOf(unknown);
  }

  function test_RevertWhen_setRedemptionPolicy_Invalid() public {
    _expectInvalid(0, 300, 7, 7 days);
    _expectInvalid(301, 300, 7, 7 days);
    _expectInvalid(100, 10_001, 7, 7 days);
    _expectInvalid(100, 300, 0, 7 days);
    _expectInvalid(100, 300, 7, 6);
  }

  function testFuzz_setRedemptionPolicy_AcceptsExactlyTheValidPolicies(uint16 b, uint16 c, uint8 n, uint32 window) public {
    bool valid = b > 0 && b <= c && c <= 10_000 && n > 0 && window >= n;
    if (!valid) {
      vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidRedemptionPolicy.selector, b, c, n, window));
    }
    vm.prank(issuer);
    registry.setRedemptionPolicy(DID, b, c, n, window, false);
    if (valid) assertEq(registry.redemptionPolicyOf(DID).windowSeconds, window);
  }

  function _expectInvalid(uint16 b, uint16 c, uint8 n, uint32 window) internal {
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidRedemptionPolicy.selector, b, c, n, window));
    vm.prank(issuer);
    registry.setRedemptionPolicy(DID, b, c, n, window, false);
  }
}
