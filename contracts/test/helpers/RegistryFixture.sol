// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {RwaDidRegistry} from "../../src/RwaDidRegistry.sol";

/// @notice A hub registry with one registered DID (issuer `issuer`, one signer, 1 day heartbeat, 5% NAV band), for the
/// tests of the issuer's calls on it.
abstract contract RegistryFixture is Test {
  string internal constant DID_STRING = "did:rwa:acme:ust-bill-2026";
  bytes32 internal constant DID = keccak256(bytes(DID_STRING));
  /// @dev A signer set's end far past any test's clock (2096), within the 32 bits receivers store.
  uint64 internal constant VALID_UNTIL = 4_000_000_000;

  RwaDidRegistry internal registry;
  address internal owner = makeAddr("owner");
  address internal issuer = makeAddr("issuer");
  address internal stranger = makeAddr("stranger");

  /// @dev Deploys the registry and registers DID_STRING, enabled on `chainIds`.
  function _registerDid(uint64[] memory chainIds) internal {
    registry = new RwaDidRegistry(owner);
    RwaDidRegistry.DidInput memory input;
    input.did = DID_STRING;
    input.name = "Acme UST Bill 2026";
    input.symbol = "aUSTB";
    input.config = RwaDidRegistry.DidConfig({
      issuer: issuer,
      navDecimals: 8,
      tokenDecimals: 6,
      threshold: 1,
      heartbeat: 1 days,
      maxNavMoveBps: 500
    });
    input.signers = new address[](1);
    input.signers[0] = address(0x1000);
    input.chainIds = chainIds;
    input.signersValidUntil = VALID_UNTIL;
    vm.prank(owner);
    registry.registerDid(input);
  }

  function _oneChain(uint64 chainId) internal pure returns (uint64[] memory chainIds) {
    chainIds = new uint64[](1);
    chainIds[0] = chainId;
  }
}
