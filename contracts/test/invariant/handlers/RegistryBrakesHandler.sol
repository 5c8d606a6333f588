// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {RwaDidRegistry} from "../../../src/RwaDidRegistry.sol";
import {HubBrakes} from "../../../src/libraries/HubBrakes.sol";

/// @notice Drives RwaDidRegistry.setBrakes for one DID (2 of 3 signers) on two enabled chains and one that is not,
/// from the issuer, the owner and a stranger, with brakes mostly near the rule's edges. Keeps the last brakes
/// accepted per chain (the model) and counts calls whose outcome disagrees with the rule restated here.
contract RegistryBrakesHandler is Test {
  RwaDidRegistry internal immutable i_registry;
  bytes32 internal immutable i_did;
  address[3] internal s_callers;
  uint64[3] internal s_chains;

  mapping(uint64 chainId => HubBrakes.Brakes) internal s_model;
  uint256 public ghost_mismatches;
  uint256 public ghost_accepted;

  constructor(RwaDidRegistry registry, bytes32 did, address[3] memory callers, uint64[3] memory chains) {
    i_registry = registry;
    i_did = did;
    s_callers = callers;
    s_chains = chains;
  }

  function chainAt(uint256 i) external view returns (uint64) {
    return s_chains[i];
  }

  function modelOf(uint64 chainId) external view returns (HubBrakes.Brakes memory) {
    return s_model[chainId];
  }

  /// @dev The receivers' exact decimal form, restated: m * 10^e with m < 2^32.
  function _representable(uint256 v) internal pure returns (bool) {
    while (v >= 2 ** 32 && v % 10 == 0) v /= 10;
    return v < 2 ** 32;
  }

  function setBrakes(uint256 callerSeed, uint256 chainSeed, HubBrakes.Brakes memory b, uint8 shape) external {
    address caller = s_callers[callerSeed % 3];
    uint64 chainId = s_chains[chainSeed % 3];
    // Shapes: valid-looking values near the edges, or raw fuzz.
    if (shape % 4 != 0) {
      b.mintCapacity = uint128(bound(b.mintCapacity, 0, uint256(type(uint96).max) + 1));
      b.burnCapacity = uint128(bound(b.burnCapacity, 0, uint256(type(uint96).max) + 1));
      b.largeAmount = shape % 7 == 0
        ? uint128(bound(b.largeAmount, 0, uint256(type(uint96).max) + 1))
        : uint128(bound(b.largeAmount, 0, type(uint32).max)) * uint128(10 ** (shape % 13));
      if (shape % 3 == 0) b.mintRefillPerSecond = b.mintCapacity == 0 ? 0 : b.mintRefillPerSecond | 1;
      if (shape % 5 == 0) b.burnRefillPerSecond = b.burnCapacity == 0 ? 0 : b.burnRefillPerSecond | 1;
      b.largeThreshold = uint8(bound(b.largeThreshold, 0, 4));
    }
    bool allowed = caller != s_callers[2];
    bool enabled = chainId != s_chains[2];
    bool valid = b.mintCapacity <= HubBrakes.MAX_AMOUNT && b.burnCapacity <= HubBrakes.MAX_AMOUNT
      && b.largeAmount <= HubBrakes.MAX_AMOUNT && _representable(b.largeAmount) && (b.mintCapacity == 0) == (b.mintRefillPerSecond == 0)
      && (b.burnCapacity == 0) == (b.burnRefillPerSecond == 0)
      && (b.largeAmount == 0 ? b.largeThreshold == 0 : (b.largeThreshold >= 2 && b.largeThreshold <= 3));
    vm.prank(caller);
    try i_registry.setBrakes(i_did, chainId, b) {
      if (!(allowed && enabled && valid)) ++ghost_mismatches;
      s_model[chainId] = b;
      ++ghost_accepted;
    } catch {
      if (allowed && enabled && valid) ++ghost_mismatches;
    }
  }
}
