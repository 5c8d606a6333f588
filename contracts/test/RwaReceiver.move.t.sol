// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice Settlement kinds 3 (move out: burn here) and 4 (move in: mint here): the peer chain must be another,
/// non-zero chain; subscriptions and redemptions must name none.
contract RwaReceiverMoveTest is AttestationFixture {
  function setUp() public override {
    super.setUp();
    deliver(subscriptionAtt(alice, 1_000, 1));
  }

  function _expectRevert(SettlementAtt memory a, bytes memory revertData) internal {
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(revertData);
    receiver.receiveMessage(m, sigs);
    assertFalse(receiver.isNonceUsed(DID, a.nonce), "rejected move consumed its nonce");
  }

  function test_receiveMessage_MoveOutBurns() public {
    SettlementAtt memory a = moveOutAtt(alice, 400, 2);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectEmit(true, true, true, true, address(holdings));
    emit IERC20.Transfer(alice, address(0), 400);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.SettlementApplied(DID, 2, alice, MOVE_OUT, a.settlementRef, 400, bytes32(0), PEER_CHAIN_ID);
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.balanceOf(alice), 600);
    assertEq(holdings.totalSupply(), 600);
  }

  function test_receiveMessage_MoveInMints() public {
    SettlementAtt memory a = moveInAtt(bob, 250, 2);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectEmit(true, true, true, true, address(holdings));
    emit IERC20.Transfer(address(0), bob, 250);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.SettlementApplied(DID, 2, bob, MOVE_IN, a.settlementRef, 250, bytes32(0), PEER_CHAIN_ID);
    receiver.receiveMessage(m, sigs);
    assertEq(holdings.balanceOf(bob), 250);
    assertEq(holdings.totalSupply(), 1_250);
  }

  function test_receiveMessage_MoveOutOfRemovedHolder() public {
    // Burns are not gated by the allow-list: a removed holder's units can still leave this chain.
    disallow(alice);
    deliver(moveOutAtt(alice, 1_000, 2));
    assertEq(holdings.totalSupply(), 0);
  }

  function test_RevertWhen_receiveMessage_MoveInToNotAllowListed() public {
    _expectRevert(moveInAtt(stranger, 1, 2), abi.encodeWithSelector(RwaHoldings.NotAllowListed.selector, stranger));
  }

  function test_RevertWhen_receiveMessage_MoveInAboveCap() public {
    setCap(1_100);
    _expectRevert(
      moveInAtt(bob, 101, 2), abi.encodeWithSelector(RwaHoldings.SupplyCapExceeded.selector, 1_000, 101, 1_100)
    );
  }

  function test_RevertWhen_receiveMessage_MoveOutExceedsBalance() public {
    _expectRevert(
      moveOutAtt(alice, 1_001, 2),
      abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 1_000, 1_001)
    );
  }

  function test_RevertWhen_receiveMessage_MoveWithoutPeerChain() public {
    SettlementAtt memory out = moveOutAtt(alice, 1, 2);
    out.peerChainId = 0;
    _expectRevert(out, abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, 0));
    SettlementAtt memory into = moveInAtt(alice, 1, 2);
    into.peerChainId = 0;
    _expectRevert(into, abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, 0));
  }

  function test_RevertWhen_receiveMessage_MoveToThisChain() public {
    uint64 here = uint64(block.chainid);
    SettlementAtt memory out = moveOutAtt(alice, 1, 2);
    out.peerChainId = here;
    _expectRevert(out, abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, here));
    SettlementAtt memory into = moveInAtt(alice, 1, 2);
    into.peerChainId = here;
    _expectRevert(into, abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, here));
  }

  function test_RevertWhen_receiveMessage_SubscriptionOrRedemptionNamesPeerChain() public {
    SettlementAtt memory sub = subscriptionAtt(alice, 1, 2);
    sub.peerChainId = PEER_CHAIN_ID;
    _expectRevert(sub, abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, PEER_CHAIN_ID));
    SettlementAtt memory red = redemptionAtt(alice, 1, 2);
    red.peerChainId = 1;
    _expectRevert(red, abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, 1));
    assertEq(holdings.balanceOf(alice), 1_000);
  }

  function test_RevertWhen_receiveMessage_UnknownSettlementKindNamingPeer() public {
    // Kinds other than 1-4 are not moves, so a peer chain is reported first.
    SettlementAtt memory a = settlementAtt(5, alice, 1, 2);
    a.peerChainId = PEER_CHAIN_ID;
    _expectRevert(a, abi.encodeWithSelector(RwaReceiver.InvalidPeerChain.selector, PEER_CHAIN_ID));
  }

  function test_receiveMessage_MoveBetweenTwoChainsConservesSupply() public {
    // Chain B: its own receiver, deployed and attested on another chain id.
    uint256 chainA = block.chainid;
    vm.chainId(PEER_CHAIN_ID);
    RwaReceiver receiverB = new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL);
    (RwaHoldings holdingsB,) = configure(receiverB, DID, committeeKeys, THRESHOLD);
    vm.chainId(chainA);

    // Move out on A (peer B), then move in on B (peer A), each signed for its own chain and receiver.
    deliver(moveOutAtt(alice, 300, 2));
    SettlementAtt memory moveIn = moveInAtt(alice, 300, 3);
    moveIn.peerChainId = uint64(chainA);
    bytes memory m = encodeSettlement(moveIn);
    vm.chainId(PEER_CHAIN_ID);
    bytes memory sigsB = signSorted(settlementDigest(moveIn, PEER_CHAIN_ID, address(receiverB)), quorumKeys());

    // The same attestation signed for A does not verify on B.
    bytes memory sigsForA = signSorted(settlementDigest(moveIn, chainA, address(receiver)), quorumKeys());
    bytes32 digestOnB = settlementDigest(moveIn, PEER_CHAIN_ID, address(receiverB));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, recoverAt(digestOnB, sigsForA, 0)));
    receiverB.receiveMessage(m, sigsForA);

    receiverB.receiveMessage(m, sigsB);
    assertEq(holdingsB.balanceOf(alice), 300);
    assertEq(holdings.balanceOf(alice), 700);
    assertEq(holdings.totalSupply() + holdingsB.totalSupply(), 1_000);
  }
}
