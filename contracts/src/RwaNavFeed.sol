// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AggregatorV2V3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV2V3Interface.sol";
import {IRwaNavFreshness} from "./interfaces/IRwaNavFreshness.sol";
import {
  IRwaHoldingsPauseView, IRwaReceiverHoldingsView, IRwaRedemptionsStageView
} from "./interfaces/IRwaFreshnessSources.sol";

/// @notice NAV of one RWA DID on one chain, readable as any Chainlink feed: AggregatorV2V3Interface (the V2 calls that
/// older lending oracles make, such as `latestAnswer`, and V3's `latestRoundData`), plus `freshness()`.
/// Rules (enforced here, checked again by the oracle before it signs):
/// - rounds start at 1 and increase by one per applied NAV; an as-of time older than or equal to the latest is
///   rejected (StaleAsOf), so a late message can never overwrite a newer NAV;
/// - a move larger than `s_maxMoveBps` of the previous NAV is rejected (NavMoveTooLarge), never applied silently;
/// - `startedAt` and `updatedAt` (V3) and `getTimestamp` / `latestTimestamp` (V2) are the NAV's as-of time (when the
///   administrator struck it), so a reader's usual `block.timestamp - updatedAt > heartbeat` check measures the age of
///   the NAV itself; `isStale()` does it here. The time it arrived on this chain is `freshness().updatedAt`.
/// - unknown rounds, as Chainlink documents them: V3 `getRoundData` reverts (NoDataPresent, Chainlink's "No data
///   present"); V2 `getAnswer` / `getTimestamp` return 0, and `latestAnswer` / `latestTimestamp` return 0 before the
///   first NAV.
/// The receiver given at creation is the chain's RwaReceiver: `freshness()` reads the DID's pause and redemption
/// stage through it (RwaHoldings and RwaRedemptions of the DID on this chain), so it stays one call for a reader.
contract RwaNavFeed is AggregatorV2V3Interface, IRwaNavFreshness {
  error OnlyReceiver(address caller);
  error StaleAsOf(uint64 asOf, uint64 latestAsOf);
  error NavMoveTooLarge(uint256 previous, uint256 next, uint16 maxMoveBps);
  error InvalidNav(uint256 nav);
  error NoDataPresent(uint80 roundId);

  /// @dev With AggregatorInterface's AnswerUpdated and NewRound, emitted on every applied NAV.
  event NavUpdated(uint80 indexed roundId, uint256 nav, uint64 asOf, uint64 appliedAt);
  event ParamsSet(uint32 heartbeat, uint16 maxMoveBps);

  struct Round {
    uint192 nav;
    uint64 asOf;
  }

  uint256 public constant override version = 1;
  uint16 internal constant BPS = 10_000;
  /// @dev RwaRedemptions.STAGE_C: redemptions halted.
  uint8 internal constant STAGE_C = 3;

  address public immutable i_receiver;
  bytes32 public immutable i_did;
  uint8 private immutable i_decimals;
  /// @dev Set at creation and by verified DID config updates, through the receiver.
  uint32 public s_heartbeat;
  uint16 public s_maxMoveBps;

  string private s_description;
  uint80 private s_latestRound;
  /// @dev Block time at which the latest round was applied here; shares s_latestRound's slot.
  uint64 private s_latestAppliedAt;
  mapping(uint80 roundId => Round) private s_rounds;

  /// @param receiver_ the RwaReceiver whose verified NAV attestations update this feed.
  constructor(bytes32 did, string memory description_, uint8 decimals_, uint32 heartbeat, uint16 maxMoveBps, address receiver_) {
    i_receiver = receiver_;
    i_did = did;
    s_description = description_;
    i_decimals = decimals_;
    s_heartbeat = heartbeat;
    s_maxMoveBps = maxMoveBps;
  }

  function setParams(uint32 heartbeat, uint16 maxMoveBps) external {
    if (msg.sender != i_receiver) revert OnlyReceiver(msg.sender);
    s_heartbeat = heartbeat;
    s_maxMoveBps = maxMoveBps;
    emit ParamsSet(heartbeat, maxMoveBps);
  }

  function update(uint256 nav, uint64 asOf) external returns (uint80 roundId) {
    if (msg.sender != i_receiver) revert OnlyReceiver(msg.sender);
    if (nav == 0 || nav > type(uint192).max) revert InvalidNav(nav);
    uint80 latest = s_latestRound;
    if (latest != 0) {
      Round memory prev = s_rounds[latest];
      if (asOf <= prev.asOf) revert StaleAsOf(asOf, prev.asOf);
      uint256 diff = nav > prev.nav ? nav - prev.nav : prev.nav - nav;
      uint16 maxMoveBps = s_maxMoveBps;
      if (diff * BPS > uint256(prev.nav) * maxMoveBps) revert NavMoveTooLarge(prev.nav, nav, maxMoveBps);
    } else if (asOf == 0) {
      // A round with asOf 0 would be stored yet read back as missing (NoDataPresent) and count as stale.
      revert StaleAsOf(asOf, 0);
    }
    roundId = latest + 1;
    (s_latestRound, s_latestAppliedAt) = (roundId, uint64(block.timestamp));
    s_rounds[roundId] = Round({nav: uint192(nav), asOf: asOf});
    emit NavUpdated(roundId, nav, asOf, uint64(block.timestamp));
    // Chainlink's V2 events; a round starts and is answered at once, at the NAV's as-of time, started by the receiver.
    emit NewRound(roundId, msg.sender, asOf);
    emit AnswerUpdated(int256(nav), roundId, asOf);
  }

  // ------------------------------------------------------------------------------------------------------------
  // AggregatorV3Interface
  // ------------------------------------------------------------------------------------------------------------

  function decimals() external view override returns (uint8) {
    return i_decimals;
  }

  function description() external view override returns (string memory) {
    return s_description;
  }

  function getRoundData(uint80 roundId) public view override returns (uint80, int256, uint256, uint256, uint80) {
    Round memory r = s_rounds[roundId];
    if (r.asOf == 0) revert NoDataPresent(roundId);
    return (roundId, int256(uint256(r.nav)), r.asOf, r.asOf, roundId);
  }

  function latestRoundData() external view override returns (uint80, int256, uint256, uint256, uint80) {
    return getRoundData(s_latestRound);
  }

  // ------------------------------------------------------------------------------------------------------------
  // AggregatorInterface (V2): unknown rounds read as 0, never revert
  // ------------------------------------------------------------------------------------------------------------

  function latestAnswer() external view override returns (int256) {
    return int256(uint256(s_rounds[s_latestRound].nav));
  }

  function latestTimestamp() external view override returns (uint256) {
    return s_rounds[s_latestRound].asOf;
  }

  function latestRound() external view override returns (uint256) {
    return s_latestRound;
  }

  function getAnswer(uint256 roundId) external view override returns (int256) {
    if (roundId > type(uint80).max) return 0;
    return int256(uint256(s_rounds[uint80(roundId)].nav));
  }

  function getTimestamp(uint256 roundId) external view override returns (uint256) {
    if (roundId > type(uint80).max) return 0;
    return s_rounds[uint80(roundId)].asOf;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Freshness
  // ------------------------------------------------------------------------------------------------------------

  /// @notice True when no NAV was ever applied or the latest is older than the DID's heartbeat.
  function isStale() public view returns (bool) {
    uint64 asOf = s_rounds[s_latestRound].asOf;
    return asOf == 0 || block.timestamp > uint256(asOf) + s_heartbeat;
  }

  /// @inheritdoc IRwaNavFreshness
  function freshness() external view override returns (Freshness memory f) {
    uint80 roundId = s_latestRound;
    Round memory r = s_rounds[roundId];
    f.roundId = roundId;
    f.answer = int256(uint256(r.nav));
    if (roundId != 0) {
      f.asOf = r.asOf;
      f.updatedAt = s_latestAppliedAt;
      f.nextDueBy = uint256(r.asOf) + s_heartbeat;
    }
    (,, address holdings) = IRwaReceiverHoldingsView(i_receiver).didState(i_did);
    f.paused = IRwaHoldingsPauseView(holdings).paused();
    IRwaRedemptionsStageView redemptions = IRwaRedemptionsStageView(IRwaHoldingsPauseView(holdings).i_redemptions());
    // As RwaRedemptions halts fulfilments: stage C, or the issuer's emergency flag before the hub's stage C arrives.
    f.stageC = redemptions.stageOf(i_did).stage == STAGE_C || redemptions.policyOf(i_did).emergency;
    f.stale = isStale();
    f.doNotUse = f.paused || f.stageC || f.stale;
  }
}
