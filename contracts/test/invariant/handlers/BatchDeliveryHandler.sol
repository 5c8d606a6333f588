// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {BatchItemsPacker} from "../../helpers/BatchItemsPacker.sol";

/// @notice Delivers the items of one pre-signed Merkle root through every shape of receiveBatch call, in any order and
/// any number of times: the whole tree without proofs, any part with its proofs (duplicates too), a part passed off as
/// the whole tree, a tampered item. Counts the calls that must never succeed.
contract BatchDeliveryHandler is CommonBase, StdUtils {
  bytes32 internal immutable i_did;
  RwaReceiver internal immutable i_receiver;

  bytes32 internal s_root;
  bytes internal s_rootSigs;
  bytes[] internal s_messages;
  bytes32[][] internal s_proofs;

  /// @dev A call carrying a part of the tree without proofs, or a tampered item, that succeeded (must stay 0).
  uint256 public ghost_forgedAccepted;
  uint256 public ghost_calls;
  uint256 public ghost_succeeded;

  constructor(RwaReceiver receiver_, bytes32 did_) {
    i_receiver = receiver_;
    i_did = did_;
  }

  function loadTree(bytes32 root, bytes memory rootSigs, bytes[] memory messages, bytes32[][] memory proofs) external {
    (s_root, s_rootSigs) = (root, rootSigs);
    for (uint256 i; i < messages.length; ++i) {
      s_messages.push(messages[i]);
      s_proofs.push(proofs[i]);
    }
  }

  function size() external view returns (uint256) {
    return s_messages.length;
  }

  /// @dev The items picked by `mask` (bit i: item i), each `repeat` + 1 times in a row.
  function _part(uint256 mask, uint256 repeat) internal view returns (bytes[] memory m, bytes32[][] memory p) {
    uint256 n = s_messages.length;
    uint256 count;
    for (uint256 i; i < n; ++i) {
      if (mask & (1 << i) != 0) count += 1 + repeat;
    }
    m = new bytes[](count);
    p = new bytes32[][](count);
    uint256 k;
    for (uint256 i; i < n; ++i) {
      if (mask & (1 << i) == 0) continue;
      for (uint256 r; r <= repeat; ++r) {
        (m[k], p[k]) = (s_messages[i], s_proofs[i]);
        ++k;
      }
    }
  }

  function _send(bytes memory items, bytes32[][] memory proofs, bool withSigs) internal returns (bool ok) {
    ++ghost_calls;
    try i_receiver.receiveBatch(i_did, s_root, withSigs ? s_rootSigs : bytes(""), items, proofs) {
      ++ghost_succeeded;
      return true;
    } catch {
      return false;
    }
  }

  function sendWhole(bool withSigs) external {
    _send(BatchItemsPacker.pack(s_messages), new bytes32[][](0), withSigs);
  }

  function sendPart(uint256 mask, uint256 repeat, bool withSigs) external {
    uint256 n = s_messages.length;
    (bytes[] memory m, bytes32[][] memory p) = _part(bound(mask, 1, (1 << n) - 1), bound(repeat, 0, 2));
    _send(BatchItemsPacker.pack(m), p, withSigs);
  }

  /// @dev A strict part of the tree without proofs: it must fail (its items do not make the root).
  function sendPartAsWhole(uint256 mask, bool withSigs) external {
    uint256 n = s_messages.length;
    (bytes[] memory m,) = _part(bound(mask, 1, (1 << n) - 2), 0);
    if (_send(BatchItemsPacker.pack(m), new bytes32[][](0), withSigs)) ++ghost_forgedAccepted;
  }

  /// @dev The whole tree, or a part with proofs, with one byte of the items changed: it must fail.
  function sendTampered(uint256 at, uint8 delta, bool withProofs) external {
    bytes memory items = BatchItemsPacker.pack(s_messages);
    uint256 pos = bound(at, 0, items.length - 1);
    items[pos] = bytes1(uint8(items[pos]) ^ uint8(bound(delta, 1, 255)));
    if (_send(items, withProofs ? s_proofs : new bytes32[][](0), true)) ++ghost_forgedAccepted;
  }
}
