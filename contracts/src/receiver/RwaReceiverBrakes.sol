// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {BrakeBucket} from "../libraries/BrakeBucket.sol";
import {IRwaBrakes} from "../interfaces/IRwaBrakes.sol";
import {RwaHoldings} from "../RwaHoldings.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaBrakesModule} from "./RwaBrakesModule.sol";
import {RwaReceiverState} from "./RwaReceiverState.sol";

/// @notice Brakes of a DID on this chain (kind 14, docs/brakes.md): a token bucket per direction on settlement amounts
/// (mint = subscription and move in, burn = redemption and move out) with a FIFO queue for what the bucket cannot take
/// now, and an amount line above which a settlement needs exactly `largeThreshold` signatures.
///
/// Bucket: level L <= capacity C, refilled lazily by refillPerSecond r: L(t) = min(C, L(t0) + r * (t - t0)). A
/// settlement of amount a applies when the direction's queue is empty and a <= L (L -= a); otherwise it is queued: its
/// nonce (and a move in's reference) is consumed at queue time, and a burn's units move to this contract then, so the
/// holder cannot move them away. drainQueued applies from the head while the head fits the bucket. So over any window
/// [t0, t1] with unchanged brakes a direction applies at most L(t0) + r * (t1 - t0) <= C + r * (t1 - t0).
/// Here: the settlement path (line and bucket) and the views; kind 14's apply and the drain run in RwaBrakesModule by
/// delegatecall (in this contract's storage), to keep the receiver's runtime small.
abstract contract RwaReceiverBrakes is RwaReceiverState, IRwaBrakes {
  address private immutable i_brakesModule = address(new RwaBrakesModule());

  function _applyBrakes(AttestationCodec.Header memory h, bytes calldata message) internal {
    RwaReceiver.DidState storage st = s_dids[h.did];
    bytes memory ret =
      _delegateBrakes(abi.encodeCall(RwaBrakesModule.applyBrakes, (h.did, h.nonce, message, st.threshold)));
    st.brakes = abi.decode(ret, (uint8));
  }

  /// @notice Apply queued settlements of `did` in `direction` (0 mint, 1 burn) from the head, in order, while the
  /// bucket holds the head's amount (every one once the direction is no longer limited), at most `maxItems`. Anyone
  /// may call. Each applies exactly once: its nonce was consumed when it was queued.
  /// @return applied how many were applied.
  function drainQueued(bytes32 did, uint8 direction, uint256 maxItems) external returns (uint256 applied) {
    RwaReceiver.DidState storage st = s_dids[did];
    bytes memory ret =
      _delegateBrakes(abi.encodeCall(RwaBrakesModule.drain, (did, direction, maxItems, st.holdings)));
    bool idle;
    (applied, idle) = abi.decode(ret, (uint256, bool));
    if (idle) st.brakes &= ~(BrakeBucket.CONSULT_MINT << direction);
  }

  /// @dev Runs this call's calldata in the module (a function of the same selector there) and returns or reverts with
  /// what it returned.
  function _forwardToModule() internal {
    address m = i_brakesModule;
    assembly ("memory-safe") {
      let ptr := mload(0x40)
      calldatacopy(ptr, 0, calldatasize())
      let ok := delegatecall(gas(), m, ptr, calldatasize(), 0, 0)
      returndatacopy(ptr, 0, returndatasize())
      if iszero(ok) { revert(ptr, returndatasize()) }
      return(ptr, returndatasize())
    }
  }

  function _delegateBrakes(bytes memory data) private returns (bytes memory ret) {
    bool ok;
    (ok, ret) = i_brakesModule.delegatecall(data);
    if (!ok) {
      assembly ("memory-safe") {
        revert(add(ret, 0x20), mload(ret))
      }
    }
  }

  /// @dev Signatures a settlement needs: `threshold`, or above the line exactly the large threshold (else reverts).
  function _settlementThreshold(bytes32 did, uint8 brakes, uint8 threshold, bytes calldata message, uint256 sigLength)
    internal
    view
    returns (uint8)
  {
    (uint256 amount, uint256 line) = _amountAndLine(did, message);
    if (amount <= line) return threshold;
    uint8 large = brakes & BrakeBucket.LARGE_THRESHOLD_MASK;
    if (sigLength != uint256(large) * 65) revert LargeAmountNeedsThreshold(amount, line, large);
    return large;
  }

  /// @dev A Merkle batch's root is signed with the normal threshold, so a batch may not carry a settlement above the line.
  function _refuseLargeInBatch(bytes32 did, uint8 large, uint256 settlementKind, uint256 amount) internal view {
    uint256 line = _lineOf(did, settlementKind);
    if (amount > line) revert LargeAmountNeedsThreshold(amount, line, large);
  }

  /// @dev Reads amount and settlementKind straight from calldata, one word each: decodeHeader checked the settlement's
  /// exact length.
  function _amountAndLine(bytes32 did, bytes calldata message) private view returns (uint256 amount, uint256 line) {
    uint256 settlementKind;
    assembly ("memory-safe") {
      amount := calldataload(add(message.offset, 95))
      settlementKind := byte(0, calldataload(add(message.offset, 42)))
    }
    line = _lineOf(did, settlementKind);
  }

  /// @dev The amount line of the settlement kind's direction. Mint: subscription and move in; burn: the rest (an
  /// unknown settlement kind is refused by its apply).
  function _lineOf(bytes32 did, uint256 settlementKind) private view returns (uint256) {
    uint8 direction = settlementKind == AttestationCodec.SETTLEMENT_SUBSCRIPTION
      || settlementKind == AttestationCodec.SETTLEMENT_MOVE_IN ? BrakeBucket.MINT : BrakeBucket.BURN;
    uint256 slot = BrakeBucket.bucketSlot(did, direction);
    uint256 word;
    assembly ("memory-safe") {
      word := sload(slot)
    }
    return BrakeBucket.lineOf(word);
  }

  /// @dev For a direction whose bucket is consulted (DidState.brakes, checked by the caller): takes the amount from
  /// the bucket and returns false (the caller applies), or queues the settlement and returns true (a burn's units move
  /// to this contract now). Its nonce was consumed before.
  function _queuedByBrakes(
    AttestationCodec.Header memory h,
    uint8 direction,
    AttestationCodec.Settlement memory s,
    RwaHoldings holdings
  ) internal returns (bool) {
    bytes32 did = h.did;
    uint256 amount = s.amount;
    // One read and one write of the direction's packed bucket (BrakeBucket.Bucket) on the path that applies.
    uint256 slot = BrakeBucket.bucketSlot(did, direction);
    uint256 word;
    assembly ("memory-safe") {
      word := sload(slot)
    }
    bool limited = uint40(word >> BrakeBucket.CAPACITY_SHIFT) != 0;
    if ((word >> BrakeBucket.QUEUED_SHIFT) & 0xff == 0) {
      if (!limited) return false;
      (uint256 level, uint256 capacity) = BrakeBucket.levelOf(word);
      if (amount <= level) {
        // level - amount < 2^96 and the timestamp < 2^32 replace the low 128 bits; the rest is kept.
        word = (word >> BrakeBucket.QUEUED_SHIFT << BrakeBucket.QUEUED_SHIFT)
          | (block.timestamp << BrakeBucket.LAST_REFILL_SHIFT) | (level - amount);
        assembly ("memory-safe") {
          sstore(slot, word)
        }
        return false;
      }
      if (amount > capacity) revert AmountAboveCapacity(amount, capacity);
      assembly ("memory-safe") {
        sstore(slot, or(word, shl(128, 1)))
      }
    } else if (limited) {
      (, uint256 capacity) = BrakeBucket.levelOf(word);
      if (amount > capacity) revert AmountAboveCapacity(amount, capacity);
    }
    BrakeBucket.Layout storage l = BrakeBucket.layout();
    if (direction == BrakeBucket.BURN) holdings.escrow(s.investor, amount);
    BrakeBucket.Queue storage q = l.queues[did][direction];
    uint64 index = q.tail;
    q.tail = index + 1;
    l.items[did][direction][index] = BrakeBucket.QueuedSettlement({investor: s.investor, nonce: h.nonce, amount: amount});
    emit SettlementQueued(did, h.nonce, direction, index, s.investor, amount);
    return true;
  }

  /// @notice The DID's brakes on this chain as stored (capacity and refill rounded down to ten significant digits at
  /// most), and what each bucket holds now (type(uint256).max when unlimited).
  function brakesOf(bytes32 did)
    external
    view
    returns (
      uint128 mintCapacity,
      uint128 mintRefillPerSecond,
      uint128 burnCapacity,
      uint128 burnRefillPerSecond,
      uint128 largeAmount,
      uint8 largeThreshold,
      uint256 mintAvailable,
      uint256 burnAvailable
    )
  {
    BrakeBucket.Layout storage l = BrakeBucket.layout();
    (mintCapacity, mintRefillPerSecond, mintAvailable) = _bucketOf(l, did, BrakeBucket.MINT);
    (burnCapacity, burnRefillPerSecond, burnAvailable) = _bucketOf(l, did, BrakeBucket.BURN);
    largeAmount = uint128(BrakeBucket.decode(l.buckets[did][BrakeBucket.MINT].largeAmount));
    largeThreshold = s_dids[did].brakes & BrakeBucket.LARGE_THRESHOLD_MASK;
  }

  function _bucketOf(BrakeBucket.Layout storage l, bytes32 did, uint8 direction)
    private
    view
    returns (uint128 capacity, uint128 refill, uint256 available)
  {
    BrakeBucket.Bucket memory bk = l.buckets[did][direction];
    capacity = uint128(BrakeBucket.decode(bk.capacity));
    refill = uint128(BrakeBucket.decode(bk.refillPerSecond));
    available = capacity == 0 ? type(uint256).max : BrakeBucket.refilled(bk);
  }

  /// @notice The queue of `did` in `direction`: items [head, tail) wait, head first.
  function queuedOf(bytes32 did, uint8 direction) external view returns (uint64 head, uint64 tail) {
    BrakeBucket.Queue memory q = BrakeBucket.layout().queues[did][direction];
    return (q.head, q.tail);
  }
}
