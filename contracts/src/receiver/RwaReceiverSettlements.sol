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
  /// @param st the DID's state (the caller read it before the verification): its token and brakes flags.
  function _applySettlement(
    AttestationCodec.Header memory h,
    AttestationCodec.Settlement memory s,
    RwaReceiver.DidState memory st
  ) internal {
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
    if (st.brakes & (BrakeBucket.CONSULT_MINT << direction) != 0 && _queuedByBrakes(h, direction, s, st.holdings)) return;
    _moveUnits(st.holdings, direction == BrakeBucket.MINT ? RwaHoldings.mint.selector : RwaHoldings.burn.selector, s);
    emit RwaReceiver.SettlementApplied(h.did, h.nonce, s.investor, k, s.settlementRef, s.amount, s.cashLegRef, s.peerChainId);
  }

  /// @dev holdings.mint or holdings.burn of the settlement's investor and amount, reverting with the token's revert data.
  /// A plain call: the token is a contract the factory created when the DID was configured, so the code-size check of
  /// a high-level call (an EXTCODESIZE before the CALL) would only cost gas.
  function _moveUnits(RwaHoldings holdings, bytes4 selector, AttestationCodec.Settlement memory s) private {
    address investor = s.investor;
    uint256 amount = s.amount;
    assembly ("memory-safe") {
      let m := mload(0x40)
      mstore(m, selector)
      mstore(add(m, 0x04), investor)
      mstore(add(m, 0x24), amount)
      if iszero(call(gas(), holdings, 0, m, 0x44, 0x00, 0x00)) {
        returndatacopy(m, 0x00, returndatasize())
        revert(m, returndatasize())
      }
    }
  }

  function _applyNav(AttestationCodec.Header memory h, AttestationCodec.Nav memory n) internal {
    uint80 roundId = s_navFeeds[h.did].update(n.nav, n.asOf);
    emit RwaReceiver.NavApplied(h.did, h.nonce, roundId, n.nav, n.asOf);
  }
}
