// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../../../src/RwaRedemptions.sol";
import {RedemptionAttestations} from "../../helpers/RedemptionAttestations.sol";
import {TwoChainHandler} from "./TwoChainHandler.sol";

/// @notice Redemptions on top of the two-chain campaign. Chain 0 (A) is the hub: it receives a report (kind 7) of
/// every request the custodian accepted (kind 13), on either chain, in the action that accepted it, and its stage
/// changes go to chain 1 (B) as kind 8 in the action that caused them, as the oracle's watchers would (finality
/// collapsed into one action). Holders request and cancel (often right away: the request / cancel loop of issue 17);
/// the custodian accepts, sometimes a request already cancelled or accepted; its fulfilments (kind 10) are drawn
/// within, and sometimes above, what the stage allows, and sometimes for a request not accepted yet; the issuer's policy (kind 9) goes to both chains, sometimes invalid, sometimes an emergency;
/// time moves forward up to two days at a step and the hub's stage is refreshed.
///
/// The handler keeps its own model of the hub's stage (ghost policy, day totals and pool) and counts, never
/// asserts, any difference; fulfilled amounts are mirrored per request.
contract TwoChainRedemptionHandler is TwoChainHandler, RedemptionAttestations {
  uint256 internal constant HUB = 0;

  struct RequestRef {
    uint256 chain;
    uint64 id;
  }

  RequestRef[] internal s_requests;
  /// @dev The campaign's clock: every redemption action runs at it (a warp is not assumed to outlive a call).
  uint256 internal s_now;

  // ---- ghosts: what verified redemption traffic did ----
  uint256 public ghost_fulfilledTotal;
  uint256[2] public ghost_fulfilledBurn;
  /// @dev Units in each chain's module: locked by requests, minus cancels and fulfilments.
  uint256[2] public ghost_locked;
  mapping(uint256 chain => mapping(uint64 id => uint256)) public ghost_requestFulfilled;
  /// @dev The hub's inputs, as the handler reported them: accepted units per hub hour of arrival.
  mapping(uint64 hour => uint256) public ghost_hourAccepted;
  uint256 public ghost_pool;
  uint256 public ghost_reports;
  uint16 public ghost_stageBBps = 100;
  uint32 public ghost_window = 7 days;
  uint64 internal s_hubSince;
  uint16 public ghost_stageCBps = 300;
  bool public ghost_emergency;
  uint64 public ghost_hubSeq;
  uint8 internal s_hubStage = STAGE_A;
  uint8 internal s_hubReason = REASON_NONE;

  // ---- ghosts: disagreements with the model (all must stay 0) ----
  /// @dev The hub's stage or reason is not the rule applied to its inputs, or its stageSeq moved without a change
  /// (or did not move on one).
  uint256 public ghost_stageRuleMismatch;

  constructor(Deployment memory d) TwoChainHandler(d) {
    s_now = block.timestamp;
  }

  modifier atNow() {
    vm.warp(s_now);
    _;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // holders
  // ---------------------------------------------------------------------------------------------------------------

  function requestRedeem(uint256 chainSeed, uint256 actorSeed, uint256 amount, uint256 nonceSeed)
    external
    atNow
    frozenWhilePaused
  {
    uint256 x = chainSeed % 2;
    address owner = _actor(actorSeed);
    uint256 balance = s_holdings[x].balanceOf(owner);
    if (balance == 0) return;
    // Mostly small requests, so the day's share of the pool often lands between the thresholds (stage B).
    uint256 scale = [uint256(2_000), 2_000, 500, 500, 100, 100, 20, 1][uint256(keccak256(abi.encode(amount))) % 8];
    amount = _bound(amount, 1, balance / scale == 0 ? 1 : balance / scale);
    bool admitted = !ghost_paused[x];
    vm.chainId(s_chainIds[x]);
    vm.prank(owner);
    try s_redemptions[x].requestRedeem(did, amount) returns (uint64 id) {
      if (!admitted) ++ghost_invalidApplied;
      ghost_balance[x][owner] -= amount;
      ghost_locked[x] += amount;
      s_requests.push(RequestRef({chain: x, id: id}));
      ++calls["requestRedeem.applied"];
      // One in four at once cancelled by its owner: the loop that used to hold every chain in stage C.
      if (nonceSeed % 4 == 0) _cancel(RequestRef({chain: x, id: id}), owner);
    } catch {
      if (admitted) ++ghost_validRejected;
    }
    ++calls["requestRedeem"];
  }

  /// @notice The owner (or, when `byOwner` is false, another actor) cancels a request.
  function cancelRedeem(uint256 indexSeed, bool byOwner, uint256 actorSeed) external atNow frozenWhilePaused {
    if (s_requests.length == 0) return;
    RequestRef memory ref = s_requests[_bound(indexSeed, 0, s_requests.length - 1)];
    RwaRedemptions.Request memory r = s_redemptions[ref.chain].requestOf(did, ref.id);
      _cancel(ref, byOwner ? r.owner : _actor(actorSeed));
    ++calls["cancelRedeem"];
  }

  /// @dev Admitted only for the owner of an open request nothing was accepted for, on a chain not paused.
  function _cancel(RequestRef memory ref, address caller) internal {
    RwaRedemptions.Request memory r = s_redemptions[ref.chain].requestOf(did, ref.id);
    bool open = !r.cancelled && r.fulfilled < r.amount;
    bool admitted = caller == r.owner && open && !r.accepted && !ghost_paused[ref.chain];
    vm.chainId(s_chainIds[ref.chain]);
    vm.prank(caller);
    try s_redemptions[ref.chain].cancelRedeem(did, ref.id) {
      if (!admitted) ++ghost_invalidApplied;
      ghost_balance[ref.chain][r.owner] += r.amount;
      ghost_locked[ref.chain] -= r.amount;
      ++calls["cancelRedeem.applied"];
    } catch {
      if (admitted) ++ghost_validRejected;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // custodian and issuer (committee-signed)
  // ---------------------------------------------------------------------------------------------------------------

  /// @notice The custodian accepts a request on its chain (kind 13); admitted while it is open and neither
  /// cancelled nor accepted. Once applied, the oracle's request watcher reports it to the hub (kind 7).
  function accept(uint256 indexSeed, uint256 nonceSeed) external atNow frozenWhilePaused {
    if (s_requests.length == 0) return;
    RequestRef memory ref = s_requests[_bound(indexSeed, 0, s_requests.length - 1)];
    uint256 x = ref.chain;
    RwaRedemptions.Request memory r = s_redemptions[x].requestOf(did, ref.id);
    bool admitted = !r.cancelled && !r.accepted && r.fulfilled < r.amount;
    uint64 nonce = _freshNonce(nonceSeed);
    bytes memory m = encodeAcceptance(
      AcceptanceAtt({
        did: did,
        nonce: nonce,
        requestId: ref.id,
        owner: r.owner,
        amount: r.amount,
        acceptedAt: uint64(block.timestamp)
      })
    );
    vm.chainId(s_chainIds[x]);
    if (_deliverExpecting(x, m, _committeeSign(x, adminStructHash(m)), nonce, admitted)) {
      ++calls["accept.applied"];
      _reportToHub(x, ref.id, r.owner, r.amount, uint256(keccak256(abi.encode(nonceSeed, "report"))));
    }
    ++calls["accept"];
  }

  /// @notice A fulfilment of a request on its chain: mostly within what the stage allows now, sometimes above it
  /// or above what is left, sometimes for a closed request; only the admissible ones may apply.
  function fulfil(uint256 indexSeed, uint256 amountSeed, bool overshoot, uint256 nonceSeed)
    external
    atNow
    frozenWhilePaused
  {
    if (s_requests.length == 0) return;
    RequestRef memory ref = s_requests[_bound(indexSeed, 0, s_requests.length - 1)];
    uint256 x = ref.chain;
    RwaRedemptions.Request memory r = s_redemptions[x].requestOf(did, ref.id);
    uint256 remaining = r.cancelled ? 0 : r.amount - r.fulfilled;
    vm.chainId(s_chainIds[x]);
    uint256 allowance = s_redemptions[x].redeemableNow(did, ref.id);
    if (allowance > remaining) ++ghost_stageRuleMismatch; // the view may never offer more than is left
    uint256 amount = overshoot || allowance == 0
      ? _bound(amountSeed, allowance + 1, remaining + 1 + allowance)
      : _bound(amountSeed, 1, allowance);
    bool admitted = r.accepted && amount <= allowance && amount <= remaining && !ghost_paused[x];
    uint64 nonce = _freshNonce(nonceSeed);
    bytes memory m = encodeFulfilment(
      FulfilmentAtt({
        did: did,
        nonce: nonce,
        requestId: ref.id,
        settlementRef: keccak256(abi.encode("redeem", nonce)),
        amount: amount,
        cashLegRef: keccak256(abi.encode("wire", nonce)),
        settledAt: uint64(block.timestamp)
      })
    );
    if (_deliverExpecting(x, m, _committeeSign(x, adminStructHash(m)), nonce, admitted)) {
      ghost_fulfilledTotal += amount;
      ghost_fulfilledBurn[x] += amount;
      ghost_locked[x] -= amount;
      ghost_requestFulfilled[x][ref.id] += amount;
      ++calls["fulfil.applied"];
    }
    ++calls["fulfil"];
  }

  /// @notice The issuer's policy, delivered to both chains; one in eight an emergency, one in eight invalid.
  function setRedemptionPolicy(uint256 bSeed, uint256 cSeed, uint256 nSeed, uint256 windowSeed, uint256 mode, uint256)
    external
    atNow
    frozenWhilePaused
  {
    mode = uint256(keccak256(abi.encode(mode))) % 8;
    PolicyAtt memory p;
    p.did = did;
    p.nonce = _orderedNonce(); // policies in order: the stage model assumes the newest applies
    p.stageBBps = uint16(_bound(bSeed, 1, 500));
    p.stageCBps = uint16(_bound(cSeed, p.stageBBps, 1_000));
    p.instalments = uint8(_bound(nSeed, 1, 10));
    p.windowSeconds = uint32(_bound(windowSeed, p.instalments, 10 days));
    p.emergency = mode == 0;
    bool valid = mode != 1;
    if (!valid) p.stageCBps = p.stageBBps - 1; // C below B
    bytes memory m = encodePolicy(p);
    bool[2] memory applied;
    for (uint256 x; x < 2; ++x) {
      applied[x] = _deliverExpecting(x, m, _committeeSign(x, adminStructHash(m)), p.nonce, valid);
    }
    if (applied[HUB]) {
      (ghost_stageBBps, ghost_stageCBps, ghost_emergency, ghost_window) = (p.stageBBps, p.stageCBps, p.emergency, p.windowSeconds);
      if (ghost_reports != 0) _checkHubAndPropagate();
    }
    ++calls["setRedemptionPolicy"];
  }

  /// @notice Time passes (up to two days); anyone refreshes the hub's stage for the new day.
  function advanceTime(uint256 seconds_) external frozenWhilePaused {
    s_now += _bound(seconds_, 1, 2 days);
    vm.warp(s_now);
    if (ghost_reports != 0) {
      vm.chainId(s_chainIds[HUB]);
      try s_redemptions[HUB].refreshStage(did) {} catch {
        ++ghost_validRejected;
      }
      _checkHubAndPropagate();
    }
    ++calls["advanceTime"];
  }

  // ---------------------------------------------------------------------------------------------------------------
  // the oracle's watchers
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev Kind 7 to the hub, with the pool over both chains as the signers would read it.
  function _reportToHub(uint256 x, uint64 id, address owner, uint256 amount, uint256 nonceSeed) internal {
    uint256 pool = s_holdings[0].totalSupply() + s_holdings[1].totalSupply();
    RequestReportAtt memory a = RequestReportAtt({
      did: did,
      nonce: _freshNonce(nonceSeed),
      chainId: s_chainIds[x],
      requestId: id,
      owner: owner,
      amount: amount,
      requestedAt: uint64(block.timestamp),
      poolSupply: pool
    });
    bytes memory m = encodeRequestReport(a);
    vm.chainId(s_chainIds[HUB]);
    if (_deliverExpecting(HUB, m, _committeeSign(HUB, adminStructHash(m)), a.nonce, true)) {
      uint64 hour = uint64(block.timestamp / 1 hours);
      ghost_hourAccepted[hour] += amount;
      ghost_pool = pool;
      ++ghost_reports;
      _checkHubAndPropagate();
    }
  }

  /// @dev Compares the hub's stage with the rule applied to the handler's own record of its inputs, then sends a
  /// new hub stage to chain 1 (kind 8), which must apply it.
  function _checkHubAndPropagate() internal {
    (uint8 stage, uint8 reason) = _expectedStage();
    RwaRedemptions.Stage memory s = s_redemptions[HUB].stageOf(did);
    bool changed = stage != s_hubStage || reason != s_hubReason;
    if (s.stage != stage || s.reason != reason || s.stageSeq != ghost_hubSeq + (changed ? 1 : 0)) {
      ++ghost_stageRuleMismatch;
    }
    (s_hubStage, s_hubReason, s_hubSince) = (s.stage, s.reason, s.since);
    if (s.stageSeq <= ghost_hubSeq) return;
    ghost_hubSeq = s.stageSeq;
    StageAtt memory a = StageAtt({
      did: did,
      nonce: _freshNonce(uint256(s.stageSeq) * 7919),
      stage: s.stage,
      stageSeq: s.stageSeq,
      since: s.since,
      reason: s.reason,
      dayRequested: s.dayRequested,
      poolSupply: s.poolSupply
    });
    bytes memory m = encodeStage(a);
    _deliverExpecting(1, m, _committeeSign(1, adminStructHash(m)), a.nonce, true);
    ++calls[s.stage == STAGE_A ? "stage.toA" : s.stage == STAGE_B ? "stage.toB" : "stage.toC"];
  }

  /// @dev The rule on the pressure window (accepted units reported this hour and the 24 before), then the hold: a stage raised by pressure does not fall before the window
  /// since its start has passed.
  function _expectedStage() internal view returns (uint8 stage, uint8 reason) {
    (stage, reason) = _pressureStage();
    uint8 current = s_hubStage == 0 ? STAGE_A : s_hubStage;
    if (stage < current && s_hubReason == REASON_THRESHOLD && block.timestamp < uint256(s_hubSince) + ghost_window) {
      return (current, s_hubReason);
    }
  }

  function _pressureStage() internal view returns (uint8, uint8) {
    if (ghost_emergency) return (STAGE_C, REASON_EMERGENCY);
    uint256 day = ghostPressure();
    if (ghost_pool == 0 || day > ghost_pool) return (STAGE_C, REASON_THRESHOLD);
    uint256 bps = day * 10_000 / ghost_pool; // day <= pool < 2^100 here: no overflow
    if (bps > ghost_stageCBps) return (STAGE_C, REASON_THRESHOLD);
    if (bps > ghost_stageBBps) return (STAGE_B, REASON_THRESHOLD);
    return (STAGE_A, REASON_NONE);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // views for the invariant contract
  // ---------------------------------------------------------------------------------------------------------------

  /// @notice The handler's own record of the hub's pressure now: accepted units reported in the window.
  function ghostPressure() public view returns (uint256 sum) {
    uint64 nowHour = uint64(block.timestamp / 1 hours);
    for (uint64 hr = nowHour >= 24 ? nowHour - 24 : 0; hr <= nowHour; ++hr) {
      sum += ghost_hourAccepted[hr];
    }
  }

  function chainIdAt(uint256 x) external view returns (uint64) {
    return s_chainIds[x];
  }

  function redemptionsAt(uint256 x) external view returns (RwaRedemptions) {
    return s_redemptions[x];
  }
}
