// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Storage of a receiver's curse at a fixed slot (ERC-7201 namespace "rwa.receiver.curse"), shared by the
/// receiver (its check on every delivery, its views) and RwaBrakesModule (curse and uncurse, run by delegatecall in the
/// receiver's storage), so it depends on neither contract's own layout.
library CurseStore {
  /// @dev keccak256(abi.encode(uint256(keccak256("rwa.receiver.curse")) - 1)) & ~bytes32(uint256(0xff))
  bytes32 private constant SLOT = 0x09035996c301b2de75ee688ff1d46b4bac23e55ef338a4b1c55931a5aae71c00;

  /// @dev cursed, epoch and quorum share the first slot: the one cold read of every delivery.
  struct Layout {
    bool cursed;
    uint32 epoch;
    /// @dev guardians an uncurse needs (set once, at deployment)
    uint8 quorum;
    mapping(address account => bool) guardians;
  }

  function layout() internal pure returns (Layout storage l) {
    bytes32 slot = SLOT;
    assembly ("memory-safe") {
      l.slot := slot
    }
  }
}
