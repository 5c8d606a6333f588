// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaReceiverState} from "./RwaReceiverState.sol";

/// @notice Signer sets that expire (issue 24, point 4). Every signer set (a DID's, and governance's under key 0)
/// carries `signersValidUntil`, unix seconds, packed in its DidState slot (read on every delivery anyway, so the check
/// costs no SLOAD); `didState(did).signersValidUntil` reads it. Past it the set verifies nothing: no settlement, NAV, admin kind or batch root of the DID, and for
/// governance no first config, no revival and no rotation of itself. Only a config revives a DID's expired set, and it
/// is verified by governance (as a first config is); governance has no one above it, so past its end the receiver
/// must be redeployed. A config always sets a new end, which must lie in the future when it applies: a config that
/// arrives after the end it carries reverts (never installs a set that is dead on arrival, and never bricks
/// governance); a config older than the newest applied is superseded before this is checked (RwaReceiverAdmin).
abstract contract RwaReceiverExpiry is RwaReceiverState {
  /// @dev The end is stored in 32 bits (the DidState slot has no more room): unix seconds up to 2106-02-07.
  uint256 internal constant MAX_SIGNERS_VALID_UNTIL = type(uint32).max;

  /// @dev Reverts when the set stored under `key` (loaded in `st`) is past its end. Unset (0): expired.
  /// (_verifyQuorum inlines the same check: it is on every delivery's path.)
  function _requireLive(bytes32 key, RwaReceiver.DidState memory st) internal view {
    if (block.timestamp > st.signersValidUntil) revert RwaReceiver.SignerSetExpired(key, st.signersValidUntil);
  }

  /// @dev The end a new set gets: in the future and storable, else the config reverts.
  function _newValidUntil(bytes32 key, uint64 validUntil) internal view returns (uint32) {
    if (validUntil <= block.timestamp || validUntil > MAX_SIGNERS_VALID_UNTIL) {
      revert RwaReceiver.InvalidSignersValidUntil(key, validUntil);
    }
    return uint32(validUntil);
  }
}
