// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {RegistryFixture} from "../helpers/RegistryFixture.sol";
import {HubBrakes} from "../../src/libraries/HubBrakes.sol";
import {RegistryBrakesHandler} from "./handlers/RegistryBrakesHandler.sol";

/// @notice Invariant 33 of contracts/INVARIANTS.md: the hub registry holds, per DID and chain, only brakes every
/// receiver applies, the last ones the issuer or owner set; nothing else ever changes them.
contract RegistryBrakesInvariants is RegistryFixture {
  RegistryBrakesHandler internal handler;

  function setUp() public {
    uint64[] memory chainIds = new uint64[](2);
    chainIds[0] = 8453;
    chainIds[1] = 42_161;
    _registerDid(chainIds);
    address[] memory signers = new address[](3);
    signers[0] = address(0x1000);
    signers[1] = address(0x2000);
    signers[2] = address(0x3000);
    vm.prank(issuer);
    registry.updateConfig(DID, signers, 2, 1 days, 500, uint64(block.timestamp + 365 days));
    handler = new RegistryBrakesHandler(registry, DID, [issuer, owner, stranger], [uint64(8453), uint64(42_161), uint64(10)]);
    bytes4[] memory selectors = new bytes4[](1);
    selectors[0] = RegistryBrakesHandler.setBrakes.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (33) Every call was accepted or refused exactly as the rule says, and each chain's brakes are the last
  /// accepted (all zero before any), within the receivers' ranges, each bucket 0/0 or both set, the line's threshold
  /// within the DID's threshold..signer count and 0 without a line.
  function invariant_registryHoldsOnlyValidLastSetBrakes() public view {
    assertEq(handler.ghost_mismatches(), 0, "outcome differs from the rule");
    for (uint256 i; i < 3; ++i) {
      uint64 chainId = handler.chainAt(i);
      HubBrakes.Brakes memory got = registry.brakesOf(DID, chainId);
      HubBrakes.Brakes memory want = handler.modelOf(chainId);
      assertEq(keccak256(abi.encode(got)), keccak256(abi.encode(want)), "not the last accepted");
      assertLe(got.mintCapacity, HubBrakes.MAX_AMOUNT);
      assertLe(got.burnCapacity, HubBrakes.MAX_AMOUNT);
      assertLe(got.largeAmount, HubBrakes.MAX_AMOUNT);
      assertEq(got.mintCapacity == 0, got.mintRefillPerSecond == 0);
      assertEq(got.burnCapacity == 0, got.burnRefillPerSecond == 0);
      if (got.largeAmount == 0) assertEq(got.largeThreshold, 0);
      else assertTrue(got.largeThreshold >= 2 && got.largeThreshold <= 3, "line threshold");
    }
  }
}
