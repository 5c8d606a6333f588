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
  /// @dev Capacity and line are stored as uint96 (in the slots a settlement reads).
  uint256 internal constant MAX_AMOUNT = type(uint96).max;

  /// @dev keccak256(abi.encode(uint256(keccak256("rwa.receiver.brakes")) - 1)) & ~bytes32(uint256(0xff))
  bytes32 private constant SLOT = 0x723db6e9f6ca1b7714c3748e7e1876c62fb6516a13f635762b67d8a7e3c58c00;

  /// @dev Hot slot: read and written by every settlement of a consulted direction. level <= capacity; capacity 0 =
  /// unlimited. queued: the direction's queue is not empty (later settlements queue behind it).
  struct Bucket {
    uint96 level;
    uint96 capacity;
    uint32 lastRefill;
    bool queued;
  }

  /// @dev Read with the bucket. The line is the same in both directions (copied to each, so a settlement reads one
  /// slot for it).
  struct Rates {
    uint128 refillPerSecond;
    uint96 largeAmount;
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
    mapping(bytes32 did => mapping(uint8 direction => Rates)) rates;
    mapping(bytes32 did => mapping(uint8 direction => Queue)) queues;
    mapping(bytes32 did => mapping(uint8 direction => mapping(uint64 index => QueuedSettlement))) items;
  }

  function layout() internal pure returns (Layout storage l) {
    bytes32 slot = SLOT;
    assembly ("memory-safe") {
      l.slot := slot
    }
  }

  /// @dev min(capacity, level + refillPerSecond * (now - lastRefill)): the level now, refilled lazily. No overflow:
  /// level < 2^96, the time since < 2^32 and the rate < 2^128.
  function refilled(Bucket memory bk, uint256 refillPerSecond) internal view returns (uint256 level) {
    level = bk.level + (block.timestamp - bk.lastRefill) * refillPerSecond;
    if (level > bk.capacity) level = bk.capacity;
  }
}
