// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Builds kind 17 (buy-back report) byte by byte from the table in BuyBackCodec.sol, without importing the
/// codec, so a layout slip on either side shows.
abstract contract BuyBackAttestations {
  uint8 internal constant KIND_BUYBACK = 17;
  uint32 internal constant UNBOUNDED = type(uint32).max;

  struct BuyBackAtt {
    bytes32 did;
    uint64 nonce;
    uint64 asOf;
    uint128 poolCash;
    uint128 assetPoolValue;
    uint128 openRequests;
    uint128 liquidAssets;
    uint128 outflows;
    uint32 lcrBps;
    uint16 minShareBps;
    uint16 stageBBelowBps;
    uint16 stageCBelowBps;
    uint8 staleFloor;
  }

  function encodeBuyBack(BuyBackAtt memory a) internal pure returns (bytes memory) {
    bytes memory head = abi.encodePacked(uint8(1), KIND_BUYBACK, a.did, a.nonce, a.asOf, a.poolCash, a.assetPoolValue);
    return abi.encodePacked(
      head,
      a.openRequests,
      a.liquidAssets,
      a.outflows,
      a.lcrBps,
      a.minShareBps,
      a.stageBBelowBps,
      a.stageCBelowBps,
      a.staleFloor
    );
  }

  /// @dev A pool of 2% of 100M, 1M open, LCR 123%, floor: B below 100%, C below 70%, B under 1% or stale.
  function typicalBuyBack(bytes32 did, uint64 nonce, uint64 asOf) internal pure returns (BuyBackAtt memory) {
    return BuyBackAtt({
      did: did,
      nonce: nonce,
      asOf: asOf,
      poolCash: 2_000_000e6,
      assetPoolValue: 100_000_000e6,
      openRequests: 1_000_000e6,
      liquidAssets: 36_900_000e6,
      outflows: 30_000_000e6,
      lcrBps: 12_300,
      minShareBps: 100,
      stageBBelowBps: 10_000,
      stageCBelowBps: 7_000,
      staleFloor: 1
    });
  }
}
