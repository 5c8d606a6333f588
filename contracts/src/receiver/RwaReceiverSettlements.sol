// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {RwaHoldings} from "../RwaHoldings.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaReceiverMoves} from "./RwaReceiverMoves.sol";
import {RwaReceiverBrakes} from "./RwaReceiverBrakes.sol";
import {BrakeBucket} from "../libraries/BrakeBucket.sol";

/// @notice Apply of the value kinds: settlements (kind 1: mint, burn, move legs) and NAV (kind 2), the only kinds a
/// batch may carry.
abstract contract RwaReceiverSettlements is RwaReceiverMoves, RwaReceiverBrakes {
  /// @param holdings the DID's token (the caller read it with the DID's state).
  function _applySettlement(AttestationCodec.Header memory h, AttestationCodec.Settlement memory s, RwaHoldings holdings)
    internal
  {
    if (s.investor == address(0)) revert RwaReceiver.InvalidInvestor(s.investor);
    if (s.amount == 0) revert RwaReceiver.InvalidAmount(s.amount);
    uint8 k = s.settlementKind;
    bool isMove = k == AttestationCodec.SETTLEMENT_MOVE_OUT || k == AttestationCodec.SETTLEMENT_MOVE_IN;
    if (isMove ? (s.peerChainId == 0 || s.peerChainId == block.chainid) : s.peerChainId != 0) {
      revert RwaReceiver.InvalidPeerChain(s.peerChainId);
    }
    if (k == AttestationCodec.SETTLEMENT_MOVE_IN) _settleMove(h.did, s.settlementRef, MOVE_ARRIVED);
    uint8 direction;
    if (k == AttestationCodec.SETTLEMENT_SUBSCRIPTION || k == AttestationCodec.SETTLEMENT_MOVE_IN) {
      direction = BrakeBucket.MINT;
    } else if (k == AttestationCodec.SETTLEMENT_REDEMPTION || k == AttestationCodec.SETTLEMENT_MOVE_OUT) {
      direction = BrakeBucket.BURN;
    } else {
      revert RwaReceiver.InvalidSettlementKind(k);
    }
    // Brakes: a settlement the direction's bucket cannot take now is queued (its nonce and move are consumed above).
    if (_queuedByBrakes(h.did, h.nonce, direction, s.investor, s.amount, holdings)) return;
    if (direction == BrakeBucket.MINT) holdings.mint(s.investor, s.amount);
    else holdings.burn(s.investor, s.amount);
    emit RwaReceiver.SettlementApplied(h.did, h.nonce, s.investor, k, s.settlementRef, s.amount, s.cashLegRef, s.peerChainId);
  }

  function _applyNav(AttestationCodec.Header memory h, AttestationCodec.Nav memory n) internal {
    uint80 roundId = s_navFeeds[h.did].update(n.nav, n.asOf);
    emit RwaReceiver.NavApplied(h.did, h.nonce, roundId, n.nav, n.asOf);
  }
}
