// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RegistryFixture} from "./helpers/RegistryFixture.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {RwaDidRegistry} from "../src/RwaDidRegistry.sol";
import {IRwaDidRegistryEvents} from "../src/interfaces/IRwaDidRegistryEvents.sol";

/// @notice RwaDidRegistry.updateConfig: the hub-side source of the config attestations that rotate a DID's signers.
contract RwaDidRegistryUpdateConfigTest is RegistryFixture {
  address[] internal next;

  function setUp() public {
    _registerDid(_oneChain(8453));
    next = [address(0x2000), address(0x3000), address(0x4000)];
  }

  function test_updateConfig_ByIssuerStoresAndEmits() public {
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.DidConfigUpdated(DID, 2, 2 days, 100, next, VALID_UNTIL);
    vm.prank(issuer);
    registry.updateConfig(DID, next, 2, 2 days, 100, VALID_UNTIL);

    RwaDidRegistry.DidRecord memory rec = registry.getDid(DID);
    assertEq(rec.signers, next);
    assertEq(rec.config.threshold, 2);
    assertEq(rec.config.heartbeat, 2 days);
    assertEq(rec.config.maxNavMoveBps, 100);
    // Fixed at registration: decimals and issuer.
    assertEq(rec.config.navDecimals, 8);
    assertEq(rec.config.tokenDecimals, 6);
    assertEq(rec.config.issuer, issuer);
  }

  function test_updateConfig_ByOwner() public {
    vm.prank(owner);
    registry.updateConfig(DID, next, 3, 1 days, 500, VALID_UNTIL);
    assertEq(registry.getDid(DID).config.threshold, 3);
  }

  function test_updateConfig_RenewsTheSetsEnd() public {
    uint64 later = VALID_UNTIL + 365 days;
    address[] memory same = registry.getDid(DID).signers;
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.DidConfigUpdated(DID, 1, 1 days, 500, same, later);
    vm.prank(issuer);
    registry.updateConfig(DID, same, 1, 1 days, 500, later);
    assertEq(registry.getDid(DID).signersValidUntil, later);
  }

  /// @dev The end must lie in the future and within the 32 bits a receiver stores; else nothing changes.
  function testFuzz_updateConfig_EndMustBeFutureAnd32Bits(uint64 end, uint32 at) public {
    at = uint32(bound(at, 1, 3_000_000_000));
    vm.warp(at);
    bool valid = end > at && end <= type(uint32).max;
    if (!valid) vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidSignersValidUntil.selector, end, uint256(at)));
    vm.prank(issuer);
    registry.updateConfig(DID, next, 2, 1 days, 500, end);
    assertEq(registry.getDid(DID).signersValidUntil, valid ? end : VALID_UNTIL);
  }

  function test_RevertWhen_updateConfig_CallerIsStranger() public {
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
    vm.prank(stranger);
    registry.updateConfig(DID, next, 2, 1 days, 500, VALID_UNTIL);
  }

  function test_RevertWhen_updateConfig_UnknownDid() public {
    bytes32 unknown = keccak256("did:rwa:acme:unknown");
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, unknown));
    vm.prank(owner);
    registry.updateConfig(unknown, next, 2, 1 days, 500, VALID_UNTIL);
  }

  function test_RevertWhen_updateConfig_InvalidThreshold() public {
    vm.startPrank(issuer);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidThreshold.selector, 0, 3));
    registry.updateConfig(DID, next, 0, 1 days, 500, VALID_UNTIL);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidThreshold.selector, 4, 3));
    registry.updateConfig(DID, next, 4, 1 days, 500, VALID_UNTIL);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidThreshold.selector, 1, 0));
    registry.updateConfig(DID, new address[](0), 1, 1 days, 500, VALID_UNTIL);
    vm.stopPrank();
    assertEq(registry.getDid(DID).config.threshold, 1);
  }

  function test_RevertWhen_updateConfig_SignersNotAscending() public {
    address[] memory unsorted = new address[](3);
    (unsorted[0], unsorted[1], unsorted[2]) = (next[0], next[2], next[1]);
    address[] memory dup = new address[](2);
    (dup[0], dup[1]) = (next[0], next[0]);
    address[] memory withZero = new address[](2);
    withZero[1] = next[0];
    vm.startPrank(issuer);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.SignersNotAscending.selector, 2));
    registry.updateConfig(DID, unsorted, 2, 1 days, 500, VALID_UNTIL);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.SignersNotAscending.selector, 1));
    registry.updateConfig(DID, dup, 2, 1 days, 500, VALID_UNTIL);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.SignersNotAscending.selector, 0));
    registry.updateConfig(DID, withZero, 2, 1 days, 500, VALID_UNTIL);
    vm.stopPrank();
    assertEq(registry.getDid(DID).signers.length, 1);
  }
}
