// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {TransportQuorumRule} from "./libraries/TransportQuorumRule.sol";

/// @notice The transport gate of one RwaReceiver: records which transports delivered each attestation and says when
/// a DID's k-of-n transport quorum is met. Created by the RwaReceiver constructor, which is the only caller of
/// `record`; owned (Ownable2Step) by the receiver's deployer, who binds the chain's transport adapters.
///
/// Security model. Every arrival, on every transport, carries the oracle committee's quorum signatures, which
/// RwaReceiver verifies before it calls `record`; the gate adds a second, independent condition on top:
/// - cctp (bit 1) is direct delivery: `RwaReceiver.receiveMessage` called by any address that is not a bound adapter
///   (a relayer, an attester-driven message transmitter, anyone). It is authenticated by the oracle signatures only.
/// - ccip (bit 2) and wormhole (bit 4) are arrivals through the adapter bound here (RwaCcipReceiver,
///   RwaWormholeReceiver), which first authenticates its bridge (CCIP router and allowed source sender; Wormhole
///   guardian quorum and allowed emitter). Such an arrival is authenticated by the signatures and by that bridge.
/// With a rule of k of a mask, an attestation applies only when k distinct transports of the mask delivered the same
/// message bytes. Someone who holds the oracle keys, or controls one bridge, can therefore add at most one arrival:
/// with k >= 2 over bridges they also need to compromise another bridge (a cctp arrival needs nothing beyond the
/// signatures, so it counts as the weakest transport). Each transport counts once per message, whoever calls.
///
/// Trust in the owner. The owner decides which address counts as which bridge: binding a hostile address as an
/// adapter lets that address add an arrival for its bit (never the signatures). Unbinding the last adapter of a
/// transport that a rule in force needs stalls the DIDs using it until an adapter is bound again or the rule is
/// lowered; it never applies anything.
///
/// Storage: one byte per message digest (bits 0..2 the transports that arrived, bit 7 applied).
contract RwaTransportQuorum is Ownable2Step {
  error InvalidTransport(uint8 transport);
  error InvalidAdapter(address adapter);
  error NotReceiver(address caller);
  error TransportNotInQuorum(uint8 transport, uint8 transports);
  error TransportAlreadyDelivered(bytes32 digest, uint8 transport);

  event AdapterSet(address indexed adapter, uint8 transport);
  /// @param arrived the transports that have delivered `digest` so far, this one included.
  /// @param applied whether `digest` is applied after this arrival (by this arrival or an earlier one).
  event TransportArrived(bytes32 indexed digest, uint8 indexed transport, uint8 arrived, bool applied);

  uint8 private constant APPLIED = 0x80;

  address private immutable i_receiver;

  mapping(address adapter => uint8 transport) private s_adapters;
  mapping(uint8 transport => uint256 count) private s_adapterCount;
  mapping(bytes32 digest => uint8 arrivals) private s_arrivals;

  constructor(address owner_) Ownable(owner_) {
    i_receiver = msg.sender;
  }

  // ---- adapters ----

  /// @notice Bind `adapter` as the chain's ccip (2) or wormhole (4) adapter, or unbind it (0). cctp (1) is not bound:
  /// it is whoever is not an adapter.
  function setAdapter(address adapter, uint8 transport) external onlyOwner {
    if (adapter == address(0)) revert InvalidAdapter(adapter);
    if (transport != 0 && transport != TransportQuorumRule.CCIP && transport != TransportQuorumRule.WORMHOLE) {
      revert InvalidTransport(transport);
    }
    uint8 previous = s_adapters[adapter];
    if (previous != 0) --s_adapterCount[previous];
    if (transport != 0) ++s_adapterCount[transport];
    s_adapters[adapter] = transport;
    emit AdapterSet(adapter, transport);
  }

  /// @notice The transport bit a delivery by `caller` counts as: its bound bit, or cctp (1) for anyone else.
  function transportOf(address caller) public view returns (uint8) {
    uint8 bound = s_adapters[caller];
    return bound == 0 ? TransportQuorumRule.CCTP : bound;
  }

  function adapterCount(uint8 transport) external view returns (uint256) {
    return s_adapterCount[transport];
  }

  // ---- arrivals ----

  /// @notice Record that `caller` delivered the message `digest` (keccak256 of its bytes, the attestation id) under
  /// the rule `k` of `transports`. Only the receiver calls it, after verifying the oracle signatures.
  /// @return applyNow true exactly once per digest: on the first arrival at which k distinct transports of the mask
  /// have delivered it. Arrivals after that are recorded and return false.
  function record(address caller, bytes32 digest, uint8 k, uint8 transports) external returns (bool applyNow) {
    if (msg.sender != i_receiver) revert NotReceiver(msg.sender);
    uint8 bit = transportOf(caller);
    if (bit & transports == 0) revert TransportNotInQuorum(bit, transports);
    uint8 slot = s_arrivals[digest];
    if (slot & bit != 0) revert TransportAlreadyDelivered(digest, bit);
    uint8 arrived = (slot | bit) & TransportQuorumRule.ALL;
    bool applied = slot & APPLIED != 0;
    // Counted within the mask in force: an arrival on a transport that a later rule dropped no longer counts.
    applyNow = !applied && TransportQuorumRule.popcount(arrived & transports) >= k;
    applied = applied || applyNow;
    s_arrivals[digest] = applied ? arrived | APPLIED : arrived;
    emit TransportArrived(digest, bit, arrived, applied);
  }

  /// @notice Whether the transport `caller` counts as has already delivered `digest` (its `record` would revert).
  function deliveredBy(address caller, bytes32 digest) external view returns (bool) {
    return s_arrivals[digest] & transportOf(caller) != 0;
  }

  /// @notice The transports that delivered `digest` and whether the gate let it apply (the receiver's isNonceUsed is
  /// the authority on "applied": a digest applied before its DID was gated reads false here).
  function arrivalsOf(bytes32 digest) external view returns (uint8 arrived, bool applied) {
    uint8 slot = s_arrivals[digest];
    return (slot & TransportQuorumRule.ALL, slot & APPLIED != 0);
  }

  function receiver() external view returns (address) {
    return i_receiver;
  }
}
