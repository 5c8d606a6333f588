// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IRwaCurse} from "../interfaces/IRwaCurse.sol";
import {CurseStore} from "../libraries/CurseStore.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaReceiverBrakes} from "./RwaReceiverBrakes.sol";
import {RwaReceiverVerification} from "./RwaReceiverVerification.sol";

/// @notice The chain's emergency stop (CCIP's RMN curse, per receiver). A guardian set fixed at deployment, separate
/// from the committees: any one guardian raises the curse (cheap to raise, so one alert is enough), only
/// `guardianThreshold` of them lift it. While cursed every delivery path reverts `ChainCursed()` and the chain's
/// redemptions module refuses new redemption requests; nothing else changes here.
///
/// Replay: curse and uncurse sign the current epoch (EIP-712 in this receiver's domain, which binds this chain and
/// this contract). An uncurse moves the epoch on, so neither an old curse nor an old uncurse verifies again. A stolen
/// guardian key can curse the new epoch (the design: raising must stay cheap) but never lift a curse alone.
/// Raising and lifting run in RwaBrakesModule by delegatecall (cold paths, kept out of the receiver's runtime); the
/// state lives at a fixed slot (libraries/CurseStore.sol).
abstract contract RwaReceiverCurse is RwaReceiverVerification, RwaReceiverBrakes, IRwaCurse {
  /// @param guardianSet strictly ascending, non-zero; @param quorum 1..guardianSet.length (lifts a curse).
  constructor(address[] memory guardianSet, uint8 quorum) {
    uint256 n = guardianSet.length;
    if (quorum == 0 || quorum > n) revert RwaReceiver.InvalidThreshold(quorum, n);
    CurseStore.Layout storage c = CurseStore.layout();
    address last;
    for (uint256 i; i < n; ++i) {
      address g = guardianSet[i];
      if (g <= last) revert RwaReceiver.SignersNotAscending(i);
      c.guardians[g] = true;
      last = g;
    }
    c.quorum = quorum;
  }

  /// @dev One cold SLOAD on every delivery call (the figure is in contracts/.gas-snapshot).
  modifier whenNotCursed() {
    if (CurseStore.layout().cursed) revert ChainCursed();
    _;
  }

  /// @notice Stop this chain. `signature`: one guardian's 65-byte signature over Curse(chainId, this, curseEpoch()),
  /// submitted by anyone; or empty when a guardian calls itself. Runs in RwaBrakesModule on this call's calldata.
  function curse(bytes calldata signature) external {
    signature;
    _forwardToModule();
  }

  /// @notice Lift the curse: exactly guardianQuorum() 65-byte signatures over Uncurse(chainId, this, curseEpoch()), by
  /// strictly ascending guardians. Moves the epoch on, so every earlier signature is dead. Runs in RwaBrakesModule.
  function uncurse(bytes calldata signatures) external {
    signatures;
    _forwardToModule();
  }

  function cursed() external view returns (bool) {
    return CurseStore.layout().cursed;
  }

  /// @notice The epoch a curse or an uncurse signs now.
  function curseEpoch() external view returns (uint32) {
    return CurseStore.layout().epoch;
  }

  function isGuardian(address account) external view returns (bool) {
    return CurseStore.layout().guardians[account];
  }

  /// @notice How many guardians an uncurse needs.
  function guardianQuorum() external view returns (uint8) {
    return CurseStore.layout().quorum;
  }
}
