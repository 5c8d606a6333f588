// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaHoldings} from "../../../src/RwaHoldings.sol";
import {RwaNavFeed} from "../../../src/RwaNavFeed.sol";
import {RwaRedemptions} from "../../../src/RwaRedemptions.sol";
import {RedemptionAttestations} from "../../helpers/RedemptionAttestations.sol";

/// @notice Plays the chain's RwaReceiver for one DID's feed, token and redemptions module (all three real, all
/// created here, so this contract is the receiver each of them answers to): NAV updates (within and beyond the move
/// limit, with as-of times forward, equal and backward), config changes (heartbeat, move limit), pauses, hub stages,
/// emergency policies, and time. Ghosts keep the model of what must be in force.
contract NavFeedHandler is CommonBase, StdUtils, RedemptionAttestations {
  bytes32 public constant DID = keccak256("did:rwa:acme:ust-bill-2026");
  uint256 internal constant START_NAV = 100_00000000;

  RwaNavFeed public immutable feed;
  RwaHoldings public immutable holdings;
  RwaRedemptions public immutable redemptions;

  // ---- ghosts ----
  uint80 public ghostRounds;
  uint256 public ghostNav;
  uint64 public ghostAsOf;
  uint32 public ghostHeartbeat = 1 days;
  uint16 internal s_maxMoveBps = 500;
  bool public ghostPaused;
  uint8 public ghostStage = STAGE_A;
  bool public ghostEmergency;
  /// @dev Updates whose returned round id was not the previous latest + 1, or that applied when the model refused.
  uint256 public ghostRoundIdViolations;
  uint256 public ghostRefused;
  uint64 internal s_nonce = 1;
  uint64 internal s_stageSeq;

  constructor() {
    redemptions = new RwaRedemptions();
    holdings = new RwaHoldings(DID, "aUSTB", "aUSTB", 6, address(this), address(redemptions));
    feed = new RwaNavFeed(DID, "aUSTB / NAV", 8, ghostHeartbeat, s_maxMoveBps, address(this));
  }

  /// @dev The one receiver view the feed and the module read.
  function didState(bytes32 did) external view returns (uint8, uint32, RwaHoldings) {
    return (0, 0, did == DID ? holdings : RwaHoldings(address(0)));
  }

  /// @dev The chain is never cursed here (the curse has its own campaign, CurseInvariants).
  function cursed() external pure returns (bool) {
    return false;
  }

  /// @param moveBps signed move from the latest NAV, up to twice the limit either way; asOfStep 0 repeats the latest
  /// as-of, a step above 2 days goes back in time by the excess instead.
  function update(int256 moveBps, uint64 asOfStep) external {
    uint256 limit = s_maxMoveBps;
    moveBps = bound(moveBps, -int256(2 * limit), int256(2 * limit));
    uint256 prev = ghostNav == 0 ? START_NAV : ghostNav;
    uint256 move = prev * uint256(moveBps < 0 ? -moveBps : moveBps) / 10_000;
    uint256 nav = moveBps < 0 ? prev - move : prev + move;
    asOfStep = uint64(bound(asOfStep, 0, 3 days));
    uint64 asOf;
    if (ghostRounds == 0) asOf = uint64(block.timestamp) - asOfStep; // the first NAV, struck up to 3 days ago
    else if (asOfStep > 2 days) asOf = ghostAsOf - (asOfStep - 2 days);
    else asOf = ghostAsOf + asOfStep;

    bool admissible = nav != 0 && (ghostRounds == 0 || (asOf > ghostAsOf && move * 10_000 <= prev * limit));
    uint80 before = uint80(feed.latestRound());
    try feed.update(nav, asOf) returns (uint80 roundId) {
      if (!admissible || roundId != before + 1) ++ghostRoundIdViolations;
      (ghostRounds, ghostNav, ghostAsOf) = (roundId, nav, asOf);
    } catch {
      if (admissible) ++ghostRoundIdViolations;
      ++ghostRefused;
    }
  }

  function setParams(uint32 heartbeat, uint16 maxMoveBps) external {
    heartbeat = uint32(bound(heartbeat, 1 hours, 30 days));
    maxMoveBps = uint16(bound(maxMoveBps, 0, 2_000));
    feed.setParams(heartbeat, maxMoveBps);
    (ghostHeartbeat, s_maxMoveBps) = (heartbeat, maxMoveBps);
  }

  function pause(bool paused) external {
    holdings.setPaused(paused);
    ghostPaused = paused;
  }

  function stage(uint8 next) external {
    next = uint8(bound(next, STAGE_A, STAGE_C));
    StageAtt memory a = StageAtt({
      did: DID,
      nonce: s_nonce++,
      stage: next,
      stageSeq: ++s_stageSeq,
      since: uint64(block.timestamp),
      reason: next == STAGE_A ? REASON_NONE : REASON_THRESHOLD,
      dayRequested: 0,
      poolSupply: 1
    });
    redemptions.applyAttestation(encodeStage(a));
    ghostStage = next;
  }

  function policy(bool emergency) external {
    PolicyAtt memory p = PolicyAtt({
      did: DID, nonce: s_nonce++, stageBBps: 100, stageCBps: 300, instalments: 7, windowSeconds: 7 days, emergency: emergency
    });
    redemptions.applyAttestation(encodePolicy(p));
    ghostEmergency = emergency;
  }

  function warp(uint32 seconds_) external {
    vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
  }
}
