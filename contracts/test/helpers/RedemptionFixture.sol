// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../../src/RwaRedemptions.sol";
import {AttestationFixture} from "./AttestationFixture.sol";
import {RedemptionAttestations} from "./RedemptionAttestations.sol";

/// @notice AttestationFixture plus this chain's redemptions module, funded investors and builders / deliverers of
/// kinds 7..11 and 13 signed by the DID committee. Redemption attestations take nonces from REDEMPTION_NONCE_BASE upwards,
/// apart from the fixture's admin nonces and the small nonces tests choose.
abstract contract RedemptionFixture is AttestationFixture, RedemptionAttestations {
  uint64 internal constant REDEMPTION_NONCE_BASE = 1 << 62;
  uint64 internal constant FUNDING_NONCE_BASE = 1 << 61;
  uint256 internal constant FUNDED = 1_000_000e6;
  /// @dev Pool supply over all chains that the reports carry unless a test says otherwise: 1 % of it is 100,000e6.
  uint256 internal constant POOL = 10_000_000e6;

  RwaRedemptions internal redemptions;
  uint64 internal s_redemptionNonce = REDEMPTION_NONCE_BASE;
  uint64 internal s_fundingNonce = FUNDING_NONCE_BASE;

  function setUp() public virtual override {
    super.setUp();
    redemptions = receiver.redemptions();
    fund(alice, FUNDED);
    fund(bob, FUNDED);
  }

  function fund(address investor, uint256 amount) internal {
    deliver(subscriptionAtt(investor, amount, s_fundingNonce++));
  }

  function nextNonce() internal returns (uint64) {
    return s_redemptionNonce++;
  }

  function today() internal view returns (uint64) {
    return uint64(block.timestamp / 1 days);
  }

  // ---- holders ----

  function request(address owner, uint256 amount) internal returns (uint64 id) {
    vm.prank(owner);
    id = redemptions.requestRedeem(DID, amount);
  }

  /// @dev A request the custodian accepted at once (kind 13): no longer cancellable, fulfillable.
  function requestAccepted(address owner, uint256 amount) internal returns (uint64 id) {
    id = request(owner, amount);
    accept(id);
  }

  // ---- builders ----

  function reportAtt(uint64 chainId, uint64 requestId, uint256 amount, uint256 pool)
    internal
    returns (RequestReportAtt memory)
  {
    return RequestReportAtt({
      did: DID,
      nonce: nextNonce(),
      chainId: chainId,
      requestId: requestId,
      owner: alice,
      amount: amount,
      requestedAt: uint64(block.timestamp),
      poolSupply: pool
    });
  }

  function stageAtt(uint8 stage, uint64 stageSeq, uint8 reason) internal returns (StageAtt memory) {
    return StageAtt({
      did: DID,
      nonce: nextNonce(),
      stage: stage,
      stageSeq: stageSeq,
      since: uint64(block.timestamp),
      reason: reason,
      dayRequested: 150_000e6,
      poolSupply: POOL
    });
  }

  function policyAtt(uint16 b, uint16 c, uint8 n, uint32 window, bool emergency) internal returns (PolicyAtt memory) {
    return PolicyAtt({
      did: DID,
      nonce: nextNonce(),
      stageBBps: b,
      stageCBps: c,
      instalments: n,
      windowSeconds: window,
      emergency: emergency
    });
  }

  function fulfilmentAtt(uint64 requestId, uint256 amount) internal returns (FulfilmentAtt memory) {
    uint64 nonce = nextNonce();
    return FulfilmentAtt({
      did: DID,
      nonce: nonce,
      requestId: requestId,
      settlementRef: keccak256(abi.encode("REDEEM", nonce)),
      amount: amount,
      cashLegRef: keccak256(abi.encode("wire", nonce)),
      settledAt: uint64(block.timestamp)
    });
  }

  /// @dev The acceptance of request `requestId` of this chain, with the owner and amount it locked.
  function acceptanceAtt(uint64 requestId) internal returns (AcceptanceAtt memory) {
    RwaRedemptions.Request memory r = redemptions.requestOf(DID, requestId);
    return AcceptanceAtt({
      did: DID,
      nonce: nextNonce(),
      requestId: requestId,
      owner: r.owner,
      amount: r.amount,
      acceptedAt: uint64(block.timestamp)
    });
  }

  function disclosureAtt(uint8 docKind, uint64 asOf) internal returns (DisclosureAtt memory) {
    return DisclosureAtt({
      did: DID,
      nonce: nextNonce(),
      docKind: docKind,
      docHash: keccak256(abi.encode("doc", docKind, asOf)),
      asOf: asOf,
      uri: "https://issuer.example/disclosures/2026-q1.pdf"
    });
  }

  // ---- delivery (committee-signed, for this chain and this receiver) ----

  function deliverRedemption(bytes memory message) internal {
    deliverAdmin(message);
  }

  /// @dev Signs first, so the expected revert is the delivery's and not a cheatcode's.
  function deliverRedemptionExpectRevert(bytes memory message, bytes memory revertData) internal {
    bytes memory sigs = adminQuorumSigs(message);
    vm.prank(relayer);
    vm.expectRevert(revertData);
    receiver.receiveMessage(message, sigs);
  }

  /// @dev A report of a request of this chain, as the hub would receive it.
  function report(uint64 requestId, uint256 amount, uint256 pool) internal {
    deliverRedemption(encodeRequestReport(reportAtt(uint64(block.chainid), requestId, amount, pool)));
  }

  function applyPolicy(uint16 b, uint16 c, uint8 n, uint32 window, bool emergency) internal {
    deliverRedemption(encodePolicy(policyAtt(b, c, n, window, emergency)));
  }

  function applyStage(uint8 stage, uint64 stageSeq, uint8 reason) internal {
    deliverRedemption(encodeStage(stageAtt(stage, stageSeq, reason)));
  }

  function accept(uint64 requestId) internal {
    deliverRedemption(encodeAcceptance(acceptanceAtt(requestId)));
  }

  /// @dev The custodian's flow: accept (if not yet), then pay and post the fulfilment.
  function fulfil(uint64 requestId, uint256 amount) internal {
    if (!redemptions.requestOf(DID, requestId).accepted) accept(requestId);
    deliverRedemption(encodeFulfilment(fulfilmentAtt(requestId, amount)));
  }
}
