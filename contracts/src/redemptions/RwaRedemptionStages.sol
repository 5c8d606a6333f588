// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {RedemptionCodec} from "../libraries/RedemptionCodec.sol";
import {RedemptionPolicy} from "../libraries/RedemptionPolicy.sol";
import {RwaRedemptions} from "../RwaRedemptions.sol";
import {RwaRedemptionBuyBack} from "./RwaRedemptionBuyBack.sol";

/// @notice The redemption gate: request reports (kind 7) and the issuer's policy (kind 9) set the stage on the hub,
/// the hub's stage (kind 8) on every other chain; the stage and policy decide what may be fulfilled now.
abstract contract RwaRedemptionStages is RwaRedemptionBuyBack {
  function _applyReport(AttestationCodec.Header memory h, RedemptionCodec.RedemptionRequest memory r) internal {
    if (r.amount == 0) revert RwaRedemptions.InvalidAmount(r.amount);
    bytes32 did = h.did;
    mapping(uint256 => uint256) storage words = s_reported[did][r.chainId];
    uint256 bit = 1 << (r.requestId & 0xff);
    uint256 bits = words[r.requestId >> 8];
    if (bits & bit != 0) revert RwaRedemptions.RequestAlreadyReported(r.chainId, r.requestId);
    words[r.requestId >> 8] = bits | bit;
    // The hour of arrival, not of the request: a late report still counts, and counts now.
    s_hourAccepted[did][uint64(block.timestamp / 1 hours)] += r.amount;
    s_poolSupply[did] = r.poolSupply;
    ++s_reports[did];
    emit RwaRedemptions.RedemptionReported(did, h.nonce, r.chainId, r.requestId, r.owner, r.amount, r.requestedAt, r.poolSupply);
    _recomputeStage(did);
  }

  function _applyStage(bytes32 did, RedemptionCodec.RedemptionStage memory s) internal {
    if (s.stage < STAGE_A || s.stage > STAGE_C || s.reason > REASON_EMERGENCY) revert RwaRedemptions.InvalidStage(s.stage, s.reason);
    RwaRedemptions.Stage storage st = s_stages[did];
    uint64 current = st.stageSeq;
    if (s.stageSeq <= current) revert RwaRedemptions.StageNotNewer(s.stageSeq, current);
    _setStage(did, st, s.stage, s.stageSeq, s.since, s.reason, s.dayRequested, s.poolSupply);
  }

  function _applyPolicy(AttestationCodec.Header memory h, bytes calldata message) internal {
    RedemptionPolicy.Policy memory p;
    (p.stageBBps, p.stageCBps, p.instalments, p.windowSeconds, p.emergency) =
      RedemptionCodec.decodeRedemptionPolicy(message);
    if (!RedemptionPolicy.isValid(p)) revert RwaRedemptions.InvalidPolicy(p.stageBBps, p.stageCBps, p.instalments, p.windowSeconds);
    s_policies[h.did] = p;
    emit RwaRedemptions.RedemptionPolicyApplied(h.did, h.nonce, p.stageBBps, p.stageCBps, p.instalments, p.windowSeconds, p.emergency);
    // Only the chain that aggregates sets stages itself; the others wait for the hub's (kind 8).
    if (s_reports[h.did] != 0) _recomputeStage(h.did);
  }

  // ------------------------------------------------------------------------------------------------------------
  // RwaRedemptions.Stage rule (hub) and allowance rule (every chain)
  // ------------------------------------------------------------------------------------------------------------

  /// @dev Emergency -> C; no pool -> C; accepted units in the pressure window as a share of the pool above
  /// stageCBps -> C, above stageBBps -> B, else A. A stage raised by pressure holds for the policy window from its start (so a stage B's instalments
  /// run their course and a stage C gate lasts that long) before it may fall; a lifted emergency falls at once, and a
  /// higher stage always applies at once. A new stageSeq only when the stage or its reason changes.
  function _recomputeStage(bytes32 did) internal {
    RedemptionPolicy.Policy memory p = _policy(did);
    uint256 day = _pressure(did);
    uint256 pool = s_poolSupply[did];
    uint8 stage = STAGE_A;
    uint8 reason = REASON_NONE;
    if (p.emergency) {
      (stage, reason) = (STAGE_C, REASON_EMERGENCY);
    } else {
      // More than the whole pool requested is over any threshold (and mulDiv's result would not fit otherwise).
      uint256 bps = pool == 0 || day > pool ? type(uint256).max : Math.mulDiv(day, RedemptionPolicy.MAX_BPS, pool);
      if (bps > p.stageCBps) (stage, reason) = (STAGE_C, REASON_THRESHOLD);
      else if (bps > p.stageBBps) (stage, reason) = (STAGE_B, REASON_THRESHOLD);
    }
    RwaRedemptions.Stage storage st = s_stages[did];
    uint8 current = _stageValue(st.stage);
    if (stage == current && reason == st.reason) return;
    if (stage < current && st.reason == REASON_THRESHOLD && block.timestamp < uint256(st.since) + p.windowSeconds) return;
    _setStage(did, st, stage, st.stageSeq + 1, uint64(block.timestamp), reason, day, pool);
  }

  /// @dev Accepted units whose reports arrived in the current hour or the PRESSURE_HOURS before it.
  function _pressure(bytes32 did) internal view returns (uint256 sum) {
    mapping(uint64 => uint256) storage hours_ = s_hourAccepted[did];
    uint64 nowHour = uint64(block.timestamp / 1 hours);
    uint64 first = nowHour > PRESSURE_HOURS ? nowHour - PRESSURE_HOURS : 0;
    for (uint64 hr = first; hr <= nowHour; ++hr) {
      sum += hours_[hr];
    }
  }

  function _setStage(
    bytes32 did,
    RwaRedemptions.Stage storage st,
    uint8 stage,
    uint64 stageSeq,
    uint64 since,
    uint8 reason,
    uint256 dayRequested,
    uint256 poolSupply
  ) internal {
    st.stage = stage;
    st.stageSeq = stageSeq;
    st.since = since;
    st.reason = reason;
    st.dayRequested = dayRequested;
    st.poolSupply = poolSupply;
    emit RwaRedemptions.RedemptionStageChanged(did, stageSeq, stage, since, reason, dayRequested, poolSupply);
  }

  /// @dev RwaRedemptions.Stage C, or the issuer's emergency flag as soon as this chain has the policy (before the hub's stage C
  /// arrives), stops every fulfilment.
  /// The liquidity floor (kind 17) at C halts as well, with reason REASON_LIQUIDITY.
  function _halted(bytes32 did) internal view returns (bool, uint8) {
    if (s_policies[did].emergency) return (true, REASON_EMERGENCY);
    RwaRedemptions.Stage storage st = s_stages[did];
    if (st.stage == STAGE_C) return (true, st.reason);
    (uint8 floor,,) = _floor(did);
    if (floor == STAGE_C) return (true, REASON_LIQUIDITY);
    return (false, REASON_NONE);
  }

  /// @dev The stage fulfilments run at: the higher of the hub's stage and the liquidity floor, and when it began.
  function _effectiveStage(bytes32 did) internal view returns (uint8 stage, uint64 since) {
    RwaRedemptions.Stage storage st = s_stages[did];
    stage = _stageValue(st.stage);
    since = st.since;
    (uint8 floor,, uint64 floorSince) = _floor(did);
    if (floor > stage) (stage, since) = (floor, floorSince);
  }

  /// @dev What may be fulfilled now, at the effective stage (the hub's stage raised to the liquidity floor): nothing before the custodian accepted; stage A the remainder; stage C nothing; stage B instalment k of N, where
  /// k = min(N, 1 + elapsed / (window / N)) and elapsed counts from the later of the request and the stage start;
  /// cumulative = amount * k / N (pro rata, rounding down; the last instalment is the whole amount).
  function _allowance(bytes32 did, RwaRedemptions.Request memory r) internal view returns (uint256) {
    if (r.owner == address(0) || r.cancelled || !r.accepted) return 0;
    (bool halted,) = _halted(did);
    if (halted) return 0;
    uint256 remaining = r.amount - r.fulfilled;
    (uint8 stage, uint64 since) = _effectiveStage(did);
    if (stage != STAGE_B) return remaining;
    RedemptionPolicy.Policy memory p = _policy(did);
    uint256 start = Math.max(r.requestedAt, since);
    uint256 elapsed = block.timestamp > start ? block.timestamp - start : 0;
    uint256 k = Math.min(p.instalments, 1 + elapsed / (p.windowSeconds / p.instalments));
    uint256 cumulative = uint256(r.amount) * k / p.instalments;
    return cumulative > r.fulfilled ? cumulative - r.fulfilled : 0;
  }
}
