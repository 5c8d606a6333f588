// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RegistryFixture} from "./helpers/RegistryFixture.sol";
import {RwaDidRegistry} from "../src/RwaDidRegistry.sol";
import {IRwaDidRegistryEvents} from "../src/interfaces/IRwaDidRegistryEvents.sol";

/// @notice RwaDidRegistry.setTransportQuorum: the hub-side source of the transport quorum attestations (kind 12).
contract RwaDidRegistrySetTransportQuorumTest is RegistryFixture {
  uint64 internal constant BASE = 8453;
  uint64 internal constant ARBITRUM = 42_161;

  function setUp() public {
    uint64[] memory chainIds = new uint64[](2);
    chainIds[0] = BASE;
    chainIds[1] = ARBITRUM;
    _registerDid(chainIds);
  }

  function test_transportQuorumOf_UngatedUntilSet() public view {
    (uint8 k, uint8 transports) = registry.transportQuorumOf(DID, BASE);
    assertEq(k, 0);
    assertEq(transports, 0);
  }

  function test_setTransportQuorum_ByTheIssuerStoresPerChainAndEmits() public {
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.TransportQuorumSet(DID, ARBITRUM, 2, 7);
    vm.prank(issuer);
    registry.setTransportQuorum(DID, ARBITRUM, 2, 7);
    (uint8 k, uint8 transports) = registry.transportQuorumOf(DID, ARBITRUM);
    assertEq(k, 2);
    assertEq(transports, 7);
    (k, transports) = registry.transportQuorumOf(DID, BASE);
    assertEq(k, 0, "other chain untouched");
    assertEq(transports, 0);
  }

  function test_setTransportQuorum_ZeroZeroLiftsTheGate() public {
    vm.startPrank(issuer);
    registry.setTransportQuorum(DID, BASE, 1, 6);
    registry.setTransportQuorum(DID, BASE, 0, 0);
    vm.stopPrank();
    (uint8 k, uint8 transports) = registry.transportQuorumOf(DID, BASE);
    assertEq(k, 0);
    assertEq(transports, 0);
  }

  function test_RevertWhen_setTransportQuorum_NotIssuer() public {
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.NotIssuer.selector, DID, stranger));
    vm.prank(stranger);
    registry.setTransportQuorum(DID, BASE, 1, 1);
    // Not even the registry owner: the rule is the issuer's call.
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.NotIssuer.selector, DID, owner));
    vm.prank(owner);
    registry.setTransportQuorum(DID, BASE, 1, 1);
  }

  function test_RevertWhen_setTransportQuorum_UnknownDid() public {
    bytes32 unknown = keccak256("did:rwa:nobody:nothing");
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, unknown));
    vm.prank(issuer);
    registry.setTransportQuorum(unknown, BASE, 1, 1);
  }

  function test_RevertWhen_setTransportQuorum_ChainNotEnabled() public {
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.ChainNotEnabled.selector, DID, uint64(10)));
    vm.prank(issuer);
    registry.setTransportQuorum(DID, 10, 1, 1);
  }

  function test_RevertWhen_setTransportQuorum_InvalidRule() public {
    uint8[2][7] memory rules = [[0, 1], [2, 1], [3, 6], [4, 7], [1, 8], [1, 0], [0, 255]];
    for (uint256 i; i < rules.length; ++i) {
      vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidTransportQuorum.selector, rules[i][0], rules[i][1]));
      vm.prank(issuer);
      registry.setTransportQuorum(DID, BASE, rules[i][0], rules[i][1]);
    }
  }

  /// @dev The rule restated: 0/0, or a non-empty subset of {1, 2, 4} with 1 <= k <= its size.
  function testFuzz_setTransportQuorum_AcceptsExactlyTheValidRules(uint8 k, uint8 transports) public {
    uint8 size = (transports & 1) + ((transports >> 1) & 1) + ((transports >> 2) & 1);
    bool valid = transports < 8 && (transports == 0 ? k == 0 : (k >= 1 && k <= size));
    if (!valid) vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidTransportQuorum.selector, k, transports));
    vm.prank(issuer);
    registry.setTransportQuorum(DID, BASE, k, transports);
    if (valid) {
      (uint8 gotK, uint8 gotTransports) = registry.transportQuorumOf(DID, BASE);
      assertEq(gotK, k);
      assertEq(gotTransports, transports);
    }
  }
}
