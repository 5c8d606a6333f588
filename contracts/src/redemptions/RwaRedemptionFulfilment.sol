// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {RedemptionCodec} from "../libraries/RedemptionCodec.sol";
import {RwaRedemptions} from "../RwaRedemptions.sol";
import {RwaRedemptionStages} from "./RwaRedemptionStages.sol";

/// @notice The custodian's side of a request on its chain: acceptance (kind 13), then fulfilment (kind 10), which
/// burns locked units within what the stage allows now.
abstract contract RwaRedemptionFulfilment is RwaRedemptionStages {
  /// @dev Decided on the request's chain, so it is ordered with the holder's cancel: whichever lands first wins.
  function _applyAcceptance(AttestationCodec.Header memory h, RedemptionCodec.RedemptionAcceptance memory a) internal {
    bytes32 did = h.did;
    uint64 id = a.requestId;
    RwaRedemptions.Request storage r = s_requests[did][id];
    RwaRedemptions.Request memory req = r;
    if (req.owner == address(0)) revert RwaRedemptions.UnknownRequest(did, id);
    if (req.cancelled || req.fulfilled == req.amount) revert RwaRedemptions.RequestClosed(did, id);
    if (req.accepted) revert RwaRedemptions.RequestAlreadyAccepted(did, id);
    if (a.owner != req.owner || a.amount != req.amount) revert RwaRedemptions.AcceptanceMismatch(id, a.owner, a.amount);
    r.accepted = true;
    emit RwaRedemptions.RedeemAccepted(did, id, h.nonce, req.owner, req.amount, a.acceptedAt);
  }

  function _applyFulfilment(AttestationCodec.Header memory h, RedemptionCodec.RedemptionFulfilment memory f) internal {
    uint128 fulfilled = _fulfil(h.did, f.requestId, f.amount);
    emit RwaRedemptions.RedemptionFulfilled(
      h.did, f.requestId, h.nonce, f.amount, fulfilled, f.settlementRef, f.cashLegRef, f.settledAt
    );
  }

  /// @dev Checks in the order a custodian would fix them: the request, the amount, then the stage.
  function _fulfil(bytes32 did, uint64 id, uint256 amount) internal returns (uint128 fulfilled) {
    RwaRedemptions.Request storage r = s_requests[did][id];
    RwaRedemptions.Request memory req = r;
    if (req.owner == address(0)) revert RwaRedemptions.UnknownRequest(did, id);
    if (amount == 0) revert RwaRedemptions.InvalidAmount(amount);
    if (req.cancelled || req.fulfilled == req.amount) revert RwaRedemptions.RequestClosed(did, id);
    if (!req.accepted) revert RwaRedemptions.RequestNotAccepted(did, id);
    uint256 remaining = req.amount - req.fulfilled;
    if (amount > remaining) revert RwaRedemptions.FulfilmentExceedsRequest(id, amount, remaining);
    (bool halted, uint8 reason) = _halted(did);
    if (halted) revert RwaRedemptions.RedemptionsHalted(did, reason);
    uint256 allowance = _allowance(did, req);
    if (amount > allowance) revert RwaRedemptions.FulfilmentExceedsAllowance(id, amount, allowance);
    // amount <= remaining < 2^128, so the cast is exact and fulfilled never passes the locked amount.
    fulfilled = req.fulfilled + uint128(amount);
    r.fulfilled = fulfilled;
    _holdings(did).burnLocked(amount);
  }
}
