// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {MoveEndFixture} from "../../helpers/MoveEndFixture.sol";

/// @notice Moves of alice from the fixture's from-chain to its to-chain, each ended by any interleaving of in-leg,
/// void and return deliveries. The committee's rule is modelled: a return is delivered only when the to-chain shows
/// the move voided. Ghosts: what the out legs burned, what in legs and returns minted.
contract MoveEndHandler is MoveEndFixture {
  uint256 internal constant START = 1_000_000;
  uint256 public moveCount;
  uint256 public ghost_burned;
  uint256 public ghost_minted;
  uint64 internal s_nonce = 2;
  mapping(uint256 id => uint256 amount) public amountOf;

  constructor() {
    setUp();
    deliver(subscriptionAtt(alice, START, 1));
  }

  function startSupply() external pure returns (uint256) {
    return START;
  }

  function moveOut(uint256 amountSeed) external {
    uint256 left = holdings.balanceOf(alice);
    if (left == 0) return;
    uint256 amount = bound(amountSeed, 1, left);
    uint256 id = moveCount++;
    deliver(moveLeg(MOVE_OUT, moveRefOf(id), alice, amount, s_nonce++));
    amountOf[id] = amount;
    ghost_burned += amount;
  }

  function deliverIn(uint256 idSeed) external {
    if (moveCount == 0) return;
    uint256 id = idSeed % moveCount;
    (bool ok,) = tryDeliver(toReceiver, moveLeg(MOVE_IN, moveRefOf(id), alice, amountOf[id], s_nonce++));
    if (ok) ghost_minted += amountOf[id];
  }

  function deliverVoid(uint256 idSeed) external {
    if (moveCount == 0) return;
    uint256 id = idSeed % moveCount;
    tryDeliverAdmin(toReceiver, encodeMoveEnd(KIND_MOVE_VOID, moveRefOf(id), alice, amountOf[id], s_nonce++));
  }

  function deliverReturn(uint256 idSeed) external {
    if (moveCount == 0) return;
    uint256 id = idSeed % moveCount;
    if (toReceiver.moveOutcomeOf(DID, moveRefOf(id)) != toReceiver.MOVE_VOIDED()) return;
    (bool ok,) = tryDeliverAdmin(receiver, encodeMoveEnd(KIND_MOVE_RETURN, moveRefOf(id), alice, amountOf[id], s_nonce++));
    if (ok) ghost_minted += amountOf[id];
  }

  function fromSupply() external view returns (uint256) {
    return holdings.totalSupply();
  }

  function toSupply() external view returns (uint256) {
    return toHoldings.totalSupply();
  }

  function arrived(uint256 id) external view returns (bool) {
    return toReceiver.moveOutcomeOf(DID, moveRefOf(id)) == toReceiver.MOVE_ARRIVED();
  }

  function returned(uint256 id) external view returns (bool) {
    return receiver.moveOutcomeOf(DID, moveRefOf(id)) == receiver.MOVE_RETURNED();
  }
}
