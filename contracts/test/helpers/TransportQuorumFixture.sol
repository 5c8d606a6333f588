// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaTransportQuorum} from "../../src/RwaTransportQuorum.sol";
import {AttestationFixture} from "./AttestationFixture.sol";

/// @notice AttestationFixture plus the transport gate: a CCIP and a Wormhole adapter address bound on the main
/// receiver's gate (the test contract deployed the receiver, so it owns the gate), and delivery helpers that arrive
/// through a given transport by pranking as its caller (an unbound relayer for cctp, the bound adapter otherwise).
/// The kind-12 encoder is restated from AttestationCodec's byte table, like AttestationSigner does for kinds 1..6.
abstract contract TransportQuorumFixture is AttestationFixture {
  uint8 internal constant KIND_TRANSPORT_QUORUM = 12;
  uint256 internal constant TRANSPORT_QUORUM_LEN = 52;
  uint8 internal constant CCTP = 1;
  uint8 internal constant CCIP = 2;
  uint8 internal constant WORMHOLE = 4;
  uint8 internal constant ALL_TRANSPORTS = 7;

  RwaTransportQuorum internal gate;
  address internal ccipAdapter = makeAddr("ccip-adapter");
  address internal wormholeAdapter = makeAddr("wormhole-adapter");

  function setUp() public virtual override {
    super.setUp();
    gate = receiver.transportQuorum();
    gate.setAdapter(ccipAdapter, CCIP);
    gate.setAdapter(wormholeAdapter, WORMHOLE);
  }

  function encodeTransportQuorum(bytes32 did, uint64 nonce, uint64 chainId, uint8 k, uint8 transports)
    internal
    pure
    returns (bytes memory)
  {
    return abi.encodePacked(uint8(1), KIND_TRANSPORT_QUORUM, did, nonce, chainId, k, transports);
  }

  /// @dev The caller whose delivery counts as `transport` (a single bit) on the main receiver.
  function callerFor(uint8 transport) internal view returns (address) {
    if (transport == CCIP) return ccipAdapter;
    if (transport == WORMHOLE) return wormholeAdapter;
    return relayer;
  }

  function arrive(uint8 transport, bytes memory message, bytes memory sigs) internal {
    vm.prank(callerFor(transport));
    receiver.receiveMessage(message, sigs);
  }

  /// @dev Deliver once through each transport of `transports`, lowest bit first.
  function arriveVia(uint8 transports, bytes memory message, bytes memory sigs) internal {
    for (uint8 bit = 1; bit <= WORMHOLE; bit <<= 1) {
      if (transports & bit != 0) arrive(bit, message, sigs);
    }
  }

  /// @dev A kind-12 attestation for the main DID on this chain, signed by the DID committee, delivered through
  /// `via` (which must meet the rule in force before it; 1 = one direct delivery suits an ungated DID).
  function setTransportQuorum(uint8 k, uint8 transports, uint8 via) internal returns (bytes memory message) {
    message = encodeTransportQuorum(DID, nextAdminNonce(receiver, DID), uint64(block.chainid), k, transports);
    arriveVia(via, message, adminQuorumSigs(message));
  }
}
