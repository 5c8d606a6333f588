// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {IRwaBrakes} from "../src/interfaces/IRwaBrakes.sol";
import {RwaBrakesModule} from "../src/receiver/RwaBrakesModule.sol";
import {BrakeBucket} from "../src/libraries/BrakeBucket.sol";
import {BrakesFixture} from "./helpers/BrakesFixture.sol";

/// @notice Kind 14 (brakes): its apply and order, the token bucket with its queue, the escrow of queued burns, and the
/// amount line (docs/brakes.md; invariants 20..24 in contracts/test/invariant/BrakesInvariants.t.sol).
contract RwaReceiverBrakesTest is BrakesFixture {
  uint128 internal constant CAP = 1_000e6;
  uint128 internal constant REFILL = 10e6; // per second
  uint128 internal constant LINE = 500e6;

  function _brakesOf()
    internal
    view
    returns (uint128 mintCap, uint128 mintRefill, uint128 burnCap, uint128 burnRefill, uint128 line, uint8 large, uint256 mintAvail, uint256 burnAvail)
  {
    return receiver.brakesOf(DID);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Kind 14
  // ---------------------------------------------------------------------------------------------------------------

  function test_applyBrakes_SetsBucketsAndLine() public {
    BrakesAtt memory b = brakesAtt(CAP, REFILL, 2 * CAP, 2 * REFILL, LINE, LARGE_THRESHOLD);
    vm.expectEmit(address(receiver));
    emit IRwaBrakes.BrakesApplied(DID, b.nonce, CAP, REFILL, 2 * CAP, 2 * REFILL, LINE, LARGE_THRESHOLD);
    deliverAdmin(encodeBrakes(b));
    (uint128 mc, uint128 mr, uint128 bc, uint128 br, uint128 line, uint8 large, uint256 ma, uint256 ba) = _brakesOf();
    assertEq(mc, CAP);
    assertEq(mr, REFILL);
    assertEq(bc, 2 * CAP);
    assertEq(br, 2 * REFILL);
    assertEq(line, LINE);
    assertEq(large, LARGE_THRESHOLD);
    assertEq(ma, CAP, "a new bucket starts full");
    assertEq(ba, 2 * CAP);
    assertEq(receiver.didState(DID).brakes & 0x3f, LARGE_THRESHOLD);
  }

  function test_brakesOf_UnlimitedBeforeAny() public view {
    (uint128 mc,, uint128 bc,,, uint8 large, uint256 ma, uint256 ba) = _brakesOf();
    assertEq(mc + bc + large, 0);
    assertEq(ma, type(uint256).max);
    assertEq(ba, type(uint256).max);
  }

  function test_applyBrakes_OlderIsSuperseded() public {
    BrakesAtt memory older = brakesAtt(CAP, REFILL, 0, 0, 0, 0);
    BrakesAtt memory newer = brakesAtt(2 * CAP, REFILL, 0, 0, 0, 0);
    deliverAdmin(encodeBrakes(newer));
    vm.expectEmit(address(receiver));
    emit RwaReceiver.AdminSuperseded(DID, older.nonce, KIND_BRAKES, newer.nonce);
    deliverAdmin(encodeBrakes(older));
    (uint128 mc,,,,,,,) = _brakesOf();
    assertEq(mc, 2 * CAP);
    assertTrue(receiver.isNonceUsed(DID, older.nonce));
  }

  function test_RevertWhen_applyBrakes_OtherChain() public {
    BrakesAtt memory b = brakesAtt(CAP, REFILL, 0, 0, 0, 0);
    b.chainId = uint64(block.chainid) + 1;
    bytes memory message = encodeBrakes(b);
    bytes memory sigs = adminQuorumSigs(message);
    vm.expectRevert(abi.encodeWithSelector(IRwaBrakes.WrongBrakesChain.selector, b.chainId));
    receiver.receiveMessage(message, sigs);
  }

  function test_RevertWhen_applyBrakes_InvalidLargeThreshold() public {
    _expectBrakesRevert(brakesAtt(CAP, REFILL, 0, 0, LINE, 0), abi.encodeWithSelector(IRwaBrakes.InvalidLargeThreshold.selector, LINE, 0, THRESHOLD));
    _expectBrakesRevert(brakesAtt(CAP, REFILL, 0, 0, 0, 3), abi.encodeWithSelector(IRwaBrakes.InvalidLargeThreshold.selector, 0, 3, THRESHOLD));
    _expectBrakesRevert(brakesAtt(CAP, REFILL, 0, 0, LINE, 1), abi.encodeWithSelector(IRwaBrakes.InvalidLargeThreshold.selector, LINE, 1, THRESHOLD));
    _expectBrakesRevert(brakesAtt(CAP, REFILL, 0, 0, LINE, 64), abi.encodeWithSelector(IRwaBrakes.InvalidLargeThreshold.selector, LINE, 64, THRESHOLD));
  }

  function test_RevertWhen_applyBrakes_OutOfRange() public {
    uint128 tooBig = uint128(type(uint96).max) + 1;
    bytes memory err = abi.encodeWithSelector(IRwaBrakes.BrakesOutOfRange.selector, tooBig, type(uint96).max);
    _expectBrakesRevert(brakesAtt(tooBig, REFILL, 0, 0, 0, 0), err);
    _expectBrakesRevert(brakesAtt(0, 0, tooBig, 0, 0, 0), err);
    _expectBrakesRevert(brakesAtt(0, 0, 0, 0, tooBig, 3), err);
  }

  function test_RevertWhen_applyBrakes_LineNotRepresentable() public {
    uint128 line = 1_234_567_890_123; // 13 significant digits
    _expectBrakesRevert(brakesAtt(CAP, REFILL, 0, 0, line, 3), abi.encodeWithSelector(IRwaBrakes.LineNotRepresentable.selector, line));
  }

  function test_applyBrakes_RoundsCapacityAndRefillDown() public {
    setBrakes(1_234_567_890_123, 9_876_543_210_987, 0, 0, 0, 0);
    (uint128 mc, uint128 mr,,,,, uint256 ma,) = _brakesOf();
    assertEq(mc, 1_234_567_890_000);
    assertEq(mr, 9_876_543_210_000, "9 digits: 9,876,543,210 is above 2^32");
    assertEq(ma, mc, "starts full at the stored capacity");
  }

  /// @dev The stored form never exceeds the value, loses less than one part in 4.29e8, and is exact for values with
  /// at most nine significant digits.
  function testFuzz_decimal40_RoundsDownWithinNineDigits(uint128 value, uint32 mantissa, uint8 exponent) public pure {
    uint256 stored = BrakeBucket.decode(BrakeBucket.encode(value));
    assertLe(stored, value);
    assertLe(value - stored, value / 429_496_729);
    uint256 round = uint256(mantissa % 1e9) * 10 ** bound(exponent, 0, 29);
    assertEq(BrakeBucket.decode(BrakeBucket.encode(round)), round);
  }

  function _expectBrakesRevert(BrakesAtt memory b, bytes memory err) internal {
    bytes memory message = encodeBrakes(b);
    bytes memory sigs = adminQuorumSigs(message);
    vm.expectRevert(err);
    receiver.receiveMessage(message, sigs);
  }

  function test_RevertWhen_module_CalledDirectly() public {
    RwaBrakesModule module = new RwaBrakesModule();
    vm.expectRevert(IRwaBrakes.NotDelegated.selector);
    module.drain(DID, 0, 1, holdings);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bucket and queue
  // ---------------------------------------------------------------------------------------------------------------

  function test_settlement_WithinBucketApplies() public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    deliver(subscriptionAtt(alice, 600e6, 1));
    assertEq(holdings.balanceOf(alice), 600e6);
    (,,,,,, uint256 avail,) = _brakesOf();
    assertEq(avail, 400e6);
    vm.warp(block.timestamp + 10);
    (,,,,,, avail,) = _brakesOf();
    assertEq(avail, 500e6, "refilled 10 s x 10e6");
    vm.warp(block.timestamp + 1 days);
    (,,,,,, avail,) = _brakesOf();
    assertEq(avail, CAP, "never above capacity");
  }

  function test_settlement_OverBucketQueuesThenDrainsInOrder() public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    deliver(subscriptionAtt(alice, 800e6, 1));
    vm.expectEmit(address(receiver));
    emit IRwaBrakes.SettlementQueued(DID, 2, MINT, 0, bob, 300e6);
    deliver(subscriptionAtt(bob, 300e6, 2));
    assertEq(holdings.balanceOf(bob), 0);
    assertTrue(receiver.isNonceUsed(DID, 2), "nonce consumed at queue time");
    // 100 would fit the bucket (200 left), but it queues behind bob: order.
    deliver(subscriptionAtt(carol, 100e6, 3));
    assertEq(holdings.balanceOf(carol), 0);
    assertEq(queueLength(MINT), 2);

    // Nothing fits yet: bob's 300 needs 100 more.
    assertEq(receiver.drainQueued(DID, MINT, 10), 0);
    vm.warp(block.timestamp + 10);
    vm.expectEmit(address(receiver));
    emit IRwaBrakes.QueuedSettlementApplied(DID, 2, MINT, 0);
    vm.prank(stranger);
    assertEq(receiver.drainQueued(DID, MINT, 10), 1, "bob only: carol's 100 needs 100 more");
    assertEq(holdings.balanceOf(bob), 300e6);
    vm.warp(block.timestamp + 10);
    assertEq(receiver.drainQueued(DID, MINT, 10), 1);
    assertEq(holdings.balanceOf(carol), 100e6);
    assertEq(queueLength(MINT), 0);
    // The queue is empty: a settlement that fits applies directly again.
    vm.warp(block.timestamp + 1);
    deliver(subscriptionAtt(alice, 1e6, 4));
    assertEq(holdings.balanceOf(alice), 801e6);
  }

  function test_queued_AppliesExactlyOnce() public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    deliver(subscriptionAtt(alice, CAP, 1));
    SettlementAtt memory a = subscriptionAtt(bob, 10e6, 2);
    deliver(a);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, 2));
    receiver.receiveMessage(message, sigs);
    vm.warp(block.timestamp + 1 days);
    assertEq(receiver.drainQueued(DID, MINT, 10), 1);
    assertEq(receiver.drainQueued(DID, MINT, 10), 0);
    assertEq(holdings.balanceOf(bob), 10e6);
  }

  function test_queuedMoveIn_ConsumesTheMoveSoAVoidCannotApply() public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    deliver(subscriptionAtt(alice, CAP, 1));
    SettlementAtt memory leg = moveInAtt(bob, 10e6, 2);
    deliver(leg);
    assertEq(queueLength(MINT), 1);
    assertEq(receiver.moveOutcomeOf(DID, leg.settlementRef), receiver.MOVE_ARRIVED());
    bytes memory voidMessage = abi.encodePacked(uint8(1), uint8(15), DID, uint64(3), leg.settlementRef, bob, uint256(10e6), PEER_CHAIN_ID);
    bytes memory sigs = adminQuorumSigs(voidMessage);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.MoveAlreadySettled.selector, DID, leg.settlementRef, receiver.MOVE_ARRIVED()));
    receiver.receiveMessage(voidMessage, sigs);
    vm.warp(block.timestamp + 1);
    assertEq(receiver.drainQueued(DID, MINT, 1), 1);
    assertEq(holdings.balanceOf(bob), 10e6);
  }

  function test_drainQueued_RespectsMaxItems() public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    deliver(subscriptionAtt(alice, CAP, 1));
    for (uint64 n = 2; n < 6; ++n) {
      deliver(subscriptionAtt(bob, 1e6, n));
    }
    vm.warp(block.timestamp + 1 days);
    assertEq(receiver.drainQueued(DID, MINT, 3), 3);
    assertEq(queueLength(MINT), 1);
    assertEq(receiver.drainQueued(DID, MINT, 3), 1);
  }

  function test_queuedBurn_EscrowsUnitsSoTheHolderCannotMoveThem() public {
    deliver(subscriptionAtt(alice, 1_000e6, 1));
    setBrakes(0, 0, 500e6, 1e6, 0, 0);
    deliver(redemptionAtt(alice, 100e6, 2));
    deliver(redemptionAtt(alice, 500e6, 3));
    assertEq(queueLength(BURN), 1);
    assertEq(holdings.balanceOf(alice), 400e6, "the queued burn's units left the holder");
    assertEq(holdings.balanceOf(address(receiver)), 500e6, "escrowed in the receiver");
    // The holder cannot take them back: all she holds is the rest.
    vm.prank(alice);
    vm.expectRevert();
    holdings.transfer(bob, 401e6);
    assertEq(receiver.drainQueued(DID, BURN, 1), 0, "400 left, 500 asked");
    vm.warp(block.timestamp + 100);
    assertEq(receiver.drainQueued(DID, BURN, 1), 1);
    assertEq(holdings.balanceOf(address(receiver)), 0);
    assertEq(holdings.totalSupply(), 400e6);
  }

  function test_RevertWhen_queuedBurn_HolderLacksUnits() public {
    deliver(subscriptionAtt(alice, 50e6, 1));
    setBrakes(0, 0, 10e6, 1, 0, 0);
    deliver(redemptionAtt(alice, 10e6, 2)); // fits: burns directly, 40 left
    SettlementAtt memory b = redemptionAtt(alice, 41e6, 3);
    bytes memory message = encodeSettlement(b);
    bytes memory sigs = quorumSigs(b);
    vm.expectRevert();
    receiver.receiveMessage(message, sigs);
    assertFalse(receiver.isNonceUsed(DID, 3), "nothing consumed: the relayer may retry");
  }

  function test_RevertWhen_settlement_AboveCapacity() public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    SettlementAtt memory a = subscriptionAtt(alice, CAP + 1, 1);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(IRwaBrakes.AmountAboveCapacity.selector, CAP + 1, CAP));
    receiver.receiveMessage(message, sigs);
  }

  function test_liftedLimit_QueueStillDrainsFirst() public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    deliver(subscriptionAtt(alice, CAP, 1));
    deliver(subscriptionAtt(bob, 10e6, 2));
    setBrakes(0, 0, 0, 0, 0, 0);
    deliver(subscriptionAtt(carol, 10e6, 3));
    assertEq(holdings.balanceOf(carol), 0, "behind bob");
    assertEq(receiver.drainQueued(DID, MINT, 10), 2);
    assertEq(holdings.balanceOf(bob), 10e6);
    assertEq(holdings.balanceOf(carol), 10e6);
    assertEq(receiver.didState(DID).brakes, 0, "the bucket is no longer consulted");
    deliver(subscriptionAtt(carol, 5 * CAP, 4));
    assertEq(holdings.balanceOf(carol), 5 * CAP + 10e6);
  }

  function test_RevertWhen_drainQueued_InvalidDirection() public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    deliver(subscriptionAtt(alice, CAP, 1));
    deliver(subscriptionAtt(bob, 10e6, 2));
    vm.expectRevert(abi.encodeWithSelector(IRwaBrakes.InvalidDirection.selector, 2));
    receiver.drainQueued(DID, 2, 1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Amount line
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_largeAmount_SignedWithTheLowerThreshold() public {
    setBrakes(0, 0, 0, 0, LINE, LARGE_THRESHOLD);
    SettlementAtt memory a = subscriptionAtt(alice, LINE + 1, 1);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.expectRevert(abi.encodeWithSelector(IRwaBrakes.LargeAmountNeedsThreshold.selector, LINE + 1, LINE, LARGE_THRESHOLD));
    receiver.receiveMessage(message, sigs);
    deliverLarge(a);
    assertEq(holdings.balanceOf(alice), LINE + 1);
  }

  function test_largeLine_AtTheLineNeedsTheNormalThreshold() public {
    setBrakes(0, 0, 0, 0, LINE, LARGE_THRESHOLD);
    SettlementAtt memory a = subscriptionAtt(alice, LINE, 1);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = signSorted(digestOf(a), committeeKeys);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, 3 * 65, 2 * 65));
    receiver.receiveMessage(message, sigs);
    deliver(a);
    assertEq(holdings.balanceOf(alice), LINE);
  }

  function test_RevertWhen_receiveBatch_CarriesALargeItem() public {
    setBrakes(0, 0, 0, 0, LINE, LARGE_THRESHOLD);
    bytes[] memory messages = new bytes[](2);
    messages[0] = encodeSettlement(subscriptionAtt(alice, 1e6, 1));
    messages[1] = encodeSettlement(subscriptionAtt(bob, LINE + 1, 2));
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bytes memory sigs = batchQuorumSigs(root);
    vm.expectRevert(abi.encodeWithSelector(IRwaBrakes.LargeAmountNeedsThreshold.selector, LINE + 1, LINE, LARGE_THRESHOLD));
    receiver.receiveBatch(DID, root, sigs, packItems(messages), proofs);
  }

  function testFuzz_line_ExactThresholdOnEachSide(uint256 amount, bool allThree) public {
    amount = bound(amount, 1, 4 * uint256(LINE));
    setBrakes(0, 0, 0, 0, LINE, LARGE_THRESHOLD);
    SettlementAtt memory a = subscriptionAtt(alice, amount, 1);
    bytes memory sigs = signSorted(digestOf(a), allThree ? committeeKeys : quorumKeys());
    (bool ok,) = address(receiver).call(abi.encodeCall(RwaReceiver.receiveMessage, (encodeSettlement(a), sigs)));
    assertEq(ok, allThree == (amount > LINE));
    assertEq(holdings.balanceOf(alice), ok ? amount : 0);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fuzz: the bucket bound
  // ---------------------------------------------------------------------------------------------------------------

  /// @dev Random amounts at random times: what applies between the first and last step is at most C + r * elapsed.
  function testFuzz_bucket_WindowBound(uint256 seed) public {
    setBrakes(CAP, REFILL, 0, 0, 0, 0);
    uint256 start = block.timestamp;
    uint256 applied;
    for (uint64 i = 1; i <= 24; ++i) {
      uint256 r = uint256(keccak256(abi.encode(seed, i)));
      vm.warp(block.timestamp + (r % 40));
      uint256 before = holdings.totalSupply();
      deliver(subscriptionAtt(alice, 1 + (r >> 16) % CAP, i));
      if (r % 3 == 0) receiver.drainQueued(DID, MINT, 1 + (r >> 8) % 4);
      applied += holdings.totalSupply() - before;
      assertLe(applied, uint256(CAP) + uint256(REFILL) * (block.timestamp - start), "bucket bound");
    }
  }
}
