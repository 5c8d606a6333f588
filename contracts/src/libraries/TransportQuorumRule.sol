// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice A DID's transport quorum on one chain: "apply when `k` of the transports in `transports` delivered the
/// same message". The issuer sets it in the hub registry, the committee carries it to that chain (AttestationCodec
/// kind 12), and both sides accept exactly the same values.
library TransportQuorumRule {
  /// @dev Transport bits, the same in Solidity, TypeScript and the docs.
  uint8 internal constant CCTP = 1; // direct delivery: RwaReceiver.receiveMessage called by any unbound address
  uint8 internal constant CCIP = 2; // the chain's RwaCcipReceiver adapter
  uint8 internal constant WORMHOLE = 4; // the chain's RwaWormholeReceiver adapter
  uint8 internal constant ALL = 7;

  /// @dev 0/0 is "ungated" (any single delivery applies). Otherwise a non-empty subset of the three transports and
  /// 1 <= k <= its size, so the rule can always be met by honest deliveries.
  function isValid(uint8 k, uint8 transports) internal pure returns (bool) {
    if (transports & ~ALL != 0) return false;
    if (transports == 0) return k == 0;
    return k != 0 && k <= popcount(transports);
  }

  /// @dev Number of set bits among the three transport bits.
  function popcount(uint8 bits) internal pure returns (uint8) {
    return (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1);
  }
}
