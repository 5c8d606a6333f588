// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Errors and events of the brakes (kind 14), shared by RwaReceiver (receiver/RwaReceiverBrakes.sol) and the
/// module it delegates to (receiver/RwaBrakesModule.sol). Direction 0 mint (subscription, move in), 1 burn
/// (redemption, move out).
interface IRwaBrakes {
  error WrongBrakesChain(uint64 chainId);
  /// @dev largeAmount 0 <=> largeThreshold 0; else threshold <= largeThreshold <= 63.
  error InvalidLargeThreshold(uint256 largeAmount, uint8 largeThreshold, uint8 threshold);
  error BrakesOutOfRange(uint256 value, uint256 max);
  /// @dev The line is stored as a decimal float (mantissa < 2^32 times a power of ten): at most ten significant digits.
  error LineNotRepresentable(uint256 largeAmount);
  error LargeAmountNeedsThreshold(uint256 amount, uint256 line, uint8 threshold);
  error AmountAboveCapacity(uint256 amount, uint256 capacity);
  error InvalidDirection(uint8 direction);
  error NotDelegated();

  event BrakesApplied(
    bytes32 indexed did,
    uint64 indexed nonce,
    uint128 mintCapacity,
    uint128 mintRefillPerSecond,
    uint128 burnCapacity,
    uint128 burnRefillPerSecond,
    uint128 largeAmount,
    uint8 largeThreshold
  );
  event SettlementQueued(
    bytes32 indexed did, uint64 indexed nonce, uint8 direction, uint64 queueIndex, address investor, uint256 amount
  );
  event QueuedSettlementApplied(bytes32 indexed did, uint64 indexed nonce, uint8 direction, uint64 queueIndex);
}
