// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {AttestationCodec} from "./libraries/AttestationCodec.sol";
import {RedemptionPolicy} from "./libraries/RedemptionPolicy.sol";
import {RwaHoldings} from "./RwaHoldings.sol";

/// @dev The one receiver view this module reads: the holdings of a DID (zero until the DID is configured here).
interface IRwaReceiverDids {
  function didState(bytes32 did) external view returns (uint8 threshold, uint32 signerEpoch, RwaHoldings holdings);
}

/// @notice Redemptions of every DID on one chain (ERC-7540-style asynchronous redeem), created by the chain's
/// RwaReceiver, which stays the only verifier: it forwards kinds 7..11 and 13 here after quorum and nonce checks.
///
/// - Holders request on any chain: their units move into this contract (locked) and a request id is emitted. The
///   holder may cancel until the custodian accepts the request (kind 13); an accepted request can no longer be
///   cancelled, and a cancelled one can no longer be accepted: both are decided on the request's chain, in order.
/// - The oracle reports each accepted request to the hub (kind 7); the hub adds it to the hour its report arrives
///   and sets the stage from the accepted units of the last 24 to 25 hours as a share of the pool (total supply over
///   all chains); the oracle sends the stage to every other chain (kind 8). The issuer's policy (kind 9) sets the
///   thresholds and the instalment plan. Units a holder can still take back never count as pressure.
/// - Only the custodian's settlement (kind 10) of an accepted request burns locked units, within what the stage
///   allows now (`redeemableNow`). A request is never fulfilled for more than it locked.
/// - Disclosures (kind 11) are anchored by hash: the latest per document kind per DID.
///
/// Units: amounts in token base units, times in unix seconds, days = timestamp / 86400 (UTC).
contract RwaRedemptions {
  error OnlyReceiver(address caller);
  error UnknownDid(bytes32 did);
  error InvalidAmount(uint256 amount);
  error UnknownRequest(bytes32 did, uint64 requestId);
  error RequestClosed(bytes32 did, uint64 requestId);
  error NotRequestOwner(uint64 requestId, address caller);
  error RequestPartlyFulfilled(uint64 requestId, uint256 fulfilled);
  error RequestAlreadyAccepted(bytes32 did, uint64 requestId);
  error RequestNotAccepted(bytes32 did, uint64 requestId);
  error AcceptanceMismatch(uint64 requestId, address owner, uint256 amount);
  error FulfilmentExceedsRequest(uint64 requestId, uint256 amount, uint256 remaining);
  error FulfilmentExceedsAllowance(uint64 requestId, uint256 amount, uint256 allowance);
  error RedemptionsHalted(bytes32 did, uint8 reason);
  error RequestAlreadyReported(uint64 chainId, uint64 requestId);
  error NotAggregating(bytes32 did);
  error StageNotNewer(uint64 stageSeq, uint64 currentSeq);
  error InvalidStage(uint8 stage, uint8 reason);
  error InvalidPolicy(uint16 stageBBps, uint16 stageCBps, uint8 instalments, uint32 windowSeconds);
  error InvalidDisclosureKind(uint8 docKind);
  error DisclosureNotNewer(uint8 docKind, uint64 asOf, uint64 latestAsOf);
  error UnsupportedKind(uint8 kind);

  event RedeemRequested(
    bytes32 indexed did, uint64 indexed requestId, address indexed owner, uint256 amount, uint64 requestedAt
  );
  event RedeemCancelled(bytes32 indexed did, uint64 indexed requestId, address indexed owner, uint256 amount);
  /// @notice The custodian committed to pay request `requestId` (kind 13): from now on it cannot be cancelled.
  event RedeemAccepted(
    bytes32 indexed did, uint64 indexed requestId, uint64 indexed nonce, address owner, uint256 amount, uint64 acceptedAt
  );
  /// @notice An accepted request of `chainId` counted by this chain (the hub) in the hour its report arrived.
  event RedemptionReported(
    bytes32 indexed did,
    uint64 indexed nonce,
    uint64 indexed chainId,
    uint64 requestId,
    address owner,
    uint256 amount,
    uint64 requestedAt,
    uint256 poolSupply
  );
  event RedemptionStageChanged(
    bytes32 indexed did,
    uint64 indexed stageSeq,
    uint8 stage,
    uint64 since,
    uint8 reason,
    uint256 dayRequested,
    uint256 poolSupply
  );
  event RedemptionPolicyApplied(
    bytes32 indexed did,
    uint64 indexed nonce,
    uint16 stageBBps,
    uint16 stageCBps,
    uint8 instalments,
    uint32 windowSeconds,
    bool emergency
  );
  event RedemptionFulfilled(
    bytes32 indexed did,
    uint64 indexed requestId,
    uint64 indexed nonce,
    uint256 amount,
    uint256 fulfilled,
    bytes32 settlementRef,
    bytes32 cashLegRef,
    uint64 settledAt
  );
  event DisclosureAnchored(
    bytes32 indexed did, uint64 indexed nonce, uint8 indexed docKind, bytes32 docHash, uint64 asOf, string uri
  );

  uint8 public constant STAGE_A = 1;
  uint8 public constant STAGE_B = 2;
  uint8 public constant STAGE_C = 3;
  uint8 public constant REASON_NONE = 0;
  uint8 public constant REASON_THRESHOLD = 1;
  uint8 public constant REASON_EMERGENCY = 2;
  uint8 internal constant DOC_KIND_MAX = 4;
  /// @dev Pressure window: the current hour and the 24 before it, so two reports less than 24 hours apart always
  /// count together (the window is 24 to 25 hours long, never shorter).
  uint64 public constant PRESSURE_HOURS = 24;

  /// @dev Two slots. Amounts fit 128 bits: a chain's supply never exceeds its uint128 cap. `accepted` and
  /// `cancelled` are never both set.
  struct Request {
    address owner;
    uint64 requestedAt;
    bool cancelled;
    bool accepted;
    uint128 amount;
    uint128 fulfilled;
  }

  /// @dev `stage` 0 (never set) reads as stage A; dayRequested (the accepted units in the pressure window) and
  /// poolSupply are those the stage was set from.
  struct Stage {
    uint8 stage;
    uint64 stageSeq;
    uint64 since;
    uint8 reason;
    uint256 dayRequested;
    uint256 poolSupply;
  }

  struct Disclosure {
    bytes32 docHash;
    uint64 asOf;
    uint64 nonce;
  }

  address public immutable i_receiver;

  mapping(bytes32 did => RedemptionPolicy.Policy) private s_policies; // instalments 0: never set, defaults apply
  mapping(bytes32 did => Stage) private s_stages;
  mapping(bytes32 did => uint64) private s_requestCount;
  mapping(bytes32 did => mapping(uint64 requestId => Request)) private s_requests;
  mapping(bytes32 did => mapping(uint8 docKind => Disclosure)) private s_disclosures;
  // ---- hub aggregation: written only on the chain that receives request reports ----
  mapping(bytes32 did => uint64) private s_reports;
  mapping(bytes32 did => uint256) private s_poolSupply;
  /// @dev Accepted units reported per hub hour of arrival (block.timestamp / 3600).
  mapping(bytes32 did => mapping(uint64 hour => uint256)) private s_hourAccepted;
  /// @dev Reported (chain, request) pairs, 256 request ids per word: the same request is never counted twice.
  mapping(bytes32 did => mapping(uint64 chainId => mapping(uint256 word => uint256 bits))) private s_reported;

  constructor() {
    i_receiver = msg.sender;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Holders
  // ------------------------------------------------------------------------------------------------------------

  /// @notice Lock `amount` of the caller's units of `did` until a custodian's settlement burns them or the caller
  /// cancels. Allowed in every stage (stage C queues); not allow-list gated; refused while the asset is paused.
  function requestRedeem(bytes32 did, uint256 amount) external returns (uint64 requestId) {
    if (amount == 0 || amount > type(uint128).max) revert InvalidAmount(amount);
    RwaHoldings holdings = _holdings(did);
    requestId = ++s_requestCount[did];
    s_requests[did][requestId] = Request({
      owner: msg.sender,
      requestedAt: uint64(block.timestamp),
      cancelled: false,
      accepted: false,
      amount: uint128(amount),
      fulfilled: 0
    });
    holdings.lockFrom(msg.sender, amount);
    emit RedeemRequested(did, requestId, msg.sender, amount, uint64(block.timestamp));
  }

  /// @notice Close a request the custodian has not accepted yet and take its units back. Once accepted (kind 13) the
  /// holder is committed: the custodian pays only accepted requests, so a payment may be in flight.
  function cancelRedeem(bytes32 did, uint64 requestId) external {
    Request storage r = s_requests[did][requestId];
    address owner = r.owner;
    if (owner == address(0)) revert UnknownRequest(did, requestId);
    if (owner != msg.sender) revert NotRequestOwner(requestId, msg.sender);
    uint128 amount = r.amount;
    if (r.cancelled || r.fulfilled == amount) revert RequestClosed(did, requestId);
    if (r.accepted) revert RequestAlreadyAccepted(did, requestId);
    // Unreachable while fulfilment requires acceptance; kept as a second line.
    if (r.fulfilled != 0) revert RequestPartlyFulfilled(requestId, r.fulfilled);
    r.cancelled = true;
    _holdings(did).unlockTo(owner, amount);
    emit RedeemCancelled(did, requestId, owner, amount);
  }

  /// @notice Recompute the stage from the pressure window now on the chain that aggregates `did` (the hub): lets
  /// the stage fall back once reports have aged out of the window. Anyone may call it.
  function refreshStage(bytes32 did) external {
    if (s_reports[did] == 0) revert NotAggregating(did);
    _recomputeStage(did);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Verified attestations (kinds 7..11, 13), forwarded by the receiver after quorum and nonce
  // ------------------------------------------------------------------------------------------------------------

  function applyAttestation(bytes calldata message) external {
    if (msg.sender != i_receiver) revert OnlyReceiver(msg.sender);
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    uint8 kind = h.kind;
    if (kind == AttestationCodec.KIND_REDEMPTION_REQUEST) {
      _applyReport(h, AttestationCodec.decodeRedemptionRequest(message));
    } else if (kind == AttestationCodec.KIND_REDEMPTION_STAGE) {
      _applyStage(h.did, AttestationCodec.decodeRedemptionStage(message));
    } else if (kind == AttestationCodec.KIND_REDEMPTION_POLICY) {
      _applyPolicy(h, message);
    } else if (kind == AttestationCodec.KIND_REDEMPTION_FULFILMENT) {
      _applyFulfilment(h, AttestationCodec.decodeRedemptionFulfilment(message));
    } else if (kind == AttestationCodec.KIND_DISCLOSURE) {
      _applyDisclosure(h, message);
    } else if (kind == AttestationCodec.KIND_REDEMPTION_ACCEPTANCE) {
      _applyAcceptance(h, AttestationCodec.decodeRedemptionAcceptance(message));
    } else {
      revert UnsupportedKind(kind);
    }
  }

  function _applyReport(AttestationCodec.Header memory h, AttestationCodec.RedemptionRequest memory r) internal {
    if (r.amount == 0) revert InvalidAmount(r.amount);
    bytes32 did = h.did;
    mapping(uint256 => uint256) storage words = s_reported[did][r.chainId];
    uint256 bit = 1 << (r.requestId & 0xff);
    uint256 bits = words[r.requestId >> 8];
    if (bits & bit != 0) revert RequestAlreadyReported(r.chainId, r.requestId);
    words[r.requestId >> 8] = bits | bit;
    // The hour of arrival, not of the request: a late report still counts, and counts now.
    s_hourAccepted[did][uint64(block.timestamp / 1 hours)] += r.amount;
    s_poolSupply[did] = r.poolSupply;
    ++s_reports[did];
    emit RedemptionReported(did, h.nonce, r.chainId, r.requestId, r.owner, r.amount, r.requestedAt, r.poolSupply);
    _recomputeStage(did);
  }

  /// @dev Decided on the request's chain, so it is ordered with the holder's cancel: whichever lands first wins.
  function _applyAcceptance(AttestationCodec.Header memory h, AttestationCodec.RedemptionAcceptance memory a) internal {
    bytes32 did = h.did;
    uint64 id = a.requestId;
    Request storage r = s_requests[did][id];
    Request memory req = r;
    if (req.owner == address(0)) revert UnknownRequest(did, id);
    if (req.cancelled || req.fulfilled == req.amount) revert RequestClosed(did, id);
    if (req.accepted) revert RequestAlreadyAccepted(did, id);
    if (a.owner != req.owner || a.amount != req.amount) revert AcceptanceMismatch(id, a.owner, a.amount);
    r.accepted = true;
    emit RedeemAccepted(did, id, h.nonce, req.owner, req.amount, a.acceptedAt);
  }

  function _applyStage(bytes32 did, AttestationCodec.RedemptionStage memory s) internal {
    if (s.stage < STAGE_A || s.stage > STAGE_C || s.reason > REASON_EMERGENCY) revert InvalidStage(s.stage, s.reason);
    Stage storage st = s_stages[did];
    uint64 current = st.stageSeq;
    if (s.stageSeq <= current) revert StageNotNewer(s.stageSeq, current);
    _setStage(did, st, s.stage, s.stageSeq, s.since, s.reason, s.dayRequested, s.poolSupply);
  }

  function _applyPolicy(AttestationCodec.Header memory h, bytes calldata message) internal {
    RedemptionPolicy.Policy memory p;
    (p.stageBBps, p.stageCBps, p.instalments, p.windowSeconds, p.emergency) =
      AttestationCodec.decodeRedemptionPolicy(message);
    if (!RedemptionPolicy.isValid(p)) revert InvalidPolicy(p.stageBBps, p.stageCBps, p.instalments, p.windowSeconds);
    s_policies[h.did] = p;
    emit RedemptionPolicyApplied(h.did, h.nonce, p.stageBBps, p.stageCBps, p.instalments, p.windowSeconds, p.emergency);
    // Only the chain that aggregates sets stages itself; the others wait for the hub's (kind 8).
    if (s_reports[h.did] != 0) _recomputeStage(h.did);
  }

  function _applyFulfilment(AttestationCodec.Header memory h, AttestationCodec.RedemptionFulfilment memory f) internal {
    uint128 fulfilled = _fulfil(h.did, f.requestId, f.amount);
    emit RedemptionFulfilled(
      h.did, f.requestId, h.nonce, f.amount, fulfilled, f.settlementRef, f.cashLegRef, f.settledAt
    );
  }

  /// @dev Checks in the order a custodian would fix them: the request, the amount, then the stage.
  function _fulfil(bytes32 did, uint64 id, uint256 amount) internal returns (uint128 fulfilled) {
    Request storage r = s_requests[did][id];
    Request memory req = r;
    if (req.owner == address(0)) revert UnknownRequest(did, id);
    if (amount == 0) revert InvalidAmount(amount);
    if (req.cancelled || req.fulfilled == req.amount) revert RequestClosed(did, id);
    if (!req.accepted) revert RequestNotAccepted(did, id);
    uint256 remaining = req.amount - req.fulfilled;
    if (amount > remaining) revert FulfilmentExceedsRequest(id, amount, remaining);
    (bool halted, uint8 reason) = _halted(did);
    if (halted) revert RedemptionsHalted(did, reason);
    uint256 allowance = _allowance(did, req);
    if (amount > allowance) revert FulfilmentExceedsAllowance(id, amount, allowance);
    // amount <= remaining < 2^128, so the cast is exact and fulfilled never passes the locked amount.
    fulfilled = req.fulfilled + uint128(amount);
    r.fulfilled = fulfilled;
    _holdings(did).burnLocked(amount);
  }

  function _applyDisclosure(AttestationCodec.Header memory h, bytes calldata message) internal {
    (uint8 docKind, bytes32 docHash, uint64 asOf, bytes calldata uri) = AttestationCodec.decodeDisclosure(message);
    if (docKind == 0 || docKind > DOC_KIND_MAX) revert InvalidDisclosureKind(docKind);
    Disclosure storage d = s_disclosures[h.did][docKind];
    uint64 latest = d.asOf;
    if (asOf <= latest) revert DisclosureNotNewer(docKind, asOf, latest);
    d.docHash = docHash;
    d.asOf = asOf;
    d.nonce = h.nonce;
    emit DisclosureAnchored(h.did, h.nonce, docKind, docHash, asOf, string(uri));
  }

  // ------------------------------------------------------------------------------------------------------------
  // Stage rule (hub) and allowance rule (every chain)
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
    Stage storage st = s_stages[did];
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
    Stage storage st,
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
    emit RedemptionStageChanged(did, stageSeq, stage, since, reason, dayRequested, poolSupply);
  }

  /// @dev Stage C, or the issuer's emergency flag as soon as this chain has the policy (before the hub's stage C
  /// arrives), stops every fulfilment.
  function _halted(bytes32 did) internal view returns (bool, uint8) {
    if (s_policies[did].emergency) return (true, REASON_EMERGENCY);
    Stage storage st = s_stages[did];
    if (st.stage == STAGE_C) return (true, st.reason);
    return (false, REASON_NONE);
  }

  /// @dev What may be fulfilled now: nothing before the custodian accepted; stage A the remainder; stage C nothing; stage B instalment k of N, where
  /// k = min(N, 1 + elapsed / (window / N)) and elapsed counts from the later of the request and the stage start;
  /// cumulative = amount * k / N (pro rata, rounding down; the last instalment is the whole amount).
  function _allowance(bytes32 did, Request memory r) internal view returns (uint256) {
    if (r.owner == address(0) || r.cancelled || !r.accepted) return 0;
    (bool halted,) = _halted(did);
    if (halted) return 0;
    uint256 remaining = r.amount - r.fulfilled;
    Stage storage st = s_stages[did];
    if (st.stage != STAGE_B) return remaining;
    RedemptionPolicy.Policy memory p = _policy(did);
    uint256 start = Math.max(r.requestedAt, st.since);
    uint256 elapsed = block.timestamp > start ? block.timestamp - start : 0;
    uint256 k = Math.min(p.instalments, 1 + elapsed / (p.windowSeconds / p.instalments));
    uint256 cumulative = uint256(r.amount) * k / p.instalments;
    return cumulative > r.fulfilled ? cumulative - r.fulfilled : 0;
  }

  function _policy(bytes32 did) internal view returns (RedemptionPolicy.Policy memory p) {
    p = s_policies[did];
    if (p.instalments == 0) p = RedemptionPolicy.defaults();
  }

  function _stageValue(uint8 stored) internal pure returns (uint8) {
    return stored == 0 ? STAGE_A : stored;
  }

  function _holdings(bytes32 did) internal view returns (RwaHoldings holdings) {
    (,, holdings) = IRwaReceiverDids(i_receiver).didState(did);
    if (address(holdings) == address(0)) revert UnknownDid(did);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Views (the oracle and the signers read the same rule)
  // ------------------------------------------------------------------------------------------------------------

  function redeemableNow(bytes32 did, uint64 requestId) external view returns (uint256) {
    return _allowance(did, s_requests[did][requestId]);
  }

  /// @notice A zero owner means no such request.
  function requestOf(bytes32 did, uint64 requestId) external view returns (Request memory) {
    return s_requests[did][requestId];
  }

  /// @notice Requests made on this chain for `did`; ids run 1..requestCount.
  function requestCount(bytes32 did) external view returns (uint64) {
    return s_requestCount[did];
  }

  function stageOf(bytes32 did) external view returns (Stage memory s) {
    s = s_stages[did];
    s.stage = _stageValue(s.stage);
  }

  /// @notice The policy in force: the latest attested one, or the defaults.
  function policyOf(bytes32 did) external view returns (RedemptionPolicy.Policy memory) {
    return _policy(did);
  }

  function disclosureOf(bytes32 did, uint8 docKind) external view returns (Disclosure memory) {
    return s_disclosures[did][docKind];
  }

  /// @notice Hub only: accepted units over all chains whose reports arrived in `hour` (unix seconds / 3600).
  function hourAcceptedOf(bytes32 did, uint64 hour) external view returns (uint256) {
    return s_hourAccepted[did][hour];
  }

  /// @notice Hub only: the pressure the stage is set from now (accepted units in the last 24 to 25 hours).
  function pressureOf(bytes32 did) external view returns (uint256) {
    return _pressure(did);
  }

  /// @notice Hub only: request reports received (non-zero makes this chain the one that sets the stage) and the
  /// pool supply of the latest.
  function aggregationOf(bytes32 did) external view returns (uint64 reports, uint256 poolSupply) {
    return (s_reports[did], s_poolSupply[did]);
  }

  function isReported(bytes32 did, uint64 chainId, uint64 requestId) external view returns (bool) {
    return s_reported[did][chainId][requestId >> 8] & (1 << (requestId & 0xff)) != 0;
  }

  function holdingsOf(bytes32 did) external view returns (RwaHoldings holdings) {
    (,, holdings) = IRwaReceiverDids(i_receiver).didState(did);
  }
}
