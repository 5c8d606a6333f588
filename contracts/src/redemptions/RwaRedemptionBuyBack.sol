// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {BuyBackCodec} from "../libraries/BuyBackCodec.sol";
import {LiquidityFloor} from "../libraries/LiquidityFloor.sol";
import {RwaRedemptionsState} from "./RwaRedemptionsState.sol";

/// @dev The DID's heartbeat on this chain: its NAV feed's (set by the DID's config, kind 3).
interface IRwaHeartbeatFeed {
  function s_heartbeat() external view returns (uint32);
}

interface IRwaReceiverFeeds {
  function navFeedOf(bytes32 did) external view returns (IRwaHeartbeatFeed);
}

/// @notice The buy-back pool's proof of reserve and the attested LCR (kind 17) on every chain: the latest report per
/// DID (by asOf; an older one arriving late is superseded, never applied), its views, and the liquidity floor the
/// issuer set with it: the least stage redemptions run at here, whatever stage the hub's pressure set (kind 8).
/// Every chain applies the same reports with the same rule (LiquidityFloor), so every chain shows the same floor; the
/// staleness alone reads the chain's clock.
abstract contract RwaRedemptionBuyBack is RwaRedemptionsState {
  event BuyBackReportApplied(
    bytes32 indexed did,
    uint64 indexed nonce,
    uint64 asOf,
    uint256 poolCash,
    uint256 assetPoolValue,
    uint256 openRequests,
    uint32 lcrBps
  );
  /// @notice A report not later than the latest arrived: consumed, nothing changed.
  event BuyBackReportSuperseded(bytes32 indexed did, uint64 indexed nonce, uint64 asOf, uint64 latestAsOf);

  /// @notice The buy-back pool of `did` as every chain sees it, read in one call.
  struct BuyBackView {
    BuyBackCodec.Report report;
    /// @dev poolCash / assetPoolValue in bps (10000 when the asset pool is empty).
    uint256 shareBps;
    /// @dev poolCash / openRequests in bps; 0xFFFFFFFF when no request is open.
    uint32 coverageBps;
    /// @dev Seconds since asOf (0 for a report dated after this block).
    uint256 age;
    bool stale;
    uint8 floorStage;
    uint8 floorReason;
  }

  function _applyBuyBack(AttestationCodec.Header memory h, bytes calldata message) internal {
    BuyBackCodec.Report memory r = BuyBackCodec.decode(message, h.nonce);
    BuyBackCodec.Report storage latest = s_buyBack[h.did];
    uint64 latestAsOf = latest.asOf;
    if (r.asOf <= latestAsOf) {
      emit BuyBackReportSuperseded(h.did, h.nonce, r.asOf, latestAsOf);
      return;
    }
    s_buyBack[h.did] = r;
    emit BuyBackReportApplied(h.did, h.nonce, r.asOf, r.poolCash, r.assetPoolValue, r.openRequests, r.lcrBps);
  }

  function _heartbeat(bytes32 did) internal view returns (uint256) {
    IRwaHeartbeatFeed feed = IRwaReceiverFeeds(i_receiver).navFeedOf(did);
    return address(feed) == address(0) ? 0 : feed.s_heartbeat();
  }

  /// @dev Stale: no report, or older than the DID's heartbeat (the NAV feed's rule: age > heartbeat).
  function _buyBackAge(bytes32 did, uint64 asOf) internal view returns (uint256 age, bool stale) {
    age = block.timestamp > asOf ? block.timestamp - asOf : 0;
    stale = asOf == 0 || age > _heartbeat(did);
  }

  /// @dev The floor and, for stage B, when it began (instalments count from the later of this and the request).
  function _floor(bytes32 did) internal view returns (uint8 stage, uint8 reason, uint64 since) {
    // One slot read when no report was ever applied (the common case of a DID without a buy-back pool).
    if (s_buyBack[did].asOf == 0) return (LiquidityFloor.STAGE_A, LiquidityFloor.REASON_NONE, 0);
    BuyBackCodec.Report memory r = s_buyBack[did];
    (, bool stale) = _buyBackAge(did, r.asOf);
    (stage, reason) = LiquidityFloor.stageFor(r, stale);
    since = reason == LiquidityFloor.REASON_STALE ? uint64(uint256(r.asOf) + _heartbeat(did)) : r.asOf;
  }

  /// @notice The latest buy-back report of `did` on this chain (asOf 0: none), with its share, coverage, age and floor.
  function buyBackOf(bytes32 did) external view returns (BuyBackView memory v) {
    BuyBackCodec.Report memory r = s_buyBack[did];
    v.report = r;
    v.shareBps = LiquidityFloor.shareBps(r.poolCash, r.assetPoolValue);
    v.coverageBps = LiquidityFloor.coverageBps(r.poolCash, r.openRequests);
    (v.age, v.stale) = _buyBackAge(did, r.asOf);
    (v.floorStage, v.floorReason,) = _floor(did);
  }

  /// @notice The attested LCR in bps (0xFFFFFFFF unbounded) and its asOf; asOf 0: no report yet.
  function lcrOf(bytes32 did) external view returns (uint32 lcrBps, uint64 asOf) {
    BuyBackCodec.Report storage r = s_buyBack[did];
    return (r.lcrBps, r.asOf);
  }
}
