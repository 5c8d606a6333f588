// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IRwaCurse} from "../../../src/interfaces/IRwaCurse.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../../src/RwaHoldings.sol";
import {AttestationSigner} from "../../helpers/AttestationSigner.sol";

/// @notice Drives one receiver's curse with guardians raising it (by call or by signature), quorums and lone keys
/// trying to lift it, every old signature replayed, and valid committee settlements delivered throughout. Records
/// what each call did against what the curse allowed; CurseInvariants asserts the counters (INVARIANTS.md 25-27).
contract CurseHandler is CommonBase, StdUtils, AttestationSigner {
  RwaReceiver public immutable receiver;
  RwaHoldings public immutable holdings;
  bytes32 public immutable did;
  address public immutable investor;
  uint8 public immutable guardianQuorum;

  uint256[] internal s_quorumKeys;
  uint256[] internal s_guardianKeys;
  uint256 internal immutable i_outsiderKey;
  /// @dev Every curse and uncurse signature ever made, with the epoch it signed.
  bytes[] internal s_oldCurses;
  bytes[] internal s_oldLifts;
  uint32[] internal s_oldLiftEpochs;
  uint64 internal s_nonce;

  // ---- ghosts ----
  uint256 public ghost_minted;
  uint256 public ghost_appliedWhileCursed;
  uint256 public ghost_heldWhileCursed;
  uint256 public ghost_validRejectedWhileOpen;
  uint256 public ghost_quorumLifts;
  uint256 public ghost_liftedWithoutQuorum;
  uint256 public ghost_oldCurseAccepted;
  uint256 public ghost_oldLiftAccepted;
  uint256 public ghost_curses;

  constructor(
    RwaReceiver receiver_,
    bytes32 did_,
    address investor_,
    uint256[] memory quorumKeys_,
    uint256[] memory guardianKeys_,
    uint256 outsiderKey
  ) {
    receiver = receiver_;
    did = did_;
    investor = investor_;
    (,, holdings,,) = _state(receiver_, did_);
    s_quorumKeys = quorumKeys_;
    s_guardianKeys = guardianKeys_;
    i_outsiderKey = outsiderKey;
    guardianQuorum = receiver_.guardianQuorum();
  }

  function _state(RwaReceiver r, bytes32 d) internal view returns (uint8, uint32, RwaHoldings, uint8, uint8) {
    RwaReceiver.DidState memory st = r.didState(d);
    return (st.threshold, st.signerEpoch, st.holdings, st.quorumK, st.quorumTransports);
  }

  function _digest(uint32 epoch, bool lift) internal view returns (bytes32) {
    bytes32 typehash = lift
      ? keccak256("Uncurse(uint256 chainId,address receiver,uint32 epoch)")
      : keccak256("Curse(uint256 chainId,address receiver,uint32 epoch)");
    return typedDigest(
      domainSeparatorFor(block.chainid, address(receiver)),
      keccak256(abi.encode(typehash, block.chainid, address(receiver), epoch))
    );
  }

  /// @dev A valid committee subscription: applies when the chain is open, reverts ChainCursed when cursed.
  function deliver(uint256 amount) external {
    amount = bound(amount, 1, 1e24);
    uint64 nonce = ++s_nonce;
    SettlementAtt memory a = SettlementAtt({
      did: did,
      nonce: nonce,
      settlementKind: 1,
      settlementRef: keccak256(abi.encode("ref", nonce)),
      investor: investor,
      amount: amount,
      cashLegRef: keccak256(abi.encode("cash", nonce)),
      settledAt: uint64(block.timestamp - 1),
      peerChainId: 0
    });
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = signSorted(settlementDigest(a, block.chainid, address(receiver)), s_quorumKeys);
    bool wasCursed = receiver.cursed();
    uint256 before = holdings.totalSupply();
    try receiver.receiveMessage(message, sigs) {
      if (wasCursed) ghost_appliedWhileCursed++;
      else ghost_minted += amount;
    } catch {
      if (wasCursed) ghost_heldWhileCursed++;
      else ghost_validRejectedWhileOpen++;
    }
    if (wasCursed && holdings.totalSupply() != before) ghost_appliedWhileCursed++;
  }

  /// @dev Any one guardian raises it, by its own call or by a signature anyone submits.
  function curse(uint256 who, bool bySignature) external {
    uint256 key = s_guardianKeys[who % s_guardianKeys.length];
    bytes memory sig = signOne(_digest(receiver.curseEpoch(), false), key);
    s_oldCurses.push(sig);
    bool wasCursed = receiver.cursed();
    if (bySignature) {
      try IRwaCurse(address(receiver)).curse(sig) {
        ghost_curses++;
      } catch {}
    } else {
      vm.prank(vm.addr(key));
      try IRwaCurse(address(receiver)).curse("") {
        ghost_curses++;
      } catch {}
    }
    if (wasCursed && !receiver.cursed()) ghost_liftedWithoutQuorum++;
  }

  /// @dev A quorum of guardians (any guardianQuorum of them) lifts the curse of the current epoch.
  function uncurseWithQuorum(uint256 skip) external {
    uint256 n = s_guardianKeys.length;
    uint256[] memory keys = new uint256[](guardianQuorum);
    uint256 j;
    for (uint256 i; i < n && j < guardianQuorum; ++i) {
      if (n > guardianQuorum && i == skip % n) continue;
      keys[j++] = s_guardianKeys[i];
    }
    uint32 epoch = receiver.curseEpoch();
    bytes memory sigs = signSorted(_digest(epoch, true), keys);
    s_oldLifts.push(sigs);
    s_oldLiftEpochs.push(epoch);
    try IRwaCurse(address(receiver)).uncurse(sigs) {
      ghost_quorumLifts++;
    } catch {}
  }

  /// @dev A stolen key (one guardian, or one guardian plus an outsider) tries to lift: must never work.
  function uncurseWithoutQuorum(uint256 who, bool withOutsider) external {
    uint256 key = s_guardianKeys[who % s_guardianKeys.length];
    bytes32 digest = _digest(receiver.curseEpoch(), true);
    bytes memory sigs;
    if (withOutsider) {
      uint256[] memory keys = new uint256[](2);
      (keys[0], keys[1]) = (key, i_outsiderKey);
      sigs = signSorted(digest, keys);
    } else {
      sigs = bytes.concat(signOne(digest, key), signOne(digest, key));
    }
    bool wasCursed = receiver.cursed();
    try IRwaCurse(address(receiver)).uncurse(sigs) {} catch {}
    if (wasCursed && !receiver.cursed()) ghost_liftedWithoutQuorum++;
  }

  /// @dev Replays a curse signature of an epoch already lifted: must never curse again.
  function replayOldCurse(uint256 pick) external {
    uint256 n = s_oldCurses.length;
    if (n == 0 || receiver.cursed()) return;
    bytes memory sig = s_oldCurses[pick % n];
    // Only signatures of lifted epochs count: a not-yet-used one of the current epoch is a legitimate curse.
    if (_signedEpochIsCurrent(sig)) return;
    try IRwaCurse(address(receiver)).curse(sig) {
      ghost_oldCurseAccepted++;
    } catch {}
  }

  /// @dev Replays an uncurse of an earlier epoch: must never lift.
  function replayOldLift(uint256 pick) external {
    uint256 n = s_oldLifts.length;
    if (n == 0 || !receiver.cursed()) return;
    uint256 i = pick % n;
    if (s_oldLiftEpochs[i] == receiver.curseEpoch()) return;
    try IRwaCurse(address(receiver)).uncurse(s_oldLifts[i]) {
      ghost_oldLiftAccepted++;
    } catch {}
  }

  function _signedEpochIsCurrent(bytes memory sig) internal view returns (bool) {
    (bytes32 r, bytes32 s, uint8 v) = sigAt(sig, 0);
    return receiver.isGuardian(ecrecover(_digest(receiver.curseEpoch(), false), v, r, s));
  }
}
