// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Errors and events of a receiver's curse, shared by RwaReceiver (receiver/RwaReceiverCurse.sol: the check on
/// every delivery and the views) and the module it delegates raising and lifting to (receiver/RwaBrakesModule.sol).
interface IRwaCurseEvents {
  error ChainCursed();
  error NotCursed(uint32 epoch);
  error AlreadyCursed(uint32 epoch);
  error NotGuardian(address account);

  /// @param epoch the epoch the guardian signed (the one in force).
  event Cursed(address indexed guardian, uint32 epoch);
  /// @param epoch the epoch lifted (the one its Cursed named); the next curse signs epoch + 1.
  event Uncursed(uint32 epoch);
}

/// @notice Raising and lifting a receiver's curse: RwaReceiver's two entry points, which run in RwaBrakesModule (their
/// code stays out of the receiver's runtime).
interface IRwaCurse is IRwaCurseEvents {
  /// @notice Stop this chain. `signature`: one guardian's 65-byte signature over Curse(chainId, receiver,
  /// curseEpoch()), submitted by anyone; or empty when a guardian calls itself.
  function curse(bytes calldata signature) external;

  /// @notice Lift the curse: exactly guardianQuorum() 65-byte signatures over Uncurse(chainId, receiver, curseEpoch()),
  /// by strictly ascending guardians. Moves the epoch on, so every earlier signature is dead.
  function uncurse(bytes calldata signatures) external;
}
