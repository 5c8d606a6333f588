// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice A DID's brakes on one chain as the issuer sets them in the hub registry (RwaDidRegistry.setBrakes), which
/// the oracle carries to that chain as kind 14 (AttestationCodec, docs/brakes-oracle.md). The rule here accepts only
/// brakes every receiver applies (RwaBrakesModule: amounts in 96 bits, the line exact as a decimal float, its
/// threshold in 6 bits) and that can drain.
library HubBrakes {
  /// @dev The receivers' bounds (BrakeBucket.MAX_AMOUNT, LARGE_THRESHOLD_MASK).
  uint256 internal constant MAX_AMOUNT = type(uint96).max;
  uint8 internal constant MAX_LARGE_THRESHOLD = 63;

  /// @notice Amounts in token base units, refills per second. Capacity 0: no limit in that direction. largeAmount 0:
  /// no line (largeThreshold 0); above the line a settlement needs exactly `largeThreshold` signatures.
  struct Brakes {
    uint128 mintCapacity;
    uint128 mintRefillPerSecond;
    uint128 burnCapacity;
    uint128 burnRefillPerSecond;
    uint128 largeAmount;
    uint8 largeThreshold;
  }

  /// @dev direction 0 mint, 1 burn: a bucket with a capacity must refill (else its queue never drains), and a
  /// bucket without one (no limit) carries no refill.
  error InvalidBrakesBucket(uint8 direction, uint128 capacity, uint128 refillPerSecond);
  /// @dev With a line (largeAmount > 0): threshold <= largeThreshold <= min(signerCount, 63); without one: 0.
  error InvalidLargeThreshold(uint128 largeAmount, uint8 largeThreshold, uint8 threshold, uint256 signerCount);
  /// @dev A capacity or the line above what the receivers store.
  error BrakesOutOfRange(uint256 value, uint256 max);
  /// @dev The receivers store the line exactly as a decimal float (BrakeBucket.encode: a mantissa below 2^32 times a
  /// power of ten) and refuse any other.
  error LineNotRepresentable(uint128 largeAmount);

  /// @dev True when `value` is m * 10^e with m < 2^32: what BrakeBucket stores without rounding.
  function isRepresentable(uint256 value) internal pure returns (bool) {
    while (value > type(uint32).max) {
      if (value % 10 != 0) return false;
      value /= 10;
    }
    return true;
  }

  /// @dev Reverts unless `b` is valid for a DID whose set has `threshold` of `signerCount`.
  function check(Brakes calldata b, uint8 threshold, uint256 signerCount) internal pure {
    if (b.mintCapacity > MAX_AMOUNT) revert BrakesOutOfRange(b.mintCapacity, MAX_AMOUNT);
    if (b.burnCapacity > MAX_AMOUNT) revert BrakesOutOfRange(b.burnCapacity, MAX_AMOUNT);
    if (b.largeAmount > MAX_AMOUNT) revert BrakesOutOfRange(b.largeAmount, MAX_AMOUNT);
    if ((b.mintCapacity == 0) != (b.mintRefillPerSecond == 0)) {
      revert InvalidBrakesBucket(0, b.mintCapacity, b.mintRefillPerSecond);
    }
    if ((b.burnCapacity == 0) != (b.burnRefillPerSecond == 0)) {
      revert InvalidBrakesBucket(1, b.burnCapacity, b.burnRefillPerSecond);
    }
    if (!isRepresentable(b.largeAmount)) revert LineNotRepresentable(b.largeAmount);
    bool lineOk = b.largeAmount == 0
      ? b.largeThreshold == 0
      : b.largeThreshold >= threshold && b.largeThreshold <= signerCount && b.largeThreshold <= MAX_LARGE_THRESHOLD;
    if (!lineOk) revert InvalidLargeThreshold(b.largeAmount, b.largeThreshold, threshold, signerCount);
  }
}
