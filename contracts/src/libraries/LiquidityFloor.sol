// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {BuyBackCodec} from "./BuyBackCodec.sol";

/// @notice The issuer's liquidity floor: the least redemption stage the latest buy-back report calls for. The same
/// rule as liquidity/bands.ts (`stageForLiquidity`), in the same order:
///   LCR below stageCBelowBps -> C; else LCR below stageBBelowBps -> B; else stale (and staleFloor) -> B;
///   else poolCash below minShareBps of the asset pool -> B; else A. An unbounded LCR is never below a band.
/// A band of 0 never applies. No report: no floor (A).
library LiquidityFloor {
  uint8 internal constant STAGE_A = 1;
  uint8 internal constant STAGE_B = 2;
  uint8 internal constant STAGE_C = 3;
  uint8 internal constant REASON_NONE = 0;
  uint8 internal constant REASON_LCR = 1;
  uint8 internal constant REASON_STALE = 2;
  uint8 internal constant REASON_SHORT = 3;
  uint16 internal constant MAX_BPS = 10_000;

  /// @dev The issuer's settings in the hub registry: the floor travels in kind 17, the stress rate and horizon are
  /// the oracle's inputs to the LCR.
  struct Bands {
    uint16 minShareBps;
    uint16 stageBBelowBps;
    uint16 stageCBelowBps;
    bool staleFloor;
    uint16 stressRateBps;
    uint16 horizonDays;
  }

  function isValid(Bands memory b) internal pure returns (bool) {
    return b.minShareBps <= MAX_BPS && b.stressRateBps <= MAX_BPS && b.stageCBelowBps <= b.stageBBelowBps
      && b.horizonDays <= 3650;
  }

  /// @dev poolCash as a share of the asset pool in bps, rounded down; an empty asset pool: 10000 (nothing to cover).
  function shareBps(uint256 poolCash, uint256 assetPoolValue) internal pure returns (uint256) {
    if (assetPoolValue == 0) return MAX_BPS;
    return poolCash * MAX_BPS / assetPoolValue;
  }

  /// @dev poolCash over the open requests in bps, rounded down, at most 0xFFFFFFFE; no open request: unbounded.
  function coverageBps(uint256 poolCash, uint256 openRequests) internal pure returns (uint32) {
    if (openRequests == 0) return BuyBackCodec.LCR_UNBOUNDED;
    uint256 c = poolCash * MAX_BPS / openRequests;
    return c >= BuyBackCodec.LCR_UNBOUNDED ? BuyBackCodec.LCR_UNBOUNDED - 1 : uint32(c);
  }

  function stageFor(BuyBackCodec.Report memory r, bool stale) internal pure returns (uint8 stage, uint8 reason) {
    if (r.asOf == 0) return (STAGE_A, REASON_NONE);
    uint32 lcr = r.lcrBps;
    if (lcr != BuyBackCodec.LCR_UNBOUNDED && lcr < r.stageCBelowBps) return (STAGE_C, REASON_LCR);
    if (lcr != BuyBackCodec.LCR_UNBOUNDED && lcr < r.stageBBelowBps) return (STAGE_B, REASON_LCR);
    if (stale && r.staleFloor) return (STAGE_B, REASON_STALE);
    // poolCash * 10000 < minShare * assetPoolValue, as bands.ts, without rounding the share.
    if (uint256(r.poolCash) * MAX_BPS < uint256(r.minShareBps) * r.assetPoolValue) return (STAGE_B, REASON_SHORT);
    return (STAGE_A, REASON_NONE);
  }
}
