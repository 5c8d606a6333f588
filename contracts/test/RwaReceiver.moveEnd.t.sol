// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {MoveEndFixture} from "./helpers/MoveEndFixture.sol";

/// @notice The end of a move (kinds 15 void, 16 return, and the in leg's consumption of the move reference): on the
/// to-chain an in leg and a void exclude each other whichever comes first; on the from-chain a return applies once
/// and mints the burned units back. The committee's rule (sign a return only after the void applied on the to-chain)
/// is modelled by `_returnIfVoided`.
contract RwaReceiverMoveEndTest is MoveEndFixture {
  bytes32 internal constant REF = keccak256("E2E-MOVE-1");
  uint256 internal constant AMOUNT = 400;

  function setUp() public override {
    super.setUp();
    deliver(subscriptionAtt(alice, 1_000, 1));
    deliver(moveLeg(MOVE_OUT, REF, alice, AMOUNT, 2));
  }

  function _in(uint64 nonce) internal returns (bool ok, bytes memory err) {
    return tryDeliver(toReceiver, moveLeg(MOVE_IN, REF, alice, AMOUNT, nonce));
  }

  function _void(uint64 nonce) internal returns (bool ok, bytes memory err) {
    return tryDeliverAdmin(toReceiver, encodeMoveEnd(KIND_MOVE_VOID, REF, alice, AMOUNT, nonce));
  }

  function _return(uint64 nonce) internal returns (bool ok, bytes memory err) {
    return tryDeliverAdmin(receiver, encodeMoveEnd(KIND_MOVE_RETURN, REF, alice, AMOUNT, nonce));
  }

  /// @dev What the committee does: a return is signed (and so can be delivered) only once the void applied.
  function _returnIfVoided(uint64 nonce) internal returns (bool) {
    if (toReceiver.moveOutcomeOf(DID, REF) != toReceiver.MOVE_VOIDED()) return false;
    (bool ok,) = _return(nonce);
    return ok;
  }

  function _alreadySettled(bytes32 ref, uint8 outcome) internal pure returns (bytes memory) {
    return abi.encodeWithSelector(RwaReceiver.MoveAlreadySettled.selector, DID, ref, outcome);
  }

  function test_receiveMessage_InLegConsumesTheMove() public {
    (bool ok,) = _in(3);
    assertTrue(ok, "in leg");
    assertEq(toReceiver.moveOutcomeOf(DID, REF), toReceiver.MOVE_ARRIVED());
    assertEq(toHoldings.balanceOf(alice), AMOUNT);
  }

  function test_RevertWhen_receiveMessage_VoidAfterInLeg() public {
    _in(3);
    (bool ok, bytes memory err) = _void(4);
    assertFalse(ok, "void applied after the in leg");
    assertEq(err, _alreadySettled(REF, 1));
    assertFalse(toReceiver.isNonceUsed(DID, 4), "refused void consumed its nonce");
    assertFalse(_returnIfVoided(5), "return signed without a void");
    assertEq(holdings.balanceOf(alice), 1_000 - AMOUNT);
  }

  function test_receiveMessage_VoidThenReturnMintsBack() public {
    vm.chainId(PEER_CHAIN_ID);
    bytes memory voidMsg = encodeMoveEnd(KIND_MOVE_VOID, REF, alice, AMOUNT, 4);
    bytes memory sigs = adminSigs(toReceiver, voidMsg, quorumKeys());
    vm.expectEmit(true, true, true, true, address(toReceiver));
    emit RwaReceiver.MoveSettled(DID, 4, REF, 2, alice, AMOUNT, FROM_CHAIN);
    toReceiver.receiveMessage(voidMsg, sigs);
    vm.chainId(FROM_CHAIN);

    bytes memory retMsg = encodeMoveEnd(KIND_MOVE_RETURN, REF, alice, AMOUNT, 5);
    sigs = adminSigs(receiver, retMsg, quorumKeys());
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.MoveSettled(DID, 5, REF, 3, alice, AMOUNT, PEER_CHAIN_ID);
    receiver.receiveMessage(retMsg, sigs);
    assertEq(holdings.balanceOf(alice), 1_000);
    assertEq(receiver.moveOutcomeOf(DID, REF), receiver.MOVE_RETURNED());
  }

  function test_RevertWhen_receiveMessage_InLegAfterVoid() public {
    _void(3);
    (bool ok, bytes memory err) = _in(4);
    assertFalse(ok, "in leg applied after the void");
    assertEq(err, _alreadySettled(REF, 2));
    assertEq(toHoldings.balanceOf(alice), 0);
    assertTrue(_returnIfVoided(5), "return");
    assertEq(holdings.balanceOf(alice) + toHoldings.balanceOf(alice), 1_000);
  }

  function test_RevertWhen_receiveMessage_ReturnTwice() public {
    _void(3);
    assertTrue(_returnIfVoided(4));
    (bool ok, bytes memory err) = _return(5);
    assertFalse(ok, "second return");
    assertEq(err, _alreadySettled(REF, 3));
    assertEq(holdings.balanceOf(alice), 1_000);
  }

  function test_RevertWhen_receiveMessage_VoidNamesThisChain() public {
    bytes memory m = abi.encodePacked(uint8(1), KIND_MOVE_VOID, DID, uint64(3), REF, alice, AMOUNT, PEER_CHAIN_ID);
    (bool ok, bytes memory err) = tryDeliverAdmin(toReceiver, m);
    assertFalse(ok);
    assertEq(err, abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, PEER_CHAIN_ID));
  }

  function test_RevertWhen_receiveMessage_ReturnOfZero() public {
    (bool ok, bytes memory err) = tryDeliverAdmin(receiver, encodeMoveEnd(KIND_MOVE_RETURN, REF, alice, 0, 3));
    assertFalse(ok);
    assertEq(err, abi.encodeWithSelector(RwaReceiver.InvalidAmount.selector, 0));
  }

  function test_receiveMessage_VoidAppliesWhilePaused() public {
    vm.chainId(PEER_CHAIN_ID);
    deliverAdminTo(toReceiver, encodePause(PauseAtt({did: DID, nonce: nextAdminNonce(toReceiver, DID), paused: true})));
    vm.chainId(FROM_CHAIN);
    (bool ok,) = _void(3);
    assertTrue(ok, "a void moves no value: a pause does not hold it");
  }

  function deliverAdminTo(RwaReceiver r, bytes memory message) internal {
    r.receiveMessage(message, adminSigs(r, message, quorumKeys()));
  }

  /// @dev Any interleaving of in-leg, void and return attempts: never both the in leg and the return, and the units
  /// are always in exactly one place once the move ended (burned on the from-chain, minted on one chain).
  function testFuzz_receiveMessage_InAndReturnNeverBoth(uint8[8] memory steps) public {
    uint64 nonce = 3;
    for (uint256 i; i < steps.length; ++i) {
      uint8 step = steps[i] % 3;
      if (step == 0) _in(nonce);
      else if (step == 1) _void(nonce);
      else _returnIfVoided(nonce);
      ++nonce;
    }
    bool arrived = toReceiver.moveOutcomeOf(DID, REF) == toReceiver.MOVE_ARRIVED();
    bool returned = receiver.moveOutcomeOf(DID, REF) == receiver.MOVE_RETURNED();
    assertFalse(arrived && returned, "in leg and return both applied");
    uint256 total = holdings.totalSupply() + toHoldings.totalSupply();
    assertEq(total, arrived || returned ? 1_000 : 1_000 - AMOUNT, "supply over both chains");
  }

  function test_receiveMessage_ReturnToAnInvestorRemovedFromTheList() public {
    // The issuer removed alice everywhere after the move: the return still gives her units back (like a burn, it is
    // not gated by the list), while the in leg on the to-chain would be refused.
    disallow(alice);
    _void(3);
    assertTrue(_returnIfVoided(4), "return to a removed investor");
    assertEq(holdings.balanceOf(alice), 1_000);
  }

  function test_RevertWhen_receiveMessage_ReturnWhilePaused() public {
    _void(3);
    setPaused(true);
    (bool ok, bytes memory err) = _return(4);
    assertFalse(ok, "return applied while paused");
    assertEq(err, abi.encodeWithSelector(RwaHoldings.AssetPaused.selector));
  }
}
