// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Eip712Attestation} from "../libraries/Eip712Attestation.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaReceiverVerification} from "./RwaReceiverVerification.sol";

/// @notice The chain's emergency stop (CCIP's RMN curse, per receiver). A guardian set fixed at deployment, separate
/// from the committees: any one guardian raises the curse (cheap to raise, so one alert is enough), only
/// `guardianThreshold` of them lift it. While cursed every delivery path reverts `ChainCursed()` and the chain's
/// redemptions module refuses new redemption requests; nothing else changes here.
///
/// Replay: curse and uncurse sign the current epoch (EIP-712 in this receiver's domain, which binds this chain and
/// this contract). An uncurse moves the epoch on, so neither an old curse nor an old uncurse verifies again. A stolen
/// guardian key can curse the new epoch (the design: raising must stay cheap) but never lift a curse alone.
abstract contract RwaReceiverCurse is RwaReceiverVerification {
  bytes32 internal constant CURSE_TYPEHASH = keccak256("Curse(uint256 chainId,address receiver,uint32 epoch)");
  bytes32 internal constant UNCURSE_TYPEHASH = keccak256("Uncurse(uint256 chainId,address receiver,uint32 epoch)");

  error ChainCursed();
  error NotCursed(uint32 epoch);
  error AlreadyCursed(uint32 epoch);
  error NotGuardian(address account);

  /// @param epoch the epoch the guardian signed (the one in force).
  event Cursed(address indexed guardian, uint32 epoch);
  /// @param epoch the epoch lifted (the one its Cursed named); the next curse signs epoch + 1.
  event Uncursed(uint32 epoch);

  /// @dev One slot, read by every delivery: the flag and the epoch every guardian signature names.
  struct CurseState {
    bool cursed;
    uint32 epoch;
  }

  uint8 internal immutable i_guardianThreshold;
  CurseState internal s_curse;
  mapping(address account => bool) internal s_guardians;

  /// @param guardianSet strictly ascending, non-zero; @param quorum 1..guardianSet.length (lifts a curse).
  constructor(address[] memory guardianSet, uint8 quorum) {
    uint256 n = guardianSet.length;
    if (quorum == 0 || quorum > n) revert RwaReceiver.InvalidThreshold(quorum, n);
    address last;
    for (uint256 i; i < n; ++i) {
      address g = guardianSet[i];
      if (g <= last) revert RwaReceiver.SignersNotAscending(i);
      s_guardians[g] = true;
      last = g;
    }
    i_guardianThreshold = quorum;
  }

  /// @dev One cold SLOAD on every delivery call (the figure is in contracts/.gas-snapshot).
  modifier whenNotCursed() {
    if (s_curse.cursed) revert ChainCursed();
    _;
  }

  /// @notice Stop this chain. `signature`: one guardian's 65-byte signature over Curse(chainId, this, curseEpoch()),
  /// submitted by anyone; or empty when a guardian calls itself.
  function curse(bytes calldata signature) external {
    CurseState memory c = s_curse;
    if (c.cursed) revert AlreadyCursed(c.epoch);
    address guardian = msg.sender;
    if (signature.length != 0) {
      if (signature.length != 65) revert RwaReceiver.InvalidSignatureCount(signature.length, 65);
      guardian = _recover(_curseDigest(CURSE_TYPEHASH, c.epoch), signature, 0);
    }
    if (!s_guardians[guardian]) revert NotGuardian(guardian);
    s_curse.cursed = true;
    emit Cursed(guardian, c.epoch);
  }

  /// @notice Lift the curse: exactly guardianThreshold 65-byte signatures over Uncurse(chainId, this, curseEpoch()),
  /// by strictly ascending guardians. Moves the epoch on, so every earlier signature is dead.
  function uncurse(bytes calldata signatures) external {
    CurseState memory c = s_curse;
    if (!c.cursed) revert NotCursed(c.epoch);
    uint256 threshold = i_guardianThreshold;
    if (signatures.length != threshold * 65) revert RwaReceiver.InvalidSignatureCount(signatures.length, threshold * 65);
    bytes32 digest = _curseDigest(UNCURSE_TYPEHASH, c.epoch);
    address last;
    for (uint256 i; i < threshold; ++i) {
      address g = _recover(digest, signatures, i);
      if (g <= last) revert RwaReceiver.SignersNotAscending(i);
      if (!s_guardians[g]) revert NotGuardian(g);
      last = g;
    }
    s_curse = CurseState({cursed: false, epoch: c.epoch + 1});
    emit Uncursed(c.epoch);
  }

  function cursed() external view returns (bool) {
    return s_curse.cursed;
  }

  /// @notice The epoch a curse or an uncurse signs now.
  function curseEpoch() external view returns (uint32) {
    return s_curse.epoch;
  }

  function isGuardian(address account) external view returns (bool) {
    return s_guardians[account];
  }

  /// @notice How many guardians an uncurse needs.
  function guardianQuorum() external view returns (uint8) {
    return i_guardianThreshold;
  }

  function _curseDigest(bytes32 typehash, uint32 epoch) internal view returns (bytes32) {
    return Eip712Attestation.digest(_domainSeparator(), keccak256(abi.encode(typehash, block.chainid, address(this), epoch)));
  }
}
