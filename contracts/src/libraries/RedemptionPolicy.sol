// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice A DID's redemption gate: the issuer sets it in the hub registry, the committee carries it to every chain
/// (AttestationCodec kind 9), and both sides accept exactly the same values.
library RedemptionPolicy {
  /// @dev Default thresholds and window of the research's trigger matrix, in force until a policy arrives.
  uint16 internal constant DEFAULT_STAGE_B_BPS = 100; // 1 % of the pool per day
  uint16 internal constant DEFAULT_STAGE_C_BPS = 300; // 3 %
  uint8 internal constant DEFAULT_INSTALMENTS = 7;
  uint32 internal constant DEFAULT_WINDOW_SECONDS = 7 days;
  uint16 internal constant MAX_BPS = 10_000;

  struct Policy {
    uint16 stageBBps;
    uint16 stageCBps;
    uint8 instalments;
    uint32 windowSeconds;
    bool emergency;
  }

  /// @dev 0 < stageBBps <= stageCBps <= 10000, at least one instalment and at least one second per instalment
  /// (so `windowSeconds / instalments`, the length of an instalment, is never zero).
  function isValid(Policy memory p) internal pure returns (bool) {
    return p.stageBBps != 0 && p.stageBBps <= p.stageCBps && p.stageCBps <= MAX_BPS && p.instalments != 0
      && p.windowSeconds >= p.instalments;
  }

  function defaults() internal pure returns (Policy memory) {
    return Policy({
      stageBBps: DEFAULT_STAGE_B_BPS,
      stageCBps: DEFAULT_STAGE_C_BPS,
      instalments: DEFAULT_INSTALMENTS,
      windowSeconds: DEFAULT_WINDOW_SECONDS,
      emergency: false
    });
  }
}
