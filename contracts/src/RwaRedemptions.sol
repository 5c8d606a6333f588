// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "./libraries/AttestationCodec.sol";
import {RedemptionCodec} from "./libraries/RedemptionCodec.sol";
import {RedemptionPolicy} from "./libraries/RedemptionPolicy.sol";
import {RwaHoldings} from "./RwaHoldings.sol";
import {IRwaReceiverDids} from "./redemptions/RwaRedemptionsState.sol";
import {RwaRedemptionFulfilment} from "./redemptions/RwaRedemptionFulfilment.sol";

/// @notice Redemptions of every DID on one chain (ERC-7540-style asynchronous redeem), created by the chain's
/// RwaReceiver, which stays the only verifier: it forwards kinds 7..11, 13 and 17 here after quorum and nonce checks.
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
///
/// Parts: constants and storage in redemptions/RwaRedemptionsState.sol; reports, stages and the allowance rule in
/// RwaRedemptionStages.sol; acceptance and fulfilment in RwaRedemptionFulfilment.sol. This contract holds the
/// holders' calls, the dispatch of verified kinds, disclosures and the views.
contract RwaRedemptions is RwaRedemptionFulfilment {
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
  /// @dev The receiver's guardians cursed this chain: no new request until they lift it (same selector as the
  /// receiver's ChainCursed).
  error ChainCursed();

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

  /// @dev Created by the chain's RwaReceiver, which RwaRedemptionsState records as the only caller of applyAttestation.
  constructor() {}

  // ------------------------------------------------------------------------------------------------------------
  // Holders
  // ------------------------------------------------------------------------------------------------------------

  /// @notice Lock `amount` of the caller's units of `did` until a custodian's settlement burns them or the caller
  /// cancels. Allowed in every stage (stage C queues); not allow-list gated; refused while the asset is paused and
  /// while the chain is cursed (a request is what the hub counts and the custodian pays). A cancel stays open: it
  /// only gives the holder back its own locked units.
  function requestRedeem(bytes32 did, uint256 amount) external returns (uint64 requestId) {
    if (amount == 0 || amount > type(uint128).max) revert InvalidAmount(amount);
    if (IRwaReceiverDids(i_receiver).cursed()) revert ChainCursed();
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
  // Verified attestations (kinds 7..11, 13, 17), forwarded by the receiver after quorum and nonce
  // ------------------------------------------------------------------------------------------------------------

  function applyAttestation(bytes calldata message) external {
    if (msg.sender != i_receiver) revert OnlyReceiver(msg.sender);
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    uint8 kind = h.kind;
    if (kind == AttestationCodec.KIND_REDEMPTION_REQUEST) {
      _applyReport(h, RedemptionCodec.decodeRedemptionRequest(message));
    } else if (kind == AttestationCodec.KIND_REDEMPTION_STAGE) {
      _applyStage(h.did, RedemptionCodec.decodeRedemptionStage(message));
    } else if (kind == AttestationCodec.KIND_REDEMPTION_POLICY) {
      _applyPolicy(h, message);
    } else if (kind == AttestationCodec.KIND_REDEMPTION_FULFILMENT) {
      _applyFulfilment(h, RedemptionCodec.decodeRedemptionFulfilment(message));
    } else if (kind == AttestationCodec.KIND_DISCLOSURE) {
      _applyDisclosure(h, message);
    } else if (kind == AttestationCodec.KIND_REDEMPTION_ACCEPTANCE) {
      _applyAcceptance(h, RedemptionCodec.decodeRedemptionAcceptance(message));
    } else if (kind == AttestationCodec.KIND_BUYBACK_REPORT) {
      _applyBuyBack(h, message);
    } else {
      revert UnsupportedKind(kind);
    }
  }

  function _applyDisclosure(AttestationCodec.Header memory h, bytes calldata message) internal {
    (uint8 docKind, bytes32 docHash, uint64 asOf, bytes calldata uri) = RedemptionCodec.decodeDisclosure(message);
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

  /// @notice The stage fulfilments run at now: the hub's stage (stageOf) raised to the liquidity floor of the latest
  /// buy-back report (buyBackOf), and since when.
  function effectiveStageOf(bytes32 did) external view returns (uint8 stage, uint64 since) {
    return _effectiveStage(did);
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
