// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";

/// @notice Sends batches (receiveMessages) and single messages (receiveMessage) drawn from a fixed pool of signed
/// subscriptions, in any order, with duplicates, through any of three callers (for a gated DID: cctp, ccip and
/// wormhole), and batches with one forged item (never validly signed, so the whole batch must revert). Counts every SettlementApplied per nonce, so the invariant contract can
/// check that no nonce ever applied twice.
contract ReceiveMessagesHandler is CommonBase, StdUtils {
  uint256 internal constant MAX_BATCH = 12;

  RwaReceiver internal immutable i_receiver;
  bytes[] internal s_messages;
  bytes[] internal s_sigs;
  /// @dev Messages never validly signed (nonces outside the pool), with outsider signatures.
  bytes[] internal s_forged;
  bytes[] internal s_forgedSigs;
  uint64[] internal s_nonces;
  address[3] internal s_callers;

  mapping(uint64 nonce => uint256 count) public ghost_appliedCount;
  /// @dev A batch with a forged item that did not revert, or one that changed a nonce (must stay 0).
  uint256 public ghost_forgedAccepted;
  mapping(string action => uint256) public calls;

  constructor(RwaReceiver receiver_, address[3] memory callers_) {
    i_receiver = receiver_;
    s_callers = callers_;
  }

  /// @dev Called once by the invariant contract's setUp: the pool, and the forged messages.
  function load(
    bytes[] memory messages,
    bytes[] memory sigs,
    uint64[] memory nonces,
    bytes[] memory forged,
    bytes[] memory forgedSigs
  ) external {
    for (uint256 i; i < messages.length; ++i) {
      s_messages.push(messages[i]);
      s_sigs.push(sigs[i]);
      s_nonces.push(nonces[i]);
    }
    for (uint256 i; i < forged.length; ++i) {
      s_forged.push(forged[i]);
      s_forgedSigs.push(forgedSigs[i]);
    }
  }

  function poolSize() external view returns (uint256) {
    return s_messages.length;
  }

  function nonceAt(uint256 i) external view returns (uint64) {
    return s_nonces[i];
  }

  function sendBatch(uint256 seed, uint256 size, uint256 callerSeed) external {
    calls["sendBatch"]++;
    (bytes[] memory messages, bytes[] memory sigs) = _draw(seed, bound(size, 1, MAX_BATCH));
    vm.recordLogs();
    vm.prank(s_callers[callerSeed % 3]);
    i_receiver.receiveMessages(messages, sigs);
    _count(vm.getRecordedLogs());
  }

  function sendOne(uint256 seed, uint256 callerSeed) external {
    calls["sendOne"]++;
    uint256 i = seed % s_messages.length;
    vm.recordLogs();
    vm.prank(s_callers[callerSeed % 3]);
    try i_receiver.receiveMessage(s_messages[i], s_sigs[i]) {
      _count(vm.getRecordedLogs());
    } catch {
      // Already applied, or already delivered by this transport: nothing to count.
      calls["sendOne refused"]++;
    }
  }

  /// @dev A batch of pool items with one forged item at `bad`: it must revert whole, whatever the rest.
  function sendForgedBatch(uint256 seed, uint256 size, uint256 bad, uint256 callerSeed) external {
    calls["sendForgedBatch"]++;
    size = bound(size, 1, MAX_BATCH);
    (bytes[] memory messages, bytes[] memory sigs) = _draw(seed, size);
    bad = bound(bad, 0, size - 1);
    uint256 f = seed % s_forged.length;
    (messages[bad], sigs[bad]) = (s_forged[f], s_forgedSigs[f]);
    vm.prank(s_callers[callerSeed % 3]);
    try i_receiver.receiveMessages(messages, sigs) {
      ghost_forgedAccepted++;
    } catch {}
  }

  function _draw(uint256 seed, uint256 size) internal view returns (bytes[] memory messages, bytes[] memory sigs) {
    messages = new bytes[](size);
    sigs = new bytes[](size);
    for (uint256 j; j < size; ++j) {
      uint256 i = uint256(keccak256(abi.encode(seed, j))) % s_messages.length;
      (messages[j], sigs[j]) = (s_messages[i], s_sigs[i]);
    }
  }

  function _count(Vm.Log[] memory logs) internal {
    for (uint256 i; i < logs.length; ++i) {
      if (logs[i].emitter == address(i_receiver) && logs[i].topics[0] == RwaReceiver.SettlementApplied.selector) {
        ghost_appliedCount[uint64(uint256(logs[i].topics[2]))]++;
      }
    }
  }
}
