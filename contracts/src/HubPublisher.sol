// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @notice The hub-side publisher role of one bridge entry (RwaCcipSender, RwaWormholeEmitter): only an address the
/// owner authorised may put an attestation on that bridge.
///
/// Why. A destination counts an arrival through a bridge's adapter as that bridge's vote in a DID's transport quorum.
/// If anyone could publish, whoever holds the oracle committee's signatures (a stolen committee key set) could send the
/// same message over every bridge and meet any rule. With this role, a bridge arrival proves the message left the hub
/// through a key that is not a committee key: the relayer key of that bridge's lane, authorised here by the owner (the
/// hub operator's multisig). Give each bridge its own publisher key, held apart, so one stolen relayer key adds one
/// bridge at most. Signatures are still verified by the destination; this role adds a condition, never replaces one.
abstract contract HubPublisher is Ownable2Step {
  error NotPublisher(address caller);
  error InvalidPublisher(address publisher);

  event PublisherSet(address indexed publisher, bool allowed);

  mapping(address publisher => bool allowed) private s_publishers;

  constructor() Ownable(msg.sender) {}

  /// @notice Authorise (or revoke) `publisher` to publish attestations on this bridge. Owner only.
  function setPublisher(address publisher, bool allowed) external onlyOwner {
    if (publisher == address(0)) revert InvalidPublisher(publisher);
    s_publishers[publisher] = allowed;
    emit PublisherSet(publisher, allowed);
  }

  function isPublisher(address account) external view returns (bool) {
    return s_publishers[account];
  }

  modifier onlyPublisher() {
    if (!s_publishers[msg.sender]) revert NotPublisher(msg.sender);
    _;
  }
}
