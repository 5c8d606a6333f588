// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {BatchItemsPacker} from "../../helpers/BatchItemsPacker.sol";

/// @notice Drives one DID through its signer set's end and back: moves time forward, sends pre-signed subscriptions
/// singly and as items of one pre-signed Merkle root, and sends configs (new ends) signed either by the DID's set or by
/// governance. Records, around every call, whether the set was past its end and whether the end changed, so the
/// invariant contract can check that an expired set verified nothing and that only a governance-signed config revived
/// it.
contract ExpiryHandler is CommonBase, StdUtils {
  bytes32 internal immutable i_did;
  RwaReceiver internal immutable i_receiver;

  bytes[] internal s_subs;
  bytes[] internal s_subSigs;
  bytes32 internal s_root;
  bytes32[][] internal s_proofs;
  bytes[] internal s_items;
  bytes internal s_rootSigs;
  bytes[] internal s_configs;
  bytes[] internal s_configDidSigs;
  bytes[] internal s_configGovSigs;

  /// @dev A call that applied something while the DID's set was past its end (must stay 0).
  uint256 public ghost_appliedWhileExpired;
  /// @dev The end changed by anything but a config that applied (must stay 0).
  uint256 public ghost_endChangedOtherwise;
  /// @dev An expired set made live again by anything but a governance-signed config (must stay 0).
  uint256 public ghost_revivedOtherwise;
  uint256 public ghost_revivals;
  uint256 public ghost_refusedExpired;

  constructor(RwaReceiver receiver_, bytes32 did_) {
    i_receiver = receiver_;
    i_did = did_;
  }

  function loadSubscriptions(bytes[] memory subs, bytes[] memory sigs) external {
    for (uint256 i; i < subs.length; ++i) {
      s_subs.push(subs[i]);
      s_subSigs.push(sigs[i]);
    }
  }

  function loadBatch(bytes32 root, bytes memory rootSigs, bytes[] memory items, bytes32[][] memory proofs) external {
    (s_root, s_rootSigs) = (root, rootSigs);
    for (uint256 i; i < items.length; ++i) {
      s_items.push(items[i]);
      s_proofs.push(proofs[i]);
    }
  }

  function loadConfigs(bytes[] memory configs, bytes[] memory didSigs, bytes[] memory govSigs) external {
    for (uint256 i; i < configs.length; ++i) {
      s_configs.push(configs[i]);
      s_configDidSigs.push(didSigs[i]);
      s_configGovSigs.push(govSigs[i]);
    }
  }

  function warp(uint256 seconds_) external {
    vm.warp(block.timestamp + bound(seconds_, 0, 20 days));
  }

  function sendOne(uint256 i) external {
    i = bound(i, 0, s_subs.length - 1);
    (bool expired, uint64 end) = _before();
    try i_receiver.receiveMessage(s_subs[i], s_subSigs[i]) {
      if (expired) ghost_appliedWhileExpired++;
    } catch {
      if (expired) ghost_refusedExpired++;
    }
    if (i_receiver.didState(i_did).signersValidUntil != end) ghost_endChangedOtherwise++;
  }

  /// @dev One item of the root; the first call for the root carries its signatures, later ones none.
  function sendBatchItem(uint256 i, bool withSigs) external {
    i = bound(i, 0, s_items.length - 1);
    (bool expired, uint64 end) = _before();
    bytes[] memory items = new bytes[](1);
    bytes32[][] memory proofs = new bytes32[][](1);
    (items[0], proofs[0]) = (s_items[i], s_proofs[i]);
    try i_receiver.receiveBatch(i_did, s_root, withSigs ? s_rootSigs : bytes(""), BatchItemsPacker.pack(items), proofs) {
      if (expired) ghost_appliedWhileExpired++;
    } catch {
      if (expired) ghost_refusedExpired++;
    }
    if (i_receiver.didState(i_did).signersValidUntil != end) ghost_endChangedOtherwise++;
  }

  function sendConfig(uint256 k, bool byGovernance) external {
    k = bound(k, 0, s_configs.length - 1);
    (bool expired, uint64 end) = _before();
    bool applied;
    try i_receiver.receiveMessage(s_configs[k], byGovernance ? s_configGovSigs[k] : s_configDidSigs[k]) {
      applied = true;
      // Signed by the DID's set while it was past its end: verified by an expired set.
      if (expired && !byGovernance) ghost_appliedWhileExpired++;
    } catch {}
    uint64 after_ = i_receiver.didState(i_did).signersValidUntil;
    if (after_ != end && !applied) ghost_endChangedOtherwise++;
    bool liveAfter = block.timestamp <= after_;
    if (expired && liveAfter) {
      if (!(applied && byGovernance)) ghost_revivedOtherwise++;
      else ghost_revivals++;
    }
  }

  function _before() internal view returns (bool expired, uint64 end) {
    end = i_receiver.didState(i_did).signersValidUntil;
    expired = block.timestamp > end;
  }
}
