// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaWormholeReceiver} from "../../../src/wormhole/RwaWormholeReceiver.sol";

/// @notice Delivers VAAs from a fixed pool, in any order and any number of times. Each attestation exists as two VAAs
/// of the same body (two guardian quorums: different bytes, one VAA hash) and as a third VAA with another sequence
/// (another hash, same attestation). Ghosts count successful deliveries per VAA hash and per attestation.
contract WormholeReplayHandler is CommonBase, StdUtils {
  RwaWormholeReceiver public immutable adapter;
  bytes[] internal s_vaas;
  bytes32[] internal s_hashes;
  uint256[] internal s_attestationOf;

  mapping(bytes32 vaaHash => uint256 count) public ghostApplied;
  mapping(uint256 attestation => uint256 count) public ghostAttestationApplied;
  uint256 public ghostCalls;

  constructor(RwaWormholeReceiver adapter_, bytes[] memory vaas, bytes32[] memory hashes, uint256[] memory attestationOf) {
    adapter = adapter_;
    for (uint256 i; i < vaas.length; ++i) {
      s_vaas.push(vaas[i]);
      s_hashes.push(hashes[i]);
      s_attestationOf.push(attestationOf[i]);
    }
  }

  function deliver(uint256 seed) external {
    uint256 i = bound(seed, 0, s_vaas.length - 1);
    ++ghostCalls;
    try adapter.receiveVaa(s_vaas[i]) {
      ++ghostApplied[s_hashes[i]];
      ++ghostAttestationApplied[s_attestationOf[i]];
    } catch {
      // Refusals are expected here (replays); the invariants check what was applied.
    }
  }

  function poolSize() external view returns (uint256) {
    return s_vaas.length;
  }

  function hashAt(uint256 i) external view returns (bytes32) {
    return s_hashes[i];
  }

  function attestationAt(uint256 i) external view returns (uint256) {
    return s_attestationOf[i];
  }
}
