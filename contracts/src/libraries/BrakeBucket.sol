// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Storage of the brakes (kind 14) per DID and direction, shared by the receiver (settlement path) and
/// RwaBrakesModule (apply of kind 14, drain), which runs by delegatecall in the receiver's storage. It lives at a fixed
/// slot (ERC-7201 namespace "rwa.receiver.brakes"), so it depends on neither contract's own layout. docs/brakes.md.
library BrakeBucket {
  uint8 internal constant MINT = 0;
  uint8 internal constant BURN = 1;
  /// @dev RwaReceiver.DidState.brakes: bits 0..5 the large threshold (0: no line); bit 6 (mint) and bit 7 (burn): the
  /// direction's bucket must be consulted (it is limited, or its queue is not empty).
  uint8 internal constant LARGE_THRESHOLD_MASK = 0x3f;
  uint8 internal constant CONSULT_MINT = 0x40;
  /// @dev The level is stored exactly as uint96, so capacity and line may not exceed it.
  uint256 internal constant MAX_AMOUNT = type(uint96).max;

  /// @dev keccak256(abi.encode(uint256(keccak256("rwa.receiver.brakes")) - 1)) & ~bytes32(uint256(0xff))
  bytes32 private constant SLOT = 0x723db6e9f6ca1b7714c3748e7e1876c62fb6516a13f635762b67d8a7e3c58c00;

  /// @dev One slot per (DID, direction), read (and written) by every settlement of a consulted direction: all a
  /// settlement needs. level exact, <= capacity; capacity, refillPerSecond and largeAmount as decimal floats
  /// (Decimal40: mantissa < 2^32 times 10^exponent). capacity 0 = unlimited. queued: the direction's queue is not
  /// empty (later settlements queue behind it). The line is the same in both directions (copied to each).
  struct Bucket {
    uint96 level;
    uint32 lastRefill;
    bool queued;
    uint40 capacity;
    uint40 refillPerSecond;
    uint40 largeAmount;
  }

  /// @dev Items [head, tail) wait, head first.
  struct Queue {
    uint64 head;
    uint64 tail;
  }

  struct QueuedSettlement {
    address investor;
    uint64 nonce;
    uint256 amount;
  }

  struct Layout {
    mapping(bytes32 did => mapping(uint8 direction => Bucket)) buckets;
    mapping(bytes32 did => mapping(uint8 direction => Queue)) queues;
    mapping(bytes32 did => mapping(uint8 direction => mapping(uint64 index => QueuedSettlement))) items;
  }

  function layout() internal pure returns (Layout storage l) {
    bytes32 slot = SLOT;
    assembly ("memory-safe") {
      l.slot := slot
    }
  }

  /// @dev Decimal40: the low 8 bits the exponent, the high 32 the mantissa. Rounds down to the mantissa's significant
  /// digits (at most ten; capacity and refill so never exceed the attested value; the caller checks a line is exact).
  function encode(uint256 value) internal pure returns (uint40) {
    uint256 e;
    while (value > type(uint32).max) {
      value /= 10;
      ++e;
    }
    return uint40((value << 8) | e);
  }

  /// @dev No overflow: encode makes the exponent at most 30 (inputs < 2^128), so the value is below 2^32 * 10^30.
  function decode(uint40 d) internal pure returns (uint256 value) {
    assembly ("memory-safe") {
      // Inline assembly sees a uint40 with possibly dirty high bits: clean them first.
      d := and(d, 0xffffffffff)
      value := mul(shr(8, d), exp(10, and(d, 0xff)))
    }
  }

  /// @dev Bit offsets of Bucket's fields in its slot (Solidity packs the first member lowest).
  uint256 internal constant LAST_REFILL_SHIFT = 96;
  uint256 internal constant QUEUED_SHIFT = 128;
  uint256 internal constant CAPACITY_SHIFT = 136;
  uint256 internal constant REFILL_SHIFT = 176;
  uint256 internal constant LINE_SHIFT = 216;

  /// @dev The storage slot of layout().buckets[did][direction], for the settlement path's one read and one write.
  function bucketSlot(bytes32 did, uint8 direction) internal pure returns (uint256 slot) {
    bytes32 base = SLOT;
    assembly ("memory-safe") {
      mstore(0x00, did)
      mstore(0x20, base)
      mstore(0x20, keccak256(0x00, 0x40))
      mstore(0x00, direction)
      slot := keccak256(0x00, 0x40)
    }
  }

  /// @dev The line of a packed bucket word.
  function lineOf(uint256 word) internal pure returns (uint256) {
    return decode(uint40(word >> LINE_SHIFT));
  }

  /// @dev refilled() of a packed bucket word with a non-zero capacity, and that capacity.
  function levelOf(uint256 word) internal view returns (uint256 level, uint256 capacity) {
    capacity = decode(uint40(word >> CAPACITY_SHIFT));
    unchecked {
      // < 2^96 + 2^32 * 2^128: no overflow.
      level = uint96(word) + (block.timestamp - uint32(word >> LAST_REFILL_SHIFT)) * decode(uint40(word >> REFILL_SHIFT));
    }
    if (level > capacity) level = capacity;
  }

  /// @dev min(capacity, level + refillPerSecond * (now - lastRefill)): the level now, refilled lazily. No overflow:
  /// level < 2^96, the time since < 2^32, the rate < 2^128 (a Decimal40 of at most MAX_AMOUNT-sized inputs).
  function refilled(Bucket memory bk) internal view returns (uint256 level) {
    uint256 capacity = decode(bk.capacity);
    level = bk.level + (block.timestamp - bk.lastRefill) * decode(bk.refillPerSecond);
    if (level > capacity) level = capacity;
  }
}
