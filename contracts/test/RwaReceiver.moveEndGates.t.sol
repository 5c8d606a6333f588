// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {MoveEndFixture} from "./helpers/MoveEndFixture.sol";

/// @notice Which of the receiver's gates the end of a move passes (issue 18: units never strand). The refusals that
/// make a move come back (investor removed from the list, DID paused, transport quorum unmet on the to-chain) must
/// not also hold its void there, or the units would be on no chain: a void moves no value, so it passes all three.
/// The return mints on the from-chain: it passes the allow-list (the investor held these units there), and waits for a
/// pause to be lifted (a pause stops every mint and burn: the issuer's freeze holds, and the units come back on resume).
contract RwaReceiverMoveEndGatesTest is MoveEndFixture {
  bytes32 internal constant REF = keccak256("E2E-MQ-1");
  uint256 internal constant AMOUNT = 400;
  uint8 internal constant CCTP = 1;
  uint8 internal constant WORMHOLE = 4;
  uint8 internal constant KIND_TRANSPORT_QUORUM = 12;

  address internal wormholeAdapter = makeAddr("wormhole-adapter");

  function setUp() public override {
    super.setUp();
    deliver(subscriptionAtt(alice, 1_000, 1));
    deliver(moveLeg(MOVE_OUT, REF, alice, AMOUNT, 2));
  }

  function _void(uint64 nonce) internal returns (bool ok, bytes memory err) {
    return tryDeliverAdmin(toReceiver, encodeMoveEnd(KIND_MOVE_VOID, REF, alice, AMOUNT, nonce));
  }

  function _return(uint64 nonce) internal returns (bool ok, bytes memory err) {
    return tryDeliverAdmin(receiver, encodeMoveEnd(KIND_MOVE_RETURN, REF, alice, AMOUNT, nonce));
  }

  /// @dev spoke requires 2 of cctp (direct call) and Wormhole (the bound adapter) for the DID; this test contract
  /// deployed `toReceiver`, so it owns its gate.
  function _gateToChain() internal {
    toReceiver.transportQuorum().setAdapter(wormholeAdapter, WORMHOLE);
    bytes memory rule = abi.encodePacked(uint8(1), KIND_TRANSPORT_QUORUM, DID, nextAdminNonce(toReceiver, DID), PEER_CHAIN_ID, uint8(2), CCTP | WORMHOLE);
    (bool ok,) = tryDeliverAdmin(toReceiver, rule);
    assertTrue(ok, "transport quorum applied");
  }

  function _inVia(address caller, uint64 nonce) internal returns (bool ok, bytes memory err) {
    SettlementAtt memory a = moveLeg(MOVE_IN, REF, alice, AMOUNT, nonce);
    vm.chainId(PEER_CHAIN_ID);
    bytes memory sigs = signSorted(settlementDigest(a, PEER_CHAIN_ID, address(toReceiver)), quorumKeys());
    vm.prank(caller);
    (ok, err) = address(toReceiver).call(abi.encodeCall(RwaReceiver.receiveMessage, (encodeSettlement(a), sigs)));
    vm.chainId(FROM_CHAIN);
  }

  function test_receiveMessage_VoidAppliesOnItsFirstArrivalWhileTheInLegsQuorumIsUnmet() public {
    _gateToChain();
    // The in leg arrives over one transport of the two required: recorded, not applied.
    (bool ok,) = _inVia(relayer, 4);
    assertTrue(ok, "first arrival recorded");
    assertFalse(toReceiver.isNonceUsed(DID, 4), "in leg applied on one arrival");
    assertEq(toReceiver.moveOutcomeOf(DID, REF), 0);
    assertEq(toHoldings.balanceOf(alice), 0);
    // The void, over that one transport only, applies at once.
    vm.expectEmit(true, true, true, true, address(toReceiver));
    emit RwaReceiver.MoveSettled(DID, 5, REF, toReceiver.MOVE_VOIDED(), alice, AMOUNT, FROM_CHAIN);
    (ok,) = _void(5);
    assertTrue(ok, "void held by the transport quorum");
    assertTrue(toReceiver.isNonceUsed(DID, 5));
    // The in leg's completing arrival (Wormhole back) now reverts: the move is consumed on the to-chain.
    bytes memory err;
    (ok, err) = _inVia(wormholeAdapter, 4);
    assertFalse(ok, "in leg applied after the void");
    assertEq(err, abi.encodeWithSelector(RwaReceiver.MoveAlreadySettled.selector, DID, REF, toReceiver.MOVE_VOIDED()));
    assertFalse(toReceiver.isNonceUsed(DID, 4));
    assertEq(toHoldings.balanceOf(alice), 0);
    (ok,) = _return(3);
    assertTrue(ok, "return");
    assertEq(holdings.balanceOf(alice), 1_000, "units back on the from-chain");
  }

  function test_receiveMessage_VoidAppliesWithTheInvestorRemovedOnTheToChain() public {
    address[] memory accounts = new address[](1);
    accounts[0] = alice;
    vm.chainId(PEER_CHAIN_ID);
    setAllowed(toReceiver, DID, quorumKeys(), accounts, false);
    vm.chainId(FROM_CHAIN);
    (bool ok, bytes memory err) = tryDeliver(toReceiver, moveLeg(MOVE_IN, REF, alice, AMOUNT, 4));
    assertFalse(ok, "in leg to a removed investor");
    assertEq(err, abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, alice));
    (ok,) = _void(5);
    assertTrue(ok, "void held by the allow-list");
    (ok,) = _return(3);
    assertTrue(ok, "return");
    assertEq(holdings.balanceOf(alice), 1_000);
  }

  function test_receiveMessage_ReturnWaitsForAPauseThenApplies() public {
    (bool ok,) = _void(4);
    assertTrue(ok, "void");
    setPaused(true);
    bytes memory err;
    (ok, err) = _return(5);
    assertFalse(ok, "return minted while paused");
    assertEq(err, abi.encodeWithSelector(RwaHoldings.AssetPaused.selector));
    assertFalse(receiver.isNonceUsed(DID, 5), "refused return consumed its nonce");
    assertEq(receiver.moveOutcomeOf(DID, REF), 0, "refused return consumed the move");
    // The issuer resumes: the same return (the relayer parked it) applies, once.
    setPaused(false);
    (ok,) = _return(5);
    assertTrue(ok, "return after the resume");
    assertEq(receiver.moveOutcomeOf(DID, REF), receiver.MOVE_RETURNED());
    assertEq(holdings.balanceOf(alice), 1_000);
  }
}
