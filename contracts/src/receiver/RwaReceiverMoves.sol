// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaReceiverState} from "./RwaReceiverState.sol";

/// @notice How a move ends on a chain (kinds 15 and 16, and the in leg of a settlement): each consumes the move's
/// reference once (see RwaReceiver for the order of the legs).
abstract contract RwaReceiverMoves is RwaReceiverState {
  /// @dev What consumed a move's reference on this chain (0: nothing yet).
  uint8 public constant MOVE_ARRIVED = 1;
  uint8 public constant MOVE_VOIDED = 2;
  uint8 public constant MOVE_RETURNED = 3;

  /// @dev A void only consumes the move here; a return also mints the out leg's units back to the investor.
  function _applyMoveEnd(AttestationCodec.Header memory h, bytes calldata message) internal {
    (bytes32 moveRef, address investor, uint256 amount, uint64 peerChainId) = AttestationCodec.decodeMoveEnd(message);
    if (peerChainId == 0 || peerChainId == block.chainid) revert RwaReceiver.InvalidPeerChain(peerChainId);
    if (investor == address(0)) revert RwaReceiver.InvalidInvestor(investor);
    if (amount == 0) revert RwaReceiver.InvalidAmount(amount);
    uint8 outcome = h.kind == AttestationCodec.KIND_MOVE_VOID ? MOVE_VOIDED : MOVE_RETURNED;
    _settleMove(h.did, moveRef, outcome);
    if (outcome == MOVE_RETURNED) s_dids[h.did].holdings.restore(investor, amount);
    emit RwaReceiver.MoveSettled(h.did, h.nonce, moveRef, outcome, investor, amount, peerChainId);
  }

  function _settleMove(bytes32 did, bytes32 moveRef, uint8 outcome) internal {
    uint8 current = s_moveOutcomes[did][moveRef];
    if (current != 0) revert RwaReceiver.MoveAlreadySettled(did, moveRef, current);
    s_moveOutcomes[did][moveRef] = outcome;
  }
}
