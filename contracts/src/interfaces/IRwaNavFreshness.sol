// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice What a reader of a low-frequency NAV needs besides the number, in one call: when the NAV was struck, when
/// it arrived, when the next one is due, and whether to use it at all. RwaNavFeed implements it (docs/feeds.md).
interface IRwaNavFreshness {
  /// @dev Times in unix seconds; all zero (and `stale`, so `doNotUse`) before the first NAV.
  /// @param roundId the latest round (0: none yet); `answer` its NAV in `decimals()` units.
  /// @param asOf when the administrator struck the latest NAV (the feed's `updatedAt` / `getTimestamp`).
  /// @param updatedAt when the latest NAV was applied on this chain (its block time).
  /// @param nextDueBy asOf + the DID's heartbeat: the next NAV is due by then.
  /// @param paused the DID's asset is paused on this chain (no transfer, mint or burn).
  /// @param stageC redemptions are halted on this chain: stage C, or the issuer's emergency policy in force here.
  /// @param stale block.timestamp > nextDueBy (or no NAV yet).
  /// @param doNotUse paused || stageC || stale.
  struct Freshness {
    uint80 roundId;
    int256 answer;
    uint256 asOf;
    uint256 updatedAt;
    uint256 nextDueBy;
    bool paused;
    bool stageC;
    bool stale;
    bool doNotUse;
  }

  function freshness() external view returns (Freshness memory);
}
