// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {WormholeFixture} from "../wormhole/helpers/WormholeFixture.sol";
import {WormholeReplayHandler} from "./handlers/WormholeReplayHandler.sol";

/// @notice INVARIANTS.md 11: a VAA hash applies at most once, and an attestation at most once whatever VAA carries it.
contract WormholeReplayInvariantsTest is WormholeFixture {
  uint256 internal constant ATTESTATIONS = 4;
  WormholeReplayHandler internal handler;

  function setUp() public override {
    super.setUp();
    uint256 n = ATTESTATIONS * 3;
    bytes[] memory vaas = new bytes[](n);
    bytes32[] memory hashes = new bytes32[](n);
    uint256[] memory attestationOf = new uint256[](n);
    for (uint256 a; a < ATTESTATIONS; ++a) {
      bytes memory body = encodeBody(subscriptionBody(uint64(a + 1), uint64(a)));
      bytes memory later = encodeBody(subscriptionBody(uint64(a + 1), uint64(a + 100)));
      (vaas[3 * a], hashes[3 * a]) = (quorumVaa(body), vaaDigest(body));
      (vaas[3 * a + 1], hashes[3 * a + 1]) = (signVaa(FIRST_SET_INDEX, guardianKeys, indices(5), body), vaaDigest(body));
      (vaas[3 * a + 2], hashes[3 * a + 2]) = (quorumVaa(later), vaaDigest(later));
      (attestationOf[3 * a], attestationOf[3 * a + 1], attestationOf[3 * a + 2]) = (a, a, a);
    }
    handler = new WormholeReplayHandler(adapter, vaas, hashes, attestationOf);
    targetContract(address(handler));
  }

  function invariant_vaaHashAppliesAtMostOnce() public view {
    for (uint256 i; i < handler.poolSize(); ++i) {
      bytes32 h = handler.hashAt(i);
      uint256 applied = handler.ghostApplied(h);
      assertLe(applied, 1);
      assertEq(adapter.isVaaConsumed(h), applied == 1);
    }
  }

  function invariant_attestationAppliesAtMostOnce() public view {
    for (uint256 a; a < ATTESTATIONS; ++a) {
      assertLe(handler.ghostAttestationApplied(a), 1);
    }
    uint256 applied;
    for (uint256 a; a < ATTESTATIONS; ++a) {
      applied += handler.ghostAttestationApplied(a);
    }
    assertEq(holdings.balanceOf(alice), applied * 1_000e6);
  }
}
